import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client';
import { freePort } from '../support/stack/free-port';
import { startPostgresCluster, type PostgresCluster } from '../support/stack/postgres-cluster';
import { startServices, type Services } from '../support/stack/services';
import { startRestartableTemporal, type RestartableTemporal } from '../support/stack/temporal-cli';
import type { FaultRunTarget } from './scenario';

export interface FaultEnvironment {
  target: FaultRunTarget;
  services: Services;
  /** Where the API's and the worker's own logs went (kept after the run). */
  logDir: string;
  /** keepState: also keep the Temporal server's SQLite file in logDir (`temporal server start-dev --db-filename`). */
  stop(keepState?: boolean): Promise<void>;
}

/** Kept after the run (under the git-ignored .data/) so a failed run can be read afterwards. */
function newLogDir(): string {
  const dir = join('.data', 'faults', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * API and worker as processes; a process that exits unasked is started again after a second, as a supervisor
 * (systemd, Kubernetes) would, and counted: the summary shows it.
 */
async function superviseServices(databaseUrl: string, temporalAddress: string, logDir: string, log: (line: string) => void): Promise<{ services: Services; exits: () => number }> {
  let exits = 0;
  // The exit handler may run before startServices has answered.
  const started: { services?: Services } = {};
  const services = await startServices({
    databaseUrl,
    temporalAddress,
    port: await freePort(),
    taskQueue: `faults-${randomBytes(4).toString('hex')}`,
    logDir,
    // A booking that lost its posting asks its ledger again well within the run's stall limit.
    env: { POSTING_RECHECK_SECONDS: '15' },
    onUnexpectedExit(which, code, signal) {
      exits++;
      log(`  ${which} exited by itself (${signal ?? `code ${code}`}); starting it again`);
      setTimeout(() => {
        const proc = which === 'worker' ? started.services?.worker : started.services?.apiProcess;
        if (proc && !proc.running) proc.start();
      }, 1_000);
    },
  });
  started.services = services;
  return { services, exits: () => exits };
}

async function createDatabase(serverUrl: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  const name = `ledgerbridge_faults_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), maxConnections: 1 });
  await db.migrate();
  await db.close();
  return url.toString();
}

/** Everything of its own: a PostgreSQL cluster and a Temporal server that the run may restart. */
export async function privateEnvironment(log: (line: string) => void): Promise<FaultEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerbridge-faults-'));
  const logDir = newLogDir();
  let keep = false;
  const cleanups: (() => Promise<void>)[] = [
    async () => {
      for (const f of ['temporal.sqlite', 'temporal.sqlite-wal', 'temporal.sqlite-shm']) if (keep && existsSync(join(dir, f))) copyFileSync(join(dir, f), join(logDir, f));
      rmSync(dir, { recursive: true, force: true });
    },
  ];
  const stop = async (keepState = false) => {
    keep = keepState;
    for (const c of cleanups.reverse()) await c().catch((e) => log(`  cleanup: ${(e as Error).message}`));
  };
  try {
    const pg: PostgresCluster = await startPostgresCluster(await freePort());
    cleanups.push(() => pg.destroy());
    const databaseUrl = await createDatabase(pg.url);
    const temporal: RestartableTemporal = await startRestartableTemporal({ dbFilename: join(dir, 'temporal.sqlite'), port: await freePort() });
    cleanups.push(() => temporal.teardown());
    const { services, exits } = await superviseServices(databaseUrl, temporal.address, logDir, log);
    cleanups.push(() => services.stop());
    return {
      services,
      logDir,
      stop,
      target: {
        api: services.api,
        temporalAddress: temporal.address,
        adminKey: services.adminKey,
        worker: services.worker,
        unexpectedExits: exits,
        restartPostgres: () => pg.restart(),
        async restartTemporal(downMs) {
          await temporal.stop('SIGTERM');
          await new Promise((r) => setTimeout(r, downMs));
          await temporal.start();
        },
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The test run's shared Temporal dev server and database (never restarted: other test files use them); only the
 * API and worker processes are the run's own. Without a shared PostgreSQL (PGlite runs), a private cluster stands in.
 */
export async function sharedEnvironment(temporalAddress: string, databaseUrl: string | null, log: (line: string) => void): Promise<FaultEnvironment> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch((e) => log(`  cleanup: ${(e as Error).message}`));
  };
  try {
    let url = databaseUrl;
    if (!url) {
      const pg = await startPostgresCluster(await freePort());
      cleanups.push(() => pg.destroy());
      url = await createDatabase(pg.url);
    }
    const logDir = newLogDir();
    const { services, exits } = await superviseServices(url, temporalAddress, logDir, log);
    cleanups.push(() => services.stop());
    return { services, logDir, stop, target: { api: services.api, temporalAddress, adminKey: services.adminKey, worker: services.worker, unexpectedExits: exits } };
  } catch (err) {
    await stop();
    throw err;
  }
}
