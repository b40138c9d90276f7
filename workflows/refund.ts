/**
 * One refund: a credit note against the order's invoice and a refund payment against the acquirer receivable the
 * payment went to, under the ledger's lock. A refund that arrives before its order is booked waits for it.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { BookingError } from '../src/domain/errors';
import type { Refund } from '../src/domain/order';
import { planRefund } from '../src/domain/plan-refund';
import { NOT_READY, untilBooked } from './attempts';
import { BookingTracker } from './booking-state';
import { bookingStateQuery, refundSnapshotSignal, restartSignal } from './definitions';
import { checked, refundInput } from './signal-inputs';
import { postViaLedger } from './lock';
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
  const tracker = new BookingTracker('refund', shopId, refundId);
  let refund: Refund | undefined;
  let version = 0;
  let restarts = 0;
  setHandler(
    refundSnapshotSignal,
    checked('refundSnapshot', refundInput, (r) => {
      refund = r;
      version++;
    }),
  );
  setHandler(restartSignal, () => void restarts++);
  setHandler(bookingStateQuery, () => tracker.state);
  await condition(() => refund !== undefined);
  let noPaymentNote: string | undefined;

  await untilBooked(tracker, { restarts: () => restarts, snapshots: () => version, pollMs: orderPollMs }, async () => {
    const current = refund!;
    const order = await loadRefundContext({ shopId, orderId: current.orderId, refundId });
    if (order.orderBooking === 'registered') {
      await tracker.hold(`its order ${current.orderId} is registered and not transferred; it follows when the order is`);
      return NOT_READY;
    }
    if (!order.order || order.invoice?.state !== 'booked' || (order.order.payment && !order.payment)) {
      await tracker.set('waiting', { reason: `waiting for order ${current.orderId} to be booked` });
      return NOT_READY;
    }
    const ctx = await loadBookingContext({
      shopId,
      postings: [
        { kind: 'credit_note', reference: refundId },
        { kind: 'refund_payment', reference: refundId },
      ],
    });
    const ledgerId = ctx.ledger.id;
    tracker.identify(ledgerId, order.order.orderNumber);
    if (!ctx.mapping) throw new BookingError('mapping_missing');
    const plan = planRefund(current, order.order, ctx.mapping, order.alreadyRefunded);
    noPaymentNote = plan.refundPayment ? undefined : `credit note only: order ${current.orderId} has no registered payment, so no refund payment was registered`;
    // Posted before (a run that ended before its outcome came back): show what the ledger has.
    const { credit_note: postedCreditNote, refund_payment: postedPayment } = ctx.posted;
    if (postedCreditNote) tracker.state.documents.credit_note = postedCreditNote.voucherNumber;
    if (postedPayment) tracker.state.documents.refund_payment = postedPayment.voucherNumber;
    if (postedCreditNote && (postedPayment || !plan.refundPayment)) return 'booked';

    // The invoice was booked (reviewed), so its credit note is booked too.
    const { document, payment } = await postViaLedger(
      { ledgerId, document: plan.creditNote, payment: plan.refundPayment, mode: 'booked', status: tracker.statusUpdate('posting') },
      tracker.waitingAt(ledgerId),
    );
    tracker.state.documents.credit_note = document.voucherNumber;
    tracker.state.documents.refund_payment = payment?.voucherNumber ?? null;
    return 'booked';
  });
  // Say so when there was no payment to reverse: only the credit note was booked.
  await tracker.set('booked', noPaymentNote ? { reason: noPaymentNote } : {});
  return 'booked';
}
