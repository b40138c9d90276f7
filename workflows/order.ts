/**
 * One order, booked exactly once: wait until the shop marks it ready, plan the invoice and payment, then post them
 * under the ledger's lock. Failures stop in `failed` until a restart; later snapshots never book again.
 */
import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { cancellationAfterBooking, isCancelled } from '../src/domain/cancellation';
import { BookingError } from '../src/domain/errors';
import { minorUnitDigits, toDecimalString } from '../src/domain/money';
import type { Order } from '../src/domain/order';
import { isOlderSnapshot } from '../src/domain/snapshot';
import { planOrder } from '../src/domain/plan-order';
import { orderInLedger } from '../src/domain/ledger-reference';
import { journalNote, joinNotes, type NotedDocument } from '../src/domain/journal-note';
import type { DocumentState, OrderPlan } from '../src/domain/posting';
import { transferHold } from '../src/domain/transfer';
import { BookingTracker } from './booking-state';
import { bookDraftSignal, bookingStateQuery, orderSnapshotSignal, refundBookedSignal, restartSignal, transferSignal } from './definitions';
import { EXPIRED, NOT_READY, untilBooked, WaitClock } from './attempts';
import { LedgerLine } from './ledger-line';
import { checked, orderInput } from './signal-inputs';
import { ledgerRetry } from './retry';

const { loadBookingContext, registerPayment, bookDraft, releaseRefundsOf, bookedRefundTotal, fetchOrderTransactions } = proxyActivities<
  ReturnType<typeof createActivities>
>({ startToCloseTimeout: '30 seconds', retry: ledgerRetry });

export interface OrderWorkflowInput {
  shopId: string;
  orderId: string;
  /** How long a booked order keeps listening for changes to report (default 30 days). */
  watchAfterBookingMs?: number;
  /** Registered by a history backfill: posted only once the owner marks it (transfer signal). */
  historical?: boolean;
}

type Outcome = typeof NOT_READY | 'skipped' | 'cancelled' | 'drafted' | 'booked';

export async function orderWorkflow(input: OrderWorkflowInput): Promise<string> {
  const { shopId, orderId } = input;
  const tracker = new BookingTracker('order', shopId, orderId);
  const ledgerLine = new LedgerLine();
  let latest: Order | undefined;
  let version = 0;
  let restarts = 0;
  let bookDraftRequested = false;
  let marked = false;
  let wasHeld = false;
  let ledgerId = '';
  let bookedPlan: OrderPlan | undefined;
  let bookedOrder: Order | undefined;
  /** Since when the order has waited for a status the shop books, and how long it may (the limit comes with its context). */
  const readyWait = new WaitClock<{ orderStatus: string; readyStatuses: string[] }>();
  /** The amounts of an invoice an earlier run booked, when this run's snapshot differs from them. */
  let changedFromStanding: { bookedTotal: number; newTotal: number; currency: string } | undefined;

  setHandler(
    orderSnapshotSignal,
    checked('orderSnapshot', orderInput, (order) => {
      // Deliveries race each other into the workflow too: a late, older snapshot changes nothing.
      if (isOlderSnapshot(latest, order)) return;
      latest = order;
      version++;
    }),
  );
  setHandler(restartSignal, () => void restarts++);
  setHandler(transferSignal, () => {
    marked = true;
    restarts++;
  });
  setHandler(bookDraftSignal, () => void (bookDraftRequested = true));
  let refundsBooked = 0;
  setHandler(refundBookedSignal, () => void refundsBooked++);
  setHandler(bookingStateQuery, () => tracker.state);

  await condition(() => latest !== undefined);

  /** The payment as the ledger holds it: e-conomic keeps it in its journal until someone books the journal. */
  let paymentNoted: NotedDocument | undefined;
  const noteDocument = (kind: string, rec: { voucherNumber: string | null; documentId: string; state: DocumentState }) => {
    tracker.state.documents[kind] = rec.voucherNumber ?? `draft:${rec.documentId}`;
    if (kind === 'payment') paymentNoted = { name: 'payment', voucherNumber: rec.voucherNumber, state: rec.state };
  };
  const notes = () => journalNote(paymentNoted ? [paymentNoted] : []);

  /** One try at booking the latest snapshot; throws BookingError or activity failures. */
  async function attempt(): Promise<Outcome> {
    const order = latest!;
    const seenVersion = version;
    const ctx = await loadBookingContext({
      shopId,
      postings: [
        { kind: 'invoice', reference: orderId },
        { kind: 'payment', reference: orderId },
      ],
    });
    ledgerId = ctx.ledger.id;
    tracker.identify(ledgerId, order.orderNumber);
    const posted = ctx.posted;
    // A shop may book cancelled orders on purpose (readyStatuses names the status); otherwise there is nothing to book.
    if (!posted.invoice && isCancelled(order.status) && !ctx.mapping?.readyStatuses.includes(order.status)) {
      await tracker.set('cancelled', { reason: `order cancelled in the shop (status "${order.status}") before it was booked: nothing to book` });
      return 'cancelled';
    }
    const hold = posted.invoice ? null : transferHold(ctx.transfer, { historical: input.historical ?? false, marked });
    readyWait.stop();
    if (hold) {
      // Held by the owner's choice: it waits for them, however long.
      wasHeld = true;
      await tracker.hold(hold);
      return NOT_READY;
    }
    if (!ctx.mapping) throw new BookingError('mapping_missing');
    if (!ctx.mapping.readyStatuses.includes(order.status)) {
      readyWait.start(seenVersion, ctx.readyWaitMs, { orderStatus: order.status, readyStatuses: ctx.mapping.readyStatuses });
      await tracker.set('waiting', { reason: `order status "${order.status}" is not one the shop books` });
      return NOT_READY;
    }
    if (order.createdAt.slice(0, 10) < ctx.ledger.startDate) {
      await tracker.set('skipped', { reason: `order is from before the ledger's start date ${ctx.ledger.startDate}` });
      return 'skipped';
    }
    // Sales are not converted: an order in another currency than the ledger's would be added up as if it were one.
    if (order.currency !== ctx.ledger.currency && patched('order-currency-is-ledger-currency')) {
      throw new BookingError('currency_not_in_ledger', { orderCurrency: order.currency, ledgerCurrency: ctx.ledger.currency });
    }
    // In a ledger it shares, the shop's ids carry its prefix (domain/ledger-reference.ts). Only activity inputs change
    // with it, never the commands, and bookings recorded before sharing carry no prefix: no patch is needed. A split
    // payment's transactions are fetched by the store's own order id, before the prefix.
    const plan = planOrder(orderInLedger(await withTransactions(order), ctx.referencePrefix), ctx.mapping);
    // An invoice an earlier run booked (its watch is over, or the shop re-delivered the order) stands and is never
    // booked again; amounts that differ from it are reported for a person, as a change within the watch is.
    // Each attempt judges its own snapshot: one that agrees with the invoice again clears an earlier difference.
    const stands = posted.invoice;
    changedFromStanding =
      stands && (stands.amount !== plan.invoice.total || stands.currency !== plan.invoice.currency) && patched('standing-invoice-compared')
        ? { bookedTotal: stands.amount, newTotal: plan.invoice.total, currency: plan.invoice.currency }
        : undefined;
    if (posted.invoice) noteDocument('invoice', posted.invoice);
    if (posted.payment) noteDocument('payment', posted.payment);
    // A split payment's other parts are not looked up here: posting again finds those already registered.
    const done = posted.invoice && (posted.invoice.state === 'draft' || !plan.payment || (posted.payment && !plan.otherPayments));
    if (!done) {
      const mode = ctx.ledger.mode === 'auto' ? 'booked' : 'draft';
      // An invoice from an earlier attempt is found again, not created twice; only its payment is added.
      const { document, payment } = await ledgerLine.post(
        { ledgerId, document: plan.invoice, payment: plan.payment, ...(plan.otherPayments ? { otherPayments: plan.otherPayments } : {}), mode, status: tracker.statusUpdate('posting') },
        tracker.waitingAt(ledgerId),
      );
      posted.invoice = { ...document, kind: 'invoice' };
      noteDocument('invoice', document);
      if (payment) noteDocument('payment', payment);
    }
    // The invoice stands; a payment whose method the mapping does not name waits for the fix and a restart.
    if (plan.paymentError) throw new BookingError(plan.paymentError.code, plan.paymentError.details);
    bookedPlan = plan;
    bookedOrder = order;
    return posted.invoice!.state === 'draft' ? 'drafted' : 'booked';
  }

  /**
   * A payment split over several gateways names no amount per gateway in the order: its transactions are fetched
   * from the store. Without REST access the order stays as it is (split_payment_unsupported). Runs recorded before
   * split payments were fetched replay without it.
   */
  async function withTransactions(order: Order): Promise<Order> {
    const payment = order.payment;
    if (!payment?.splitMethods || payment.transactions || !patched('split-payment-transactions')) return order;
    const transactions = await fetchOrderTransactions({ shopId, orderId, currency: order.currency });
    return transactions?.length ? { ...order, payment: { ...payment, transactions } } : order;
  }

  const triggers = { restarts: () => restarts, snapshots: () => version };
  const first = await untilBooked<Exclude<Outcome, typeof NOT_READY>>(tracker, { ...triggers, notReadyUntil: readyWait.until }, attempt);
  if (first === EXPIRED) {
    // Nothing was booked and nothing will be unless the shop acts: end, saying why and how to book it after all.
    const { details, waitedHours } = readyWait.expired();
    await tracker.set('expired', { error: { code: 'order_never_ready', details: { ...details, waitedHours } } });
    return 'expired';
  }
  let outcome = first;
  if (outcome === 'skipped' || outcome === 'cancelled') return outcome;
  await tracker.set(outcome, joinNotes(vatNote(bookedPlan!).reason, notes()));
  let reported = false;
  /** Amounts that differ from the booked invoice are reported for a person to correct; the invoice is never booked again. */
  const reportChanged = async (details: NonNullable<typeof changedFromStanding>) => {
    reported = true;
    await tracker.set('needs_correction', { error: { code: 'order_changed_after_booking', details } });
  };
  if (changedFromStanding) await reportChanged(changedFromStanding);
  // Its refunds were held with it and look again only now and then: tell them now.
  if (wasHeld) await releaseRefundsOf({ shopId, orderId });

  const bookReviewedDraft = async (): Promise<'booked'> => {
    const plan = bookedPlan!;
    await ledgerLine.withLock(
      ledgerId,
      tracker.waitingAt(ledgerId),
      async (lock) => {
        await tracker.set('posting');
        const invoice = await bookDraft({ ledgerId, kind: 'invoice', reference: plan.invoice.reference });
        lock.posted();
        noteDocument('invoice', invoice);
        if (plan.payment) {
          await lock.renew();
          noteDocument('payment', await registerPayment({ ledgerId, plan: plan.payment }));
        }
        // A split payment's other parts: the journal shows them; the booking names the order's own payment.
        for (const other of plan.otherPayments ?? []) {
          await lock.renew();
          await registerPayment({ ledgerId, plan: other });
        }
      },
    );
    return 'booked';
  };

  // Watch for later snapshots: they never book again; changed amounts are reported for a person to correct.
  const bookedVersion = version;
  const deadline = Date.now() + (input.watchAfterBookingMs ?? 30 * 24 * 3600 * 1000);
  let openAfterCancel: number | undefined;
  for (;;) {
    // Cancelled after booking: it ends once its refunds credit the invoice; until then a person must act.
    if (isCancelled(latest!.status)) {
      const refunded = await bookedRefundTotal({ shopId, orderId });
      const next = cancellationAfterBooking(bookedPlan!.invoice.total, refunded, bookedPlan!.invoice.currency);
      if (next.kind === 'refunded') {
        await tracker.set('cancelled', { reason: `order cancelled in the shop after booking; its refunds credit the whole invoice (${refunded})` });
        return 'cancelled';
      }
      if (openAfterCancel !== next.details.open) {
        openAfterCancel = next.details.open;
        reported = true;
        await tracker.set('needs_correction', { error: { code: 'order_cancelled_after_booking', details: next.details } });
      }
    }
    const seen = version;
    const seenRefunds = refundsBooked;
    const woke = await condition(
      () => version !== seen || refundsBooked !== seenRefunds || (outcome === 'drafted' && bookDraftRequested),
      Math.max(1, deadline - Date.now()),
    );
    if (!woke) break;
    if (outcome === 'drafted' && bookDraftRequested) {
      bookDraftRequested = false;
      outcome = await untilBooked(tracker, triggers, bookReviewedDraft);
      await tracker.set(reported ? 'needs_correction' : outcome, joinNotes(notes()));
      continue;
    }
    if (version !== bookedVersion && !reported && !isCancelled(latest!.status) && changedAmounts(bookedOrder!, latest!)) {
      await reportChanged({ bookedTotal: bookedPlan!.invoice.total, newTotal: latest!.total, currency: latest!.currency });
    }
  }
  return tracker.state.status;
}

/** Only money matters here: a new status or address on a booked order needs nothing in the ledger. */
function changedAmounts(booked: Order, now: Order): boolean {
  const amounts = (o: Order) =>
    JSON.stringify([o.total, o.currency, o.pricesIncludeVat, o.lines.map((l) => [l.quantity, l.unitPrice, l.discount, l.vatRate])]);
  return amounts(booked) !== amounts(now);
}

/** The shop's stated VAT was booked; where our computation differs, the booking says by how much, per line. */
function vatNote(plan: OrderPlan): { reason?: string } {
  const diffs = plan.vatDifferences ?? [];
  if (diffs.length === 0) return {};
  const money = (minor: number) => `${toDecimalString(minor, minorUnitDigits(plan.invoice.currency))} ${plan.invoice.currency}`;
  const lines = diffs.map((d) => `line ${d.line + 1} "${d.description}": stated ${money(d.statedVat)}, computed ${money(d.computedVat)}, difference ${money(d.difference)}`);
  return { reason: `VAT booked as the shop stated it; our computation differs on ${lines.join('; ')}` };
}
