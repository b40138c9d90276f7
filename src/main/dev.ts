import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../db/client';
import { buildApp } from '../api/app';
import { loadConfig, publicUrl, temporalUiUrl } from '../config';
import { CredentialBox } from '../crypto/credentials';
import { bindSealedSecrets } from '../services/bind-sealed-secrets';
import { createLogger, loggerOptions } from '../logger';
import { startIntakeRelay } from '../services/intake-relay';
import { temporalDataConverter } from '../temporal/data-converter';
import { startCliServer } from '../temporal/cli-server';
import { findTemporalCli, startDevServer } from '../temporal/dev-server';
import { loadWorkflowBundle } from '../temporal/workflow-bundle';
import { createWorker } from '../worker';
import { firstDevOwner } from '../services/people';
import { runMain } from './run';
import { watchWebApp } from './web-app-build';

/**
 * Everything in one process for a developer: a Temporal dev server (SQLite under .data/, Web UI), PostgreSQL or the
 * embedded PGlite, the worker and the API. Stops in order on SIGINT or SIGTERM: the API, the worker's drain, the
 * Temporal server, the database.
 */
runMain(async (stopping) => {
  const config = loadConfig();
  const adminApiKey = config.ADMIN_API_KEY ?? randomBytes(24).toString('hex');
  const credentials = new CredentialBox(config.CREDENTIALS_KEY ?? devCredentialsKey(config.DATA_DIR));

  // Started in this order, stopped in the reverse: API, worker drain, Temporal, database.
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite') });
  stopping.add('database', () => database.close());
  await database.migrate();
  await bindSealedSecrets(database.db, credentials);
  console.log('Starting the Temporal dev server…');
  const temporal = await startTemporal(config);
  stopping.add('Temporal', () => temporal.stop());
  const connection = await Connection.connect({ address: temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const dataConverter = temporalDataConverter(config);
  const client = new Client({ connection, namespace: 'default', dataConverter });

  // Fresh from the sources after every edit (src/temporal/workflow-bundle.ts), bundled outside this process.
  console.log('Bundling the workflows…');
  const bundle = await loadWorkflowBundle(config.WORKFLOW_BUNDLE);
  const worker = await createWorker({
    db: database.db,
    client,
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    leaseMs: config.LEDGER_LOCK_LEASE_SECONDS * 1000,
    postingRecheckMs: config.POSTING_RECHECK_SECONDS * 1000,
    slots: {
      workflowTasks: config.WORKER_WORKFLOW_TASK_SLOTS,
      activities: config.WORKER_ACTIVITY_SLOTS,
      ledgerWorkflowTasks: config.WORKER_LEDGER_WORKFLOW_TASK_SLOTS,
      ledgerActivities: config.WORKER_LEDGER_ACTIVITY_SLOTS,
      bulkWorkflowTasks: config.WORKER_BULK_WORKFLOW_TASK_SLOTS,
      bulkActivities: config.WORKER_BULK_ACTIVITY_SLOTS,
    },
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    waitLimits: { orderReadyMs: config.ORDER_READY_WAIT_HOURS * 3_600_000, refundOrderMs: config.REFUND_ORDER_WAIT_HOURS * 3_600_000 },
    payoutMaxVoucherLines: config.PAYOUT_MAX_VOUCHER_LINES,
    credentials,
    stripeBaseUrl: config.STRIPE_API_BASE,
    nexiBaseUrl: config.NEXI_API_BASE,
    vippsBaseUrl: config.VIPPS_API_BASE,
    clearhausBaseUrl: config.CLEARHAUS_API_BASE,
    testEndpoints: config.TEST_ENDPOINTS,
    dataConverter,
    workflowBundle: { codePath: bundle.codePath },
  }).finally(() => bundle.release());
  const running = worker.run();
  stopping.add('worker (drained)', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
  });
  // Hands the deliveries the API stores to Temporal, as in the worker process (src/main/worker.ts).
  const relay = startIntakeRelay({
    db: database.db,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    log: createLogger(config.LOG_LEVEL),
    listen: database.listen,
    pollMs: config.INTAKE_RELAY_POLL_MS,
  });
  stopping.add('intake relay', () => relay.stop());
  console.log('Building the web app…');
  const webAppWatcher = await watchWebApp();
  stopping.add('web app build', () => webAppWatcher.close());
  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    adminApiKey,
    credentials,
    fetchPayoutsEveryMinutes: config.FETCH_PAYOUTS_EVERY_MINUTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    workLimits: { perRequest: config.WORK_PER_REQUEST, runningPerShop: config.RUNNING_WORK_PER_SHOP },
    rateLimitPerAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    testEndpoints: config.TEST_ENDPOINTS,
    publicUrl: publicUrl(config),
    logResetLinks: config.LOG_RESET_LINKS ?? true,
    logger: loggerOptions(config.LOG_LEVEL),
    temporalUi: { url: temporalUiUrl(config), namespace: config.TEMPORAL_NAMESPACE },
  });
  stopping.add('API', () => app.close());
  await app.listen({ host: config.HOST, port: config.PORT });

  const api = `http://${config.HOST}:${config.PORT}`;
  const firstOwner = await firstDevOwner(database.db, publicUrl(config));
  console.log(`
ledgerbridge is running (${database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'PostgreSQL from DATABASE_URL'})
  API           ${api}
  Web app       ${api}/app
  OpenAPI docs  ${api}/docs
  Temporal UI   http://localhost:${config.TEMPORAL_UI_PORT}
  Temporal      ${temporal.address}
${config.ADMIN_API_KEY ? '' : `  Admin key     ${adminApiKey}   (this run only; set ADMIN_API_KEY to keep one)\n`}${
    firstOwner
      ? `  First person  ${firstOwner.email}: choose a password at ${firstOwner.resetLink}\n`
      : `  People        more with POST /v1/people (an owner) or the admin routes (README: People and sign-in)\n`
  }Press Ctrl-C to stop.`);
});

/**
 * A found CLI runs as our own child in a process group of its own (Ctrl-C must not stop it before the worker has
 * drained); without one the SDK downloads a server, which shares our process group.
 */
async function startTemporal(config: ReturnType<typeof loadConfig>): Promise<{ address: string; stop(): Promise<void> }> {
  const dbFilename = join(config.DATA_DIR, 'temporal.sqlite');
  const port = Number(config.TEMPORAL_ADDRESS.split(':').at(-1));
  const cli = findTemporalCli(config.TEMPORAL_CLI_PATH);
  if (cli) return startCliServer(cli, { dbFilename, port, uiPort: config.TEMPORAL_UI_PORT });
  const env = await startDevServer({ dbFilename, port, uiPort: config.TEMPORAL_UI_PORT });
  return { address: env.address, stop: () => env.teardown() };
}

/** A developer's sealing key, kept in the data directory so stored credentials survive a restart. */
function devCredentialsKey(dataDir: string): string {
  const file = join(dataDir, 'credentials.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, CredentialBox.generateKey(), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
