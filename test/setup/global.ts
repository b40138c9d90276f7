import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../src/temporal/dev-server';
import { workflowsPath } from '../../src/temporal/workflow-bundle';
import { buildWebApp } from '../../src/main/web-app-build';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalUiUrl: string;
    databaseUrl: string | null;
    workflowBundlePath: string;
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/**
 * One Temporal dev server (with our search attributes and its Web UI) and one fresh PostgreSQL database per test
 * run; the workflow bundle is built once here instead of once per test file, and the web app (dist/app) when its
 * sources changed since the last build.
 */
export default async function setup(project: TestProject) {
  const uiPort = await freePort();
  const temporal = await startDevServer({ uiPort });

  let databaseUrl: string | null = null;
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `ledgerbridge_test_${process.pid}_${Date.now()}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    const { openDatabase } = await import('../../db/client');
    const db = await openDatabase({ url: databaseUrl, maxConnections: 1 });
    await db.migrate();
    await db.close();
    dropDatabase = async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }

  const dir = mkdtempSync(join(tmpdir(), 'ledgerbridge-test-'));
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  const workflowBundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  await buildWebApp();

  project.provide('temporalAddress', temporal.address);
  project.provide('temporalUiUrl', `http://127.0.0.1:${uiPort}`);
  project.provide('databaseUrl', databaseUrl);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await temporal.teardown();
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  };
}
