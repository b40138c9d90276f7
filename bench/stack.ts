import type { Client } from '@temporalio/client';
import postgres from 'postgres';
import { openDatabase, type Database } from '../db/client';
import { startDevServer } from '../src/temporal/dev-server';
import { temporalServerPid } from './cost';
import { startServices, type Services } from '../test/support/stack/services';

export { peakRssMiB } from '../test/support/stack/service-process';

export interface Stack extends Services {
  db: Database;
  /** A client of the bench's Temporal server, to read histories. */
  temporal: Client;
  temporalAddress: string;
  /** The dev server's process, whose CPU the bench reads (bench/cost.ts). */
  temporalPid: number;
  /** The bench's own database, and the task queue of ledgerbridge's worker. */
  databaseUrl: string;
  taskQueue: string;
}

/** The real thing, as in production: a Temporal dev server, a fresh PostgreSQL database, and the API and worker as processes. */
export async function startStack(opts: { port: number; databaseUrl: string }): Promise<Stack> {
  const temporal = await startDevServer();
  const name = `ledgerbridge_bench_${Date.now()}`;
  const admin = postgres(opts.databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(opts.databaseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), maxConnections: 5 });
  await db.migrate();

  const taskQueue = 'bench';
  const services = await startServices({ databaseUrl: url.toString(), temporalAddress: temporal.address, port: opts.port, taskQueue });
  return {
    ...services,
    db,
    temporal: temporal.client,
    temporalAddress: temporal.address,
    temporalPid: temporalServerPid(temporal.address),
    databaseUrl: url.toString(),
    taskQueue,
    async stop() {
      await services.stop();
      await db.close();
      await temporal.teardown();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
