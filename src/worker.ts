import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { WaitLimits } from '../activities/context';
import type { Db } from '../db/client';
import { bulkTaskQueue, ledgerTaskQueue } from '../workflows/definitions';
import type { CredentialBox } from './crypto/credentials';

export interface WorkerDeps {
  db: Db;
  client: Client;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  leaseMs: number;
  credentials?: CredentialBox;
  stripeBaseUrl?: string;
  nexiBaseUrl?: string;
  vippsBaseUrl?: string;
  clearhausBaseUrl?: string;
  lockScope?: 'ledger' | 'global';
  /** How long a booking waits for its posting's outcome before it asks its ledger again (tests make it short). */
  postingRecheckMs?: number;
  /** How long a booking waits for what it needs before it ends as expired (config: ORDER_READY_WAIT_HOURS, …). */
  waitLimits?: WaitLimits;
  /**
   * Tasks run at once (config WORKER_WORKFLOW_TASK_SLOTS, WORKER_ACTIVITY_SLOTS, for the ledgers' queue
   * WORKER_LEDGER_WORKFLOW_TASK_SLOTS, WORKER_LEDGER_ACTIVITY_SLOTS, and for bulk work WORKER_BULK_WORKFLOW_TASK_SLOTS,
   * WORKER_BULK_ACTIVITY_SLOTS; the defaults there).
   */
  slots?: { workflowTasks: number; activities: number; ledgerWorkflowTasks?: number; ledgerActivities?: number; bulkWorkflowTasks?: number; bulkActivities?: number };
  /** Workflows kept in memory between tasks, per task queue (config WORKER_MAX_CACHED_WORKFLOWS); the SDK's default when absent. */
  maxCachedWorkflows?: number;
  /** Tests only (TEST_ENDPOINTS): ledger base URLs and http store URLs on this machine are taken. */
  testEndpoints?: boolean;
  /** PAYOUT_MAX_VOUCHER_LINES: a payout with more voucher lines is booked in parts. */
  payoutMaxVoucherLines?: number;
  /**
   * The workflows, bundled outside this process (src/temporal/workflow-bundle.ts; tests build it once per run):
   * bundling here would leave webpack's memory behind for the process's life.
   */
  workflowBundle: WorkerOptions['workflowBundle'];
  /** The same as the client's (src/temporal/data-converter.ts): encrypted payloads when PAYLOAD_KEY is set. */
  dataConverter?: DataConverter;
}

/** The workers of one process: one on the main queue, one on the ledgers' queue, one on bulk work's; run and stopped together. */
export interface Workers {
  run(): Promise<void>;
  shutdown(): void;
  getState(): ReturnType<Worker['getState']>;
}

/**
 * The worker runs the workflows and their activities; scale out by starting more of them. It polls three task queues,
 * each with slots of its own: the main one (orders, refunds, backfills), the ledgers' (ledger workflows and their
 * posting batches, workflows/definitions.ts ledgerTaskQueue), so that a ledger's batch never waits for a slot behind
 * any shop's order tasks, and bulk work's (payouts and settlement files, bulkTaskQueue), so that a shop's thousand
 * payouts or its 80 MB file hold a few slots of their own rather than the ones every shop's orders need. The main
 * worker registers every workflow: ledger workflows, payouts and uploads started before their queue existed finish
 * there.
 */
export async function createWorker(deps: WorkerDeps): Promise<Workers> {
  const activities = createActivities({
    db: deps.db,
    client: deps.client,
    taskQueue: deps.taskQueue,
    leaseMs: deps.leaseMs,
    credentials: deps.credentials,
    stripeBaseUrl: deps.stripeBaseUrl,
    nexiBaseUrl: deps.nexiBaseUrl,
    vippsBaseUrl: deps.vippsBaseUrl,
    clearhausBaseUrl: deps.clearhausBaseUrl,
    lockScope: deps.lockScope,
    postingRecheckMs: deps.postingRecheckMs,
    waitLimits: deps.waitLimits,
    testEndpoints: deps.testEndpoints,
    payoutMaxVoucherLines: deps.payoutMaxVoucherLines,
  });
  const common = {
    connection: deps.connection,
    namespace: deps.namespace,
    // One bundle for the three workers (each would bundle the workflows on its own).
    workflowBundle: deps.workflowBundle,
    dataConverter: deps.dataConverter,
    activities,
    maxCachedWorkflows: deps.maxCachedWorkflows,
  };
  const main = await Worker.create({
    ...common,
    taskQueue: deps.taskQueue,
    // A backlog stays in Temporal's task queue, where shops take turns (src/temporal/fairness.ts): with 100 slots each,
    // one shop's 300 orders were all pulled into this worker, another shop's order waited behind them first come first
    // served, and its workflow tasks timed out (10 s) three times in a row (bench/hostile.ts).
    maxConcurrentActivityTaskExecutions: deps.slots?.activities ?? 40,
    maxConcurrentWorkflowTaskExecutions: deps.slots?.workflowTasks ?? 10,
  });
  const ledgers = await Worker.create({
    ...common,
    taskQueue: ledgerTaskQueue(deps.taskQueue),
    // One batch at a time per ledger: a slot per ledger posting at once, however many orders wait.
    maxConcurrentActivityTaskExecutions: deps.slots?.ledgerActivities ?? 20,
    maxConcurrentWorkflowTaskExecutions: deps.slots?.ledgerWorkflowTasks ?? 5,
  });
  const bulk = await Worker.create({
    ...common,
    taskQueue: bulkTaskQueue(deps.taskQueue),
    // Few: what runs here is slow (a file read for minutes, a payout of thousands of lines planned), and every task of
    // it taken in is CPU and database connections the orders of all shops run without (bench/hostile.ts).
    maxConcurrentActivityTaskExecutions: deps.slots?.bulkActivities ?? 4,
    maxConcurrentWorkflowTaskExecutions: deps.slots?.bulkWorkflowTasks ?? 2,
  });
  return {
    run: () => Promise.all([main.run(), ledgers.run(), bulk.run()]).then(() => undefined),
    shutdown() {
      for (const w of [main, ledgers, bulk]) if (w.getState() === 'RUNNING') w.shutdown();
    },
    getState: () => main.getState(),
  };
}
