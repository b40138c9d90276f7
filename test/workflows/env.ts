import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import type { BookingContext } from '../../activities/context';
import type { Mapping } from '../../src/domain/mapping';
import type { Order } from '../../src/domain/order';
import type { DocumentKind, InvoicePlan, PaymentPlan, PostedRecord } from '../../src/domain/posting';
import {
  acquireLockSignal,
  orderSnapshotSignal,
  submitPostingSignal,
  ledgerTaskQueue,
  workflowIds,
  type LockRequest,
  type PostingOutcome,
  type PostingSubmission,
  type StatusUpdate,
} from '../../workflows/definitions';
import type { LedgerWorkflowInput } from '../../workflows/ledger';
import type { OrderWorkflowInput } from '../../workflows/order';

/**
 * The workflow tier: the real workflows on the run's Temporal dev server, their activities replaced by plain
 * objects (as in temporalio/samples-typescript), so a test controls what the ledger answers and every duration.
 * `World` is everything outside the workflows — our database and the accounting systems — as a few maps.
 */
export interface ShopSetup {
  ledgerId: string;
  mode: 'draft' | 'auto';
  mapping: Mapping | null;
}

export class World {
  /** The request ids of each batch, in the order the batches ran. */
  readonly batches: string[][] = [];
  /** Outcomes the ledger workflow stored itself (a batch that failed as a whole). */
  readonly stored: PostingOutcome[] = [];
  /** What a new ledger run finds pending in posting_requests (the probes' requests; bookings' are found by ledger). */
  pending: LockRequest[] = [];
  /** Every ledger is down: each batch fails for good. */
  down = false;
  /** While set, a batch waits for it once it has started: a test looks at the bookings in the middle of a batch. */
  batchGate: Promise<void> | undefined;
  /** While set, a payout's part waits for it once its posting has started: a holder whose ledger call outlasts its lease. */
  payoutPartGate: Promise<void> | undefined;
  /** `connectionId/payoutId#part` of each payout part whose posting started, in order. */
  readonly payoutParts: string[] = [];
  /** What the refunds of an order (by order id) credited so far, as bookedRefundTotal adds them up. */
  readonly refunded = new Map<string, number>();

  /** posting_requests: what each booking submitted, and the outcome its batch stored. */
  readonly requests = new Map<string, PostingSubmission & { outcome?: PostingOutcome }>();
  /** The requests a ledger's take handed out. */
  readonly taken = new Set<string>();
  /** The documents in the accounting systems, by `ledger/kind/reference`; `created` lists each creation. */
  readonly documents = new Map<string, PostedRecord>();
  readonly created: string[] = [];
  /** The ledger refuses postings of these references with this catalog code (a business error of that posting). */
  readonly refuse = new Map<string, string>();
  /** How a ledger workflow is started when a booking reaches it (the worker's lease, the ledger's quota). */
  readonly ledgerSettings = new Map<string, Partial<LedgerWorkflowInput>>();

  /** shops and ledgers rows: each shop's ledger, its mode and mapping. */
  readonly shops = new Map<string, ShopSetup>();
  /** What the status writer mirrored into the database, in order. */
  readonly statuses: (StatusUpdate & { at: number })[] = [];
  /** The graduation's inputs and effects. */
  readonly failedPostings = new Map<string, number>();
  readonly modeChanges: { ledgerId: string; mode: 'draft' | 'auto'; at: number }[] = [];

  constructor(private readonly client: Client, private readonly taskQueue: string) {}

  statusesOf(subjectId: string) {
    return this.statuses.filter((s) => s.subjectId === subjectId);
  }

  /** Starts (or signals) a ledger's workflow as activities/lock.ts does. */
  private async enqueue(ledgerId: string, signal: typeof acquireLockSignal | typeof submitPostingSignal, req: LockRequest) {
    const input: LedgerWorkflowInput = { ledgerId, leaseMs: 60_000, monthlyQuota: null, ...this.ledgerSettings.get(ledgerId) };
    await this.client.workflow.signalWithStart('ledgerWorkflow', {
      workflowId: workflowIds.ledger(ledgerId),
      taskQueue: ledgerTaskQueue(this.taskQueue),
      args: [input],
      signal,
      signalArgs: [req],
    });
    return { lockWorkflowId: workflowIds.ledger(ledgerId) };
  }

  /** A document written once: found again by its reference, as src/services/posting/ finds it in `postings`. */
  private write(ledgerId: string, plan: InvoicePlan | PaymentPlan, state: PostedRecord['state']): PostedRecord {
    const key = `${ledgerId}/${plan.kind}/${plan.reference}`;
    const found = this.documents.get(key);
    if (found) return { ...found, created: false };
    const amount = 'total' in plan ? plan.total : plan.amount;
    const rec: PostedRecord = {
      kind: plan.kind,
      reference: plan.reference,
      documentId: `doc-${this.documents.size + 1}`,
      voucherNumber: state === 'draft' ? null : String(this.documents.size + 1),
      state,
      amount,
      currency: plan.currency,
      created: true,
    };
    this.documents.set(key, rec);
    this.created.push(key);
    return rec;
  }

  private post(requestId: string): PostingOutcome {
    const request = this.requests.get(requestId);
    if (!request) return { requestId, posted: { document: probeRecord(requestId) } };
    const { work } = request;
    const refused = this.refuse.get(work.document.reference);
    if (refused) return { requestId, failure: { code: refused, details: {} } };
    const document = this.write(work.ledgerId, work.document, work.mode);
    // As activities/postings.ts: a draft invoice gets its payment only once it is booked.
    const payment = work.payment && document.state === 'booked' ? this.write(work.ledgerId, work.payment, 'booked') : undefined;
    return { requestId, posted: { document, ...(payment ? { payment } : {}) } };
  }

  readonly activities = {
    // --- the ledger workflow's -------------------------------------------------------------------------------
    postBatch: async ({ requestIds }: { requestIds: string[] }): Promise<PostingOutcome[]> => {
      this.batches.push(requestIds);
      await this.batchGate;
      if (this.down) throw ApplicationFailure.nonRetryable('the test ledger is down', 'ledger_unreachable');
      const outcomes = requestIds.map((id) => this.post(id));
      for (const o of outcomes) {
        const request = this.requests.get(o.requestId);
        if (request) request.outcome = o;
      }
      return outcomes;
    },
    pendingPostingRequests: async ({ ledgerId }: { ledgerId: string }): Promise<LockRequest[]> => [
      ...this.pending,
      ...[...this.requests.values()].filter((r) => r.work.ledgerId === ledgerId && !r.outcome).map(({ holderWorkflowId, requestId }) => ({ holderWorkflowId, requestId })),
    ],
    // Bookings' requests no take handed out yet (src/services/posting/wakeup.ts); this world signals every posting.
    takePostingRequests: async ({ ledgerId }: { ledgerId: string }): Promise<LockRequest[]> => {
      const found = [...this.requests.values()].filter((r) => r.work.ledgerId === ledgerId && !r.outcome && !this.taken.has(r.requestId));
      for (const r of found) this.taken.add(r.requestId);
      return found.map(({ holderWorkflowId, requestId }) => ({ holderWorkflowId, requestId }));
    },
    storePostingOutcomes: async ({ outcomes }: { outcomes: PostingOutcome[] }) => {
      this.stored.push(...outcomes);
    },

    // --- a booking's side of the ledger (activities/lock.ts) -------------------------------------------------
    submitPosting: async (input: PostingSubmission) => {
      if (!this.requests.has(input.requestId)) this.requests.set(input.requestId, input);
      return { ...(await this.enqueue(input.work.ledgerId, submitPostingSignal, input)), recheckAfterMs: 30_000 };
    },
    askLedgerAgain: async ({ requestId }: { requestId: string }) => ({ outcome: this.requests.get(requestId)?.outcome ?? null }),
    requestLedgerLock: ({ ledgerId, ...req }: { ledgerId: string } & LockRequest) => this.enqueue(ledgerId, acquireLockSignal, req),

    // --- what a booking reads and writes ---------------------------------------------------------------------
    loadBookingContext: async ({ shopId, postings }: { shopId: string; postings: { kind: DocumentKind; reference: string }[] }): Promise<BookingContext> => {
      const shop = this.shops.get(shopId);
      if (!shop) throw new Error(`shop ${shopId} has no ledger`);
      const posted: BookingContext['posted'] = {};
      for (const { kind, reference } of postings) {
        const doc = this.documents.get(`${shop.ledgerId}/${kind}/${reference}`);
        if (doc) posted[kind] = { ...doc, kind };
      }
      const ledger = { id: shop.ledgerId, system: 'test', mode: shop.mode, currency: 'DKK', startDate: '2026-01-01' };
      return { ledger, mapping: shop.mapping, transfer: 'automatic', posted };
    },
    recordBookingStatus: async (update: StatusUpdate) => {
      this.statuses.push({ ...update, at: Date.now() });
    },
    // A reviewed draft booked, and its payment registered, under the ledger's lock (activities/postings.ts).
    bookDraft: async ({ ledgerId, kind, reference }: { ledgerId: string; kind: DocumentKind; reference: string }): Promise<PostedRecord> => {
      const key = `${ledgerId}/${kind}/${reference}`;
      const draft = this.documents.get(key);
      if (!draft) throw ApplicationFailure.nonRetryable(`no draft ${key}`, 'payment_unknown_invoice');
      const booked = { ...draft, state: 'booked' as const, voucherNumber: draft.voucherNumber ?? String(this.documents.size + 1), created: false };
      this.documents.set(key, booked);
      return booked;
    },
    registerPayment: async ({ ledgerId, plan }: { ledgerId: string; plan: PaymentPlan }) => this.write(ledgerId, plan, 'booked'),
    // A payout planned as one part and posted under the lock (activities/payouts.ts).
    planPayoutBooking: async () => ({ parts: 1, lines: 1 }),
    postPayoutPart: async ({ connectionId, payoutId, part }: { ledgerId: string; connectionId: string; payoutId: string; part: number }) => {
      this.payoutParts.push(`${connectionId}/${payoutId}#${part}`);
      await this.payoutPartGate;
      return { voucherNumber: String(this.documents.size + 1), state: 'booked' as const, created: true, parts: 1 };
    },
    releaseRefundsOf: async () => undefined,
    bookedRefundTotal: async ({ orderId }: { orderId: string }) => this.refunded.get(orderId) ?? 0,

    // --- the graduation's ------------------------------------------------------------------------------------
    countFailedPostingsSince: async ({ ledgerId }: { ledgerId: string; since: string }) => this.failedPostings.get(ledgerId) ?? 0,
    setLedgerMode: async ({ ledgerId, mode }: { ledgerId: string; mode: 'draft' | 'auto' }) => {
      this.modeChanges.push({ ledgerId, mode, at: Date.now() });
      for (const shop of this.shops.values()) if (shop.ledgerId === ledgerId) shop.mode = mode;
    },
  };
}

/** A document for a probe's request (a probe submits no work). */
const probeRecord = (reference: string): PostedRecord => ({
  kind: 'invoice',
  reference,
  documentId: `doc-${reference}`,
  voucherNumber: null,
  state: 'booked',
  amount: 10_000,
  currency: 'DKK',
  created: true,
});

export interface WorkflowTier {
  client: Client;
  taskQueue: string;
  world: World;
  close(): Promise<void>;
}

export async function startWorkflowTier(address: string): Promise<WorkflowTier> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = `workflow-tier-${process.pid}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const world = new World(client, taskQueue);
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./bundle/index.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const nativeConnection = await NativeConnection.connect({ address });
  // As src/worker.ts: ledger workflows on a queue of their own (a ledger started on the main queue moves there when it continues as new).
  const workers = await Promise.all(
    [taskQueue, ledgerTaskQueue(taskQueue)].map((q) => Worker.create({ connection: nativeConnection, taskQueue: q, workflowBundle, activities: world.activities })),
  );
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    client,
    taskQueue,
    world,
    async close() {
      for (const w of workers) w.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/** The tier of one test file (its own worker and task queue on the run's dev server), closed after the file. */
export function useWorkflowTier(): () => WorkflowTier {
  let tier: WorkflowTier | undefined;
  beforeAll(async () => {
    tier = await startWorkflowTier(inject('temporalAddress'));
  }, 120_000);
  afterAll(async () => tier?.close());
  return () => tier!;
}

/** A webhook delivery as src/services/intake.ts hands it on: signal the booking, starting it if it is not running. */
export function deliverOrder(tier: WorkflowTier, shopId: string, snapshot: Order, input: Partial<OrderWorkflowInput> = {}) {
  return tier.client.workflow.signalWithStart('orderWorkflow', {
    workflowId: workflowIds.order(shopId, snapshot.orderId),
    taskQueue: tier.taskQueue,
    args: [{ shopId, orderId: snapshot.orderId, ...input }],
    signal: orderSnapshotSignal,
    signalArgs: [snapshot],
  });
}
