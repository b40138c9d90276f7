/**
 * One refund: a credit note against the order's invoice and a refund payment against the acquirer receivable the
 * payment went to, under the ledger's lock. A refund that arrives before its order is booked waits for it.
 */
import { condition, getExternalWorkflowHandle, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { BookingError } from '../src/domain/errors';
import type { Order, Refund } from '../src/domain/order';
import { journalNote, joinNotes, type NotedDocument } from '../src/domain/journal-note';
import { planRefund } from '../src/domain/plan-refund';
import { orderInLedger, refundInLedger } from '../src/domain/ledger-reference';
import type { DocumentState } from '../src/domain/posting';
import { describeRefundWait, refundWait, type RefundWait } from '../src/domain/refund-wait';
import { EXPIRED, NOT_READY, untilBookedOrExpired, WaitClock } from './attempts';
import { BookingTracker } from './booking-state';
import { bookingStateQuery, refundBookedSignal, refundSnapshotSignal, restartSignal, workflowIds } from './definitions';
import { LedgerLine } from './ledger-line';
import { checked, refundInput } from './signal-inputs';
import { ledgerRetry } from './retry';

const { loadBookingContext, loadRefundContext } = proxyActivities<
  ReturnType<typeof createActivities>
>({ startToCloseTimeout: '30 seconds', retry: ledgerRetry });

export interface RefundWorkflowInput {
  shopId: string;
  refundId: string;
}

/** Look again for the order after 2 s, 4 s … at most every 5 minutes. */
const orderPollMs = (tries: number) => Math.min(2000 * 2 ** tries, 5 * 60_000);

export async function refundWorkflow({ shopId, refundId }: RefundWorkflowInput): Promise<string> {
  const booking = new RefundBooking(shopId, refundId);
  await condition(() => booking.refund !== undefined);
  const outcome = await untilBookedOrExpired<'booked' | 'cancelled'>(
    booking.tracker,
    { ...booking.triggers, pollMs: orderPollMs, notReadyUntil: booking.orderWait.until },
    () => booking.attempt(),
    () => booking.expire(),
  );
  if (outcome === EXPIRED) return outcome;
  if (outcome === 'cancelled') return outcome;
  return booking.showBooked();
}

/** One run's state: the latest snapshot, what the ledger holds of the refund, and what the booking shows (its tracker). */
class RefundBooking {
  readonly tracker: BookingTracker;
  private readonly ledgerLine = new LedgerLine();
  refund: Refund | undefined;
  private version = 0;
  private restarts = 0;
  private noPaymentNote: string | undefined;
  private refundPaymentNoted: NotedDocument | undefined;
  /** Since when the refund has waited for its order (a new snapshot starts anew), and how long it may. */
  readonly orderWait = new WaitClock<RefundWait>();
  readonly triggers = { restarts: () => this.restarts, snapshots: () => this.version };

  constructor(
    private readonly shopId: string,
    private readonly refundId: string,
  ) {
    this.tracker = new BookingTracker('refund', shopId, refundId);
    setHandler(
      refundSnapshotSignal,
      checked('refundSnapshot', refundInput, (r) => {
        this.refund = r;
        this.version++;
      }),
    );
    setHandler(restartSignal, () => void this.restarts++);
    setHandler(bookingStateQuery, () => this.tracker.state);
  }

  /** One try at the latest snapshot: wait for the order, or credit its invoice; throws BookingError or activity failures. */
  async attempt(): Promise<'booked' | 'cancelled' | typeof NOT_READY> {
    const current = this.refund!;
    const seenVersion = this.version;
    const { shopId, refundId, tracker } = this;
    const order = await loadRefundContext({ shopId, orderId: current.orderId, refundId });
    this.orderWait.stop();
    if (order.orderBooking === 'cancelled' && !order.invoice) {
      await tracker.set('cancelled', { reason: `its order ${current.orderId} was cancelled before it was booked: there is no invoice to credit` });
      return 'cancelled';
    }
    if (order.orderBooking === 'registered') {
      await tracker.hold(`its order ${current.orderId} is registered and not transferred; it follows when the order is`);
      return NOT_READY;
    }
    const wait = refundWait({
      orderId: current.orderId,
      orderStatus: order.orderBooking,
      orderErrorCode: order.orderErrorCode,
      invoiceBooked: order.invoice?.state === 'booked',
      paymentExpected: Boolean(order.order?.payment),
      paymentRegistered: Boolean(order.payment),
    });
    if (wait) {
      this.orderWait.start(seenVersion, order.orderWaitMs, wait);
      await tracker.waitFor(wait, describeRefundWait(wait));
      return NOT_READY;
    }
    return this.book(current, order.order!, order.alreadyRefunded); // refundWait waits while the order has not arrived
  }

  /** Credits the booked order's invoice, and reverses its payment when there was one, unless posted before. */
  private async book(current: Refund, booked: Order, alreadyRefunded: number): Promise<'booked'> {
    const { shopId, refundId, tracker } = this;
    const ctx = await loadBookingContext({
      shopId,
      postings: [
        { kind: 'credit_note', reference: refundId },
        { kind: 'refund_payment', reference: refundId },
      ],
      // Checked with the API's schema before it is planned from (workflows/signal-inputs.ts).
      snapshot: { refund: current },
    });
    const ledgerId = ctx.ledger.id;
    tracker.identify(ledgerId, booked.orderNumber);
    if (!ctx.mapping) throw new BookingError('mapping_missing');
    // The shop's ids as its ledger knows them (see the order workflow: no patch needed).
    const plan = planRefund(refundInLedger(current, ctx.referencePrefix), orderInLedger(booked, ctx.referencePrefix), ctx.mapping, alreadyRefunded);
    this.noPaymentNote = plan.refundPayment ? undefined : `credit note only: order ${current.orderId} has no registered payment, so no refund payment was registered`;
    // Posted before (a run that ended before its outcome came back): show what the ledger has.
    const { credit_note: postedCreditNote, refund_payment: postedPayment } = ctx.posted;
    if (postedCreditNote) tracker.state.documents.credit_note = postedCreditNote.voucherNumber;
    if (postedPayment) this.notePayment(postedPayment);
    if (postedCreditNote && (postedPayment || !plan.refundPayment)) return 'booked';

    // The invoice was booked (reviewed), so its credit note is booked too.
    const { document, payment } = await this.ledgerLine.post(
      { ledgerId, document: plan.creditNote, payment: plan.refundPayment, mode: 'booked' },
      tracker.waitingAt(ledgerId),
    );
    tracker.state.documents.credit_note = document.voucherNumber;
    if (payment) this.notePayment(payment);
    else tracker.state.documents.refund_payment = null;
    return 'booked';
  }

  private notePayment(p: { voucherNumber: string | null; state: DocumentState }) {
    this.tracker.state.documents.refund_payment = p.voucherNumber;
    this.refundPaymentNoted = { name: 'refund payment', voucherNumber: p.voucherNumber, state: p.state };
  }

  /** Its order did not come (or was not booked) in time: end, naming the order's state and how to book it after all. */
  async expire(): Promise<'expired'> {
    const { details: wait, waitedHours } = this.orderWait.expired();
    await this.tracker.set('expired', { error: { code: 'refund_order_wait_expired', details: { ...wait.details, waitedFor: wait.code, waitedHours } } });
    return 'expired';
  }

  async showBooked(): Promise<'booked'> {
    // Say so when there was no payment to reverse: only the credit note was booked.
    await this.tracker.set('booked', joinNotes(this.noPaymentNote, journalNote(this.refundPaymentNoted ? [this.refundPaymentNoted] : [])));
    // A cancelled order waits for its refunds to credit it: tell it (it may have ended already; then nobody listens).
    await getExternalWorkflowHandle(workflowIds.order(this.shopId, this.refund!.orderId))
      .signal(refundBookedSignal)
      .catch(() => undefined);
    return 'booked';
  }
}
