import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { openDatabase } from '../../db/client';
import { buildApp } from '../api/app';
import { loadConfig } from '../config';
import { CredentialBox } from '../crypto/credentials';
import { bindSealedSecrets } from '../services/bind-sealed-secrets';
import { loggerOptions } from '../logger';
import { temporalDataConverter } from '../temporal/data-converter';
import { startDevServer } from '../temporal/dev-server';
import { createWorker } from '../worker';
import { runMain } from './run';

/**
 * Everything in one process for a developer: a Temporal dev server (SQLite under .data/, Web UI), PostgreSQL or the
 * embedded PGlite, the worker and the API.
 */
runMain(async () => {
  const config = loadConfig();
  const adminApiKey = config.ADMIN_API_KEY ?? randomBytes(24).toString('hex');
  const credentials = new CredentialBox(config.CREDENTIALS_KEY ?? devCredentialsKey(config.DATA_DIR));

  console.log('Starting the Temporal dev server…');
  const temporal = await startDevServer({
    dbFilename: join(config.DATA_DIR, 'temporal.sqlite'),
    port: 7233,
    uiPort: config.TEMPORAL_UI_PORT,
    cliPath: config.TEMPORAL_CLI_PATH,
  });
  // Our own client on the dev server's connection: the test environment's client knows no payload codec.
  const dataConverter = temporalDataConverter(config);
  const client = new Client({ connection: temporal.connection, namespace: 'default', dataConverter });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite') });
  await database.migrate();
  await bindSealedSecrets(database.db, credentials);

  const worker = await createWorker({
    db: database.db,
    client,
    connection: temporal.nativeConnection,
    namespace: 'default',
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    leaseMs: config.LEDGER_LOCK_LEASE_SECONDS * 1000,
    postingRecheckMs: config.POSTING_RECHECK_SECONDS * 1000,
    credentials,
    stripeBaseUrl: config.STRIPE_API_BASE,
    nexiBaseUrl: config.NEXI_API_BASE,
    vippsBaseUrl: config.VIPPS_API_BASE,
    clearhausBaseUrl: config.CLEARHAUS_API_BASE,
    testEndpoints: config.TEST_ENDPOINTS,
    dataConverter,
  });
  const running = worker.run();
  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    adminApiKey,
    credentials,
    fetchPayoutsEveryMinutes: config.FETCH_PAYOUTS_EVERY_MINUTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    rateLimitPerAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    testEndpoints: config.TEST_ENDPOINTS,
    logger: loggerOptions(config.LOG_LEVEL),
  });
  await app.listen({ host: config.HOST, port: config.PORT });

  const api = `http://${config.HOST}:${config.PORT}`;
  console.log(`
ledgerbridge is running (${database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'PostgreSQL from DATABASE_URL'})
  API           ${api}
  OpenAPI docs  ${api}/docs
  Temporal UI   http://localhost:${config.TEMPORAL_UI_PORT}
  Temporal      ${temporal.address}
${config.ADMIN_API_KEY ? '' : `  Admin key     ${adminApiKey}   (this run only; set ADMIN_API_KEY to keep one)\n`}Press Ctrl-C to stop.`);

  return async () => {
    await app.close();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await database.close();
    await temporal.teardown();
  };
});

/** A developer's sealing key, kept in the data directory so stored credentials survive a restart. */
function devCredentialsKey(dataDir: string): string {
  const file = join(dataDir, 'credentials.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, CredentialBox.generateKey(), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
