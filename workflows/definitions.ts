/**
 * Signals and queries of our workflows: the contract between the API, the activities and the workflows.
 * Free of I/O so that both the workflow bundle and Node code import it.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Order, Refund } from '../src/domain/order';
import type { InvoicePlan, PaymentPlan, PostedRecord } from '../src/domain/posting';

export const bookingStatuses = [
  'waiting',
  /** Known but held back: the shop has not activated automatic transfer, or a historical order is not marked. */
  'registered',
  'queued',
  'quota_blocked',
  'posting',
  'drafted',
  'booked',
  'failed',
  'needs_correction',
  'skipped',
  /** Cancelled in the shop: before booking (nothing was booked), or after it once its refunds credit the invoice. */
  'cancelled',
  /**
   * Waited longer than allowed for what it needs (an order for a status the shop books, a refund for its order) and
   * ended without a booking; the restart route runs it again from what is stored.
   */
  'expired',
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export interface BookingFailure {
  code: string;
  details: Record<string, unknown>;
}

/** A booking's state as the database mirrors it (activities/status.ts writes it, for workflows/booking-state.ts only). */
export interface StatusUpdate {
  subject: 'order' | 'refund' | 'payout';
  shopId: string;
  subjectId: string;
  status: BookingStatus;
  error: BookingFailure | null;
  reason: string | null;
  documents: Record<string, string | null>;
}

export interface BookingState {
  status: BookingStatus;
  error?: BookingFailure;
  /** Voucher numbers (or draft ids) by document kind. */
  documents: Record<string, string | null>;
}

// --- order and refund workflows --------------------------------------------------------------------------------
export const orderSnapshotSignal = defineSignal<[Order]>('orderSnapshot');
export const refundSnapshotSignal = defineSignal<[Refund]>('refundSnapshot');
/** Try a failed posting again (after the shop fixed its mapping or the ledger). */
export const restartSignal = defineSignal('restart');
/** Post a held booking: the owner marked this historical order (or payout) for transfer. */
export const transferSignal = defineSignal('transfer');
/** Book a draft invoice (the owner reviewed it). */
export const bookDraftSignal = defineSignal('bookDraft');
export const bookingStateQuery = defineQuery<BookingState>('bookingState');
/** A refund of this order was booked: a cancelled order looks again whether its refunds now credit the invoice. */
export const refundBookedSignal = defineSignal('refundBooked');

// --- ledger workflow (the per-ledger posting lock) ---------------------------------------------------------------
export interface LockRequest {
  holderWorkflowId: string;
  requestId: string;
}
export interface LockGrant {
  requestId: string;
  leaseMs: number;
}
export interface LockRelease {
  requestId: string;
  /** Whether the holder wrote to the ledger (counts against the monthly quota). */
  posted: boolean;
}
/**
 * A document and its payment for the ledger workflow to post in its next batch: no lock round trips per posting,
 * the ledger calls of a whole batch run back to back in one activity.
 */
export interface PostingWork {
  ledgerId: string;
  document: InvoicePlan;
  payment?: PaymentPlan;
  /** A split payment's other parts, registered after `payment`, each once under its own reference. */
  otherPayments?: PaymentPlan[];
  mode: 'draft' | 'booked';
}
export interface PostingSubmission extends LockRequest {
  work: PostingWork;
}
export interface PostingOutcome {
  requestId: string;
  posted?: { document: PostedRecord; payment?: PostedRecord; otherPayments?: PostedRecord[] };
  /** A business error (catalog code) of this posting alone; the rest of the batch went on. */
  failure?: BookingFailure;
}
/** The work itself waits in the posting_requests table; the ledger workflow queues only the request. */
export const submitPostingSignal = defineSignal<[LockRequest]>('submitPosting');
export const postingDoneSignal = defineSignal<[PostingOutcome]>('postingDone');
export const acquireLockSignal = defineSignal<[LockRequest]>('acquireLock');
export const releaseLockSignal = defineSignal<[LockRelease]>('releaseLock');
export const renewLeaseSignal = defineSignal<[{ requestId: string }]>('renewLease');
export const setQuotaSignal = defineSignal<[{ monthlyQuota: number | null }]>('setQuota');
/** Sent by the ledger to a holder: the lock is yours until leaseMs passes without a renewal. */
export const lockGrantedSignal = defineSignal<[LockGrant]>('lockGranted');
/** Sent by the ledger to a waiter while the monthly quota is used up. */
export const quotaBlockedSignal = defineSignal<[{ requestId: string; month: string }]>('quotaBlocked');

export interface LedgerQueueView {
  ledgerId: string;
  holder: { workflowId: string; requestId: string; grantedAt: string; leaseUntil: string } | null;
  queue: { workflowId: string; requestId: string; since: string }[];
  monthlyQuota: number | null;
  month: string;
  postedThisMonth: number;
  quotaBlocked: boolean;
  grantsTotal: number;
  /** The batch of postings being written now, if any. */
  batch: { size: number; since: string } | null;
  postingsTotal: number;
}
export const ledgerQueueQuery = defineQuery<LedgerQueueView>('ledgerQueue');
/** Where a posting request is in its ledger: waiting in the queue, in the batch being written, or not known. */
export const postingRequestQuery = defineQuery<'queued' | 'batch' | 'unknown', [string]>('postingRequest');

// --- graduation workflow ------------------------------------------------------------------------------------------
export const approveGraduationSignal = defineSignal('approveGraduation');
export const postponeGraduationSignal = defineSignal<[{ days: number }]>('postponeGraduation');
export const stayOnDraftsSignal = defineSignal('stayOnDrafts');
export interface GraduationView {
  ledgerId: string;
  state: 'trial' | 'awaiting_approval' | 'graduated' | 'staying_on_drafts';
  /** Absent in views of workflows started before it was added. */
  trialStartedAt?: string;
  trialEndsAt: string;
  /** Counted when the trial ends; null before (the API counts the failures so far). */
  failedPostingsInTrial: number | null;
}
export const graduationQuery = defineQuery<GraduationView>('graduation');

// --- history backfill ------------------------------------------------------------------------------------------
export interface BackfillProgress {
  status: 'running' | 'completed' | 'failed';
  phase: 'channel' | 'acquirers' | 'done';
  since: string;
  pages: number;
  orders: number;
  refunds: number;
  payouts: number;
  rejected: number;
  error?: BookingFailure;
}
export const backfillProgressQuery = defineQuery<BackfillProgress>('backfillProgress');

/**
 * Ledger workflows and their batches run on a task queue of their own, with worker slots of their own (src/worker.ts):
 * a ledger's next batch never waits behind the order tasks of any shop (issue 16). Idempotent, so that a ledger
 * workflow still running on the main queue (started before this queue existed) moves to it when it continues as new.
 */
export const ledgerTaskQueue = (taskQueue: string) => (taskQueue.endsWith('-ledgers') ? taskQueue : `${taskQueue}-ledgers`);

/**
 * Bulk work, payouts and the reading of settlement files, runs on a task queue of its own with few worker slots
 * (src/worker.ts): however many payouts a shop starts or however large its file, they take at most those slots and
 * never the ones other shops' orders run in (issue 17, point 7). Idempotent, as ledgerTaskQueue.
 */
export const bulkTaskQueue = (taskQueue: string) => (taskQueue.endsWith('-bulk') ? taskQueue : `${taskQueue}-bulk`);

export const workflowIds = {
  order: (shopId: string, orderId: string) => `order/${shopId}/${orderId}`,
  refund: (shopId: string, refundId: string) => `refund/${shopId}/${refundId}`,
  ledger: (ledgerId: string) => `ledger/${ledgerId}`,
  graduation: (ledgerId: string) => `graduation/${ledgerId}`,
  payout: (connectionId: string, payoutId: string) => `payout/${connectionId}/${payoutId}`,
  fetchPayouts: (connectionId: string) => `fetch-payouts/${connectionId}`,
  /** Reads one uploaded settlement file (activities/settlement-uploads.ts). */
  settlementUpload: (uploadId: string) => `settlement-upload/${uploadId}`,
  /** The schedule that polls a Dandomain shop's orders (Dandomain has no webhooks). */
  pollDandomain: (shopId: string) => `poll-dandomain/${shopId}`,
  backfill: (shopId: string) => `backfill/${shopId}`,
  /** Fetches one refund a channel only names (WooCommerce's order.updated) from the store's REST API. */
  channelRefund: (shopId: string, refundId: string) => `channel-refund/${shopId}/${refundId}`,
};
