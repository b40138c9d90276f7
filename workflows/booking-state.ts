/**
 * The visible state of one booking, and its one writer: each change is set here and shown at once in the three
 * places that show it (the workflow's query, its search attributes and details, and, through recordBookingStatus,
 * the database row and the timeline), so they never disagree. Nothing else writes a booking's status.
 */
import { patched, proxyLocalActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { StatusUpdate } from '../activities/status';
import { bookingDetails } from '../src/domain/booking-details';
import { BookingStatus, ErrorCode, LedgerId, OrderNumber, ShopId } from '../src/temporal/search-attributes';
import type { BookingFailure, BookingState, BookingStatus as Status } from './definitions';
import type { LockCallbacks } from './ledger-line';

const { recordBookingStatus } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
});

export class BookingTracker {
  readonly state: BookingState = { status: 'waiting', documents: {} };
  private heldFor = '';
  private orderNumber: string | undefined;

  constructor(
    private readonly subject: 'order' | 'refund' | 'payout',
    private readonly shopId: string,
    private readonly subjectId: string,
  ) {}

  /** Sets the identifying search attributes once they are known. */
  identify(ledgerId: string, orderNumber?: string) {
    this.orderNumber = orderNumber ?? this.orderNumber;
    upsertSearchAttributes([
      { key: ShopId, value: this.shopId },
      { key: LedgerId, value: ledgerId },
      ...(orderNumber ? [{ key: OrderNumber, value: orderNumber }] : []),
    ]);
  }

  /** What the lock shows while this booking waits: queued, or blocked by the ledger's monthly quota. */
  waitingAt(ledgerId: string): LockCallbacks {
    return {
      onQueued: () => this.set('queued'),
      onQuotaBlocked: () => this.set('quota_blocked', { error: { code: 'quota_exhausted', details: { ledgerId } } }),
    };
  }

  /** Shows the booking as registered (held back) with why; a repeated check with the same reason writes nothing. */
  async hold(reason: string) {
    if (this.state.status === 'registered' && this.heldFor === reason) return;
    this.heldFor = reason;
    await this.set('registered', { reason });
  }

  /** Shows the booking as waiting for what `wait` names (a catalog code); the same wait again writes nothing. */
  async waitFor(wait: BookingFailure, reason: string) {
    // Runs recorded before a repeated wait wrote nothing replay their write per poll (the patch says which).
    if (this.state.status === 'waiting' && this.heldFor === reason && patched('refund-wait-once')) return;
    this.heldFor = reason;
    await this.set('waiting', { error: wait, reason });
  }

  async set(status: Status, opts: { error?: BookingFailure; reason?: string } = {}) {
    this.show(status, opts.error, opts.reason);
    await recordBookingStatus(this.update(status, opts));
  }

  private show(status: Status, error?: BookingFailure, reason?: string) {
    this.state.status = status;
    this.state.error = error;
    upsertSearchAttributes([
      { key: BookingStatus, value: status },
      { key: ErrorCode, value: error?.code ?? null },
    ]);
    // The workflow's page in the Web UI shows this: what it is, the state, and a failure's message and fix.
    setCurrentDetails(
      bookingDetails({
        subject: this.subject,
        subjectId: this.subjectId,
        orderNumber: this.orderNumber,
        shopId: this.shopId,
        status,
        error,
        reason,
        documents: this.state.documents,
      }),
    );
  }

  private update(status: Status, opts: { error?: BookingFailure; reason?: string }): StatusUpdate {
    return {
      subject: this.subject,
      shopId: this.shopId,
      subjectId: this.subjectId,
      status,
      error: opts.error ?? null,
      reason: opts.reason ?? opts.error?.code ?? null,
      documents: this.state.documents,
    };
  }
}
