import { join } from 'node:path';
import { CredentialBox } from '../../../src/crypto/credentials';
import { loadWorkflowBundle } from '../../../src/temporal/workflow-bundle';
import { ServiceProcess } from './service-process';

export interface Services {
  /** http://127.0.0.1:<port> */
  api: string;
  adminKey: string;
  apiProcess: ServiceProcess;
  worker: ServiceProcess;
  /** Restarts the worker cleanly with other settings (e.g. the global-lock baseline). */
  restartWorker(env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface ServicesOptions {
  databaseUrl: string;
  temporalAddress: string;
  port: number;
  taskQueue: string;
  /** Further settings for both processes (e.g. LEDGER_LOCK_LEASE_SECONDS). */
  env?: Record<string, string>;
  /** Where the processes' stderr goes (<dir>/worker.log, <dir>/api.log); the caller's stderr when absent. */
  logDir?: string;
  /** Called when a process exits without being asked to (the caller decides whether to restart it). */
  onUnexpectedExit?: (which: 'api' | 'worker', code: number | null, signal: string | null) => void;
}

/** Polls until `url` answers 2xx; throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(url).then((r) => r.ok).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The API and the worker as separate processes, as in production (npm run api / npm run worker), against a database
 * and a Temporal server the caller provides. Shared by the benchmark and the fault suite.
 */
export async function startServices(opts: ServicesOptions): Promise<Services> {
  const adminKey = CredentialBox.generateKey().replace(/[^a-zA-Z0-9]/g, '').padEnd(32, 'x');
  // As in production, the worker loads a bundle built outside it; built once here, so a restart does not bundle again.
  const bundle = await loadWorkflowBundle();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    ADMIN_API_KEY: adminKey,
    CREDENTIALS_KEY: CredentialBox.generateKey(),
    PORT: String(opts.port),
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '100000000',
    // Vendors and stores are local fakes here.
    TEST_ENDPOINTS: 'true',
    WORKFLOW_BUNDLE: bundle.codePath,
    ...opts.env,
  };
  const log = (name: string) => (opts.logDir ? join(opts.logDir, `${name}.log`) : undefined);
  // BENCH_WORKER_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the worker alone, not the API.
  const workerEnv = process.env.BENCH_WORKER_NODE_OPTIONS ? { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} ${process.env.BENCH_WORKER_NODE_OPTIONS}`.trim() } : env;
  const worker = new ServiceProcess('src/main/worker.ts', workerEnv, (code, signal) => opts.onUnexpectedExit?.('worker', code, signal), log('worker'));
  const apiProcess = new ServiceProcess('src/main/api.ts', env, (code, signal) => opts.onUnexpectedExit?.('api', code, signal), log('api'));
  const api = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${api}/health`);
  } catch (err) {
    await Promise.all([worker.stop(), apiProcess.stop()]);
    bundle.release();
    throw err;
  }
  return {
    api,
    adminKey,
    apiProcess,
    worker,
    async restartWorker(extra = {}) {
      await worker.stop();
      worker.start(extra);
    },
    async stop() {
      await Promise.all([worker.stop(), apiProcess.stop()]);
      bundle.release();
    },
  };
}
