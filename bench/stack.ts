import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { openDatabase, type Database } from '../db/client';
import { CredentialBox } from '../src/crypto/credentials';
import { startDevServer } from '../src/temporal/dev-server';

/** Peak resident memory of a process (VmHWM), in MiB; 0 when it is gone. */
export function peakRssMiB(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : 0;
  } catch {
    return 0;
  }
}

export interface Stack {
  api: string;
  adminKey: string;
  db: Database;
  worker: ChildProcess;
  apiProcess: ChildProcess;
  /** Restarts the worker with other settings (e.g. the global-lock baseline). */
  restartWorker(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
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

  const adminKey = CredentialBox.generateKey().replace(/[^a-zA-Z0-9]/g, '').padEnd(32, 'x');
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    TEMPORAL_ADDRESS: temporal.address,
    ADMIN_API_KEY: adminKey,
    CREDENTIALS_KEY: CredentialBox.generateKey(),
    PORT: String(opts.port),
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '100000000',
    TEMPORAL_TASK_QUEUE: 'bench',
  };
  const run = (entry: string, extra: Record<string, string> = {}) =>
    spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  let worker = run('src/main/worker.ts');
  const apiProcess = run('src/main/api.ts');
  const api = `http://127.0.0.1:${opts.port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${api}/health`).then((r) => r.ok).catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const stopProcess = (p: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (p.exitCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  const stack: Stack = {
    api,
    adminKey,
    db,
    worker,
    apiProcess,
    async restartWorker(extra = {}) {
      await stopProcess(worker);
      worker = run('src/main/worker.ts', extra);
      stack.worker = worker;
    },
    async stop() {
      await Promise.all([stopProcess(worker), stopProcess(apiProcess)]);
      await db.close();
      await temporal.teardown();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
  return stack;
}
