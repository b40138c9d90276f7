import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { openDatabase } from '../../db/client';
import { loadConfig } from '../config';
import { CredentialBox } from '../crypto/credentials';
import { createLogger } from '../logger';
import { temporalDataConverter } from '../temporal/data-converter';
import { loadWorkflowBundle } from '../temporal/workflow-bundle';
import { startIntakeRelay } from '../services/intake-relay';
import { createWorker } from '../worker';
import { runMain } from './run';

runMain(async () => {
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const log = createLogger(config.LOG_LEVEL);
  const dataConverter = temporalDataConverter(config);
  const database = await openDatabase({ url: config.DATABASE_URL });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const credentials = config.CREDENTIALS_KEY ? new CredentialBox(config.CREDENTIALS_KEY) : undefined;
  const bundle = await loadWorkflowBundle(config.WORKFLOW_BUNDLE);
  log.info({ workflowBundle: bundle.codePath, prebuilt: bundle.prebuilt }, 'workflow bundle');
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const worker = await createWorker({
    db: database.db,
    client,
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
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
    lockScope: config.LEDGER_LOCK_SCOPE,
    dataConverter,
    workflowBundle: { codePath: bundle.codePath },
  }).finally(() => bundle.release());
  const running = worker.run();
  // Hands the deliveries the API stored to Temporal (src/services/intake-relay.ts); each worker runs one.
  const relay = startIntakeRelay({ db: database.db, temporal: client, taskQueue: config.TEMPORAL_TASK_QUEUE, log, listen: database.listen, pollMs: config.INTAKE_RELAY_POLL_MS });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
  return async () => {
    await relay.stop();
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await clientConnection.close();
    await connection.close();
    await database.close();
  };
});
