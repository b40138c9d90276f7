import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, DefaultLogger, type LogEntry } from '@temporalio/worker';
import { inject } from 'vitest';
import { openDatabase } from '../../db/client';
import { buildApp } from '../../src/api/app';
import type { Mapping } from '../../src/domain/mapping';
import { CredentialBox } from '../../src/crypto/credentials';
import { createLogger, loggerOptions } from '../../src/logger';
import { startIntakeRelay } from '../../src/services/intake-relay';
import { createWorker, type WorkerDeps } from '../../src/worker';
import type { WaitLimits } from '../../activities/context';
import type { WorkLimits } from '../../src/services/work-limits';

let runtimeInstalled = false;

export interface Harness {
  app: Awaited<ReturnType<typeof buildApp>>;
  client: Client;
  db: Awaited<ReturnType<typeof openDatabase>>['db'];
  adminKey: string;
  taskQueue: string;
  /** The CREDENTIALS_KEY sealing this harness's stored secrets: a second app over the same database needs it. */
  credentialsKey: string;
  /** Creates a shop with a local ledger; answers its id, ledger id and API key. */
  createShop(opts?: { name?: string; mapping?: Mapping; ledger?: Record<string, unknown>; transfer?: 'automatic' | 'held'; merchantId?: string }): Promise<{ shopId: string; ledgerId: string; apiKey: string; webhookSecret: string | null }>;
  /** Starts (again) the worker for this file's task queue; stopWorker stops it. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Starts (again) the intake relay for this file's task queue (as the worker process does); stopRelay stops it. */
  startRelay(): void;
  stopRelay(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  leaseMs?: number;
  /** How long a booking waits for its posting's outcome before it asks its ledger again. */
  postingRecheckMs?: number;
  /** How long orders wait to become ready and refunds for their order before they expire (tests make it short). */
  waitLimits?: WaitLimits;
  /** Per-shop limits on work a request starts (src/services/work-limits.ts). */
  workLimits?: WorkLimits;
  stripeBaseUrl?: string;
  nexiBaseUrl?: string;
  vippsBaseUrl?: string;
  clearhausBaseUrl?: string;
  rateLimitPerMinute?: number;
  /** The worker's slots (src/worker.ts); its defaults otherwise. */
  slots?: WorkerDeps['slots'];
  /** For client and worker alike, e.g. with the payload codec (src/temporal/data-converter.ts). */
  dataConverter?: DataConverter;
  /**
   * Receives everything logged, at the most verbose level: the API's pino lines (with the service's redaction) and
   * the worker's entries (Temporal's Runtime logger, SDK and core; `meta` as logged, bytes and all). Only the first
   * harness of a test file can have it.
   */
  logs?: (source: 'api' | 'worker', entry: string | LogEntry) => void;
}

/**
 * A test file's slice of the real system: the run's Temporal dev server and database, its own task queue and
 * worker, and the real API (driven with app.inject).
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const { logs } = opts;
  if (logs && runtimeInstalled) throw new Error('only the first harness of a test file can capture the worker log (Runtime.install)');
  if (!runtimeInstalled) {
    Runtime.install(
      logs
        ? {
            logger: new DefaultLogger('TRACE', (entry) => logs('worker', entry)),
            telemetryOptions: { logging: { filter: { core: 'INFO', other: 'INFO' }, forward: {} } },
          }
        : { logger: new DefaultLogger('WARN') },
    );
    runtimeInstalled = true;
  }
  const address = inject('temporalAddress');
  const database = await openDatabase({ url: inject('databaseUrl') ?? undefined });
  if (database.kind === 'pglite') await database.migrate();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, dataConverter: opts.dataConverter });
  const taskQueue = `test-${randomBytes(6).toString('hex')}`;
  const adminKey = randomBytes(24).toString('hex');
  const credentialsKey = CredentialBox.generateKey();
  const credentials = new CredentialBox(credentialsKey);
  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue,
    adminApiKey: adminKey,
    credentials,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 1_000_000,
    // Vendors and stores are local fakes here.
    testEndpoints: true,
    workLimits: opts.workLimits,
    logger: logs ? { ...loggerOptions('trace'), stream: { write: (line: string) => logs('api', line) } } : process.env.TEST_LOG ? { level: 'error' } : false,
  });

  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  let running: Promise<void> | undefined;
  let relay: ReturnType<typeof startIntakeRelay> | undefined;
  const h: Harness = {
    app,
    client,
    db: database.db,
    adminKey,
    taskQueue,
    credentialsKey,
    async createShop(o = {}) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/admin/shops',
        headers: { authorization: `Bearer ${adminKey}` },
        payload: { name: o.name ?? 'Test shop', ledger: { mode: 'auto', ...o.ledger }, mapping: o.mapping, transfer: o.transfer, merchantId: o.merchantId },
      });
      if (res.statusCode !== 201) throw new Error(`createShop: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async startWorker() {
      worker = await createWorker({
        db: database.db,
        client,
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        leaseMs: opts.leaseMs ?? 60_000,
        postingRecheckMs: opts.postingRecheckMs,
        waitLimits: opts.waitLimits,
        credentials,
        stripeBaseUrl: opts.stripeBaseUrl,
        nexiBaseUrl: opts.nexiBaseUrl,
        vippsBaseUrl: opts.vippsBaseUrl,
        clearhausBaseUrl: opts.clearhausBaseUrl,
        testEndpoints: true,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        dataConverter: opts.dataConverter,
        slots: opts.slots,
      });
      running = worker.run();
    },
    async stopWorker() {
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running;
      worker = undefined;
    },
    startRelay() {
      relay ??= startIntakeRelay({ db: database.db, temporal: client, taskQueue, log: createLogger(process.env.TEST_LOG ? 'warn' : 'silent'), listen: database.listen });
    },
    async stopRelay() {
      await relay?.stop();
      relay = undefined;
    },
    async close() {
      await h.stopRelay();
      await h.stopWorker();
      await app.close();
      await connection.close();
      await nativeConnection.close();
      await database.close();
    },
  };
  await h.startWorker();
  h.startRelay();
  return h;
}

/** Polls until `check` returns a value (not undefined), or fails after timeoutMs with the last value seen. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000, what = 'condition'): Promise<Exclude<T, undefined | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null) return value as Exclude<T, undefined | null>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
