/**
 * One order, booked exactly once, in three phases: wait until the snapshot is one to book (the shop marks it ready,
 * the owner lets it through), book it once under the ledger's lock, then watch only what still needs this run (a
 * draft waiting for review, a cancellation waiting for its refunds). A booked order's run ends there; a later
 * snapshot starts a new run, which finds the posting and decides again (src/domain/order-decision.ts decides, this
 * acts). Failures stop in `failed` until a restart; later snapshots never book again.
 */
import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { BookingContext } from '../activities/context';
import { isCancelled } from '../src/domain/cancellation';
import { BookingError } from '../src/domain/errors';
import { minorUnitDigits, toDecimalString } from '../src/domain/money';
import type { Order } from '../src/domain/order';
import { decideBookedOrder, decideOrder, type AmountChange, type DecisionRules, type OrderDecision } from '../src/domain/order-decision';
import { isOlderSnapshot } from '../src/domain/snapshot';
import { orderInLedger } from '../src/domain/ledger-reference';
import { journalNote, joinNotes, type NotedDocument } from '../src/domain/journal-note';
import type { DocumentState, OrderPlan } from '../src/domain/posting';
import { BookingTracker } from './booking-state';
import { bookDraftSignal, bookingStateQuery, orderSnapshotSignal, refundBookedSignal, restartSignal, transferSignal } from './definitions';
import { EXPIRED, NOT_READY, untilBooked, untilBookedOrExpired, WaitClock } from './attempts';
import { LedgerLine } from './ledger-line';
import { checked, orderInput } from './signal-inputs';
import { ledgerRetry } from './retry';

const { loadBookingContext, registerPayment, bookDraft, releaseRefundsOf, bookedRefundTotal, fetchOrderTransactions } = proxyActivities<
  ReturnType<typeof createActivities>
>({ startToCloseTimeout: '30 seconds', retry: ledgerRetry });

export interface OrderWorkflowInput {
  shopId: string;
  orderId: string;
  /**
   * How long a drafted order waits for its review, and an order cancelled after booking for its refunds (default
   * 30 days); a booked order's run ends at once.
   */
  watchAfterBookingMs?: number;
  /** Registered by a history backfill: posted only once the owner marks it (transfer signal). */
  historical?: boolean;
}

type Booked = 'drafted' | 'booked';
type Outcome = typeof NOT_READY | 'skipped' | 'cancelled' | Booked;

/**
 * Rules added while bookings ran: a run recorded before one decides as it did then. The names are in histories.
 * `order-completes-when-booked` (OrderBooking.watch) ends a booked order's run instead of watching it for 30 days.
 */
const rules: DecisionRules = {
  currencyMustBeLedgers: () => patched('order-currency-is-ledger-currency'),
  compareStandingInvoice: () => patched('standing-invoice-compared'),
  standingNeedsNoReadyStatus: () => patched('standing-invoice-needs-no-ready-status'),
};

export async function orderWorkflow(input: OrderWorkflowInput): Promise<string> {
  const booking = new OrderBooking(input);
  await condition(() => booking.latest !== undefined);
  const first = await untilBookedOrExpired<Exclude<Outcome, typeof NOT_READY>>(
    booking.tracker,
    { ...booking.triggers, notReadyUntil: booking.readyWait.until },
    () => booking.attempt(),
    () => booking.expire(),
  );
  if (first === EXPIRED) return first;
  if (first === 'skipped' || first === 'cancelled') return first;
  await booking.showBooked(first);
  return booking.watch(first);
}

/** One run's state: what the signals brought, what was booked, and what the booking shows (its tracker). */
class OrderBooking {
  readonly tracker: BookingTracker;
  private readonly ledgerLine = new LedgerLine();
  latest: Order | undefined;
  private version = 0;
  private restarts = 0;
  private bookDraftRequested = false;
  private refundsBooked = 0;
  private marked = false;
  private wasHeld = false;
  private ledgerId = '';
  /** What this run booked (or found booked): the snapshot it planned from, its plan and the invoice as posted. */
  private booked: { order: Order; plan: OrderPlan; invoice: { total: number; currency: string } } | undefined;
  /** The snapshot's amounts differ from an invoice an earlier run booked. */
  private change: AmountChange | undefined;
  /** Since when the order has waited for a status the shop books, and how long it may (the limit comes with its context). */
  readonly readyWait = new WaitClock<{ orderStatus: string; readyStatuses: string[] }>();
  /** The payment as the ledger holds it: e-conomic keeps it in its journal until someone books the journal. */
  private paymentNoted: NotedDocument | undefined;
  readonly triggers = { restarts: () => this.restarts, snapshots: () => this.version };

  constructor(private readonly input: OrderWorkflowInput) {
    this.tracker = new BookingTracker('order', input.shopId, input.orderId);
    setHandler(
      orderSnapshotSignal,
      checked('orderSnapshot', orderInput, (order) => {
        // Deliveries race each other into the workflow too: a late, older snapshot changes nothing.
        if (isOlderSnapshot(this.latest, order)) return;
        this.latest = order;
        this.version++;
      }),
    );
    setHandler(restartSignal, () => void this.restarts++);
    setHandler(transferSignal, () => {
      this.marked = true;
      this.restarts++;
    });
    setHandler(bookDraftSignal, () => void (this.bookDraftRequested = true));
    setHandler(refundBookedSignal, () => void this.refundsBooked++);
    // The query answers from the tracker, the one writer of the status, as the database and search attributes do.
    setHandler(bookingStateQuery, () => this.tracker.state);
  }

  /** Phases one and two: one try at the latest snapshot; throws BookingError or activity failures. */
  async attempt(): Promise<Outcome> {
    const order = this.latest!;
    const seenVersion = this.version;
    const { orderId, shopId } = this.input;
    // The snapshot goes along to be checked with the API's schema (workflows/signal-inputs.ts says why not here).
    const ctx = await loadBookingContext({ shopId, postings: [{ kind: 'invoice', reference: orderId }, { kind: 'payment', reference: orderId }], snapshot: { order } });
    this.ledgerId = ctx.ledger.id;
    this.tracker.identify(this.ledgerId, order.orderNumber);
    this.readyWait.stop();
    const subject = { historical: this.input.historical ?? false, marked: this.marked };
    // In a ledger it shares, the shop's ids carry its prefix (domain/ledger-reference.ts); only activity inputs change
    // with it, and bookings recorded before sharing carry none. A split payment's transactions are fetched by the
    // store's own order id, before the prefix.
    const planned = orderInLedger(await this.withTransactions(order), ctx.referencePrefix);
    const decision = decideOrder({ order: planned, ledger: ctx.ledger, mapping: ctx.mapping, transfer: ctx.transfer, subject, posted: ctx.posted }, rules);
    switch (decision.kind) {
      case 'cancelled':
        await this.tracker.set('cancelled', { reason: decision.reason });
        return 'cancelled';
      case 'hold':
        // Held by the owner's choice: it waits for them, however long.
        this.wasHeld = true;
        await this.tracker.hold(decision.reason);
        return NOT_READY;
      case 'wait':
        this.readyWait.start(seenVersion, ctx.readyWaitMs, decision.details);
        await this.tracker.set('waiting', { reason: decision.reason });
        return NOT_READY;
      case 'skip':
        await this.tracker.set('skipped', { reason: decision.reason });
        return 'skipped';
      default:
        return this.book(order, decision, ctx.posted);
    }
  }

  /** Posts what the ledger does not hold yet (an invoice from an earlier try is found again, not created twice). */
  private async book(order: Order, decision: Exclude<OrderDecision, { kind: 'cancelled' | 'hold' | 'wait' | 'skip' }>, posted: BookingContext['posted']): Promise<Booked> {
    const { plan } = decision;
    this.change = decision.kind === 'done' ? undefined : decision.change;
    if (posted.invoice) this.noteDocument('invoice', posted.invoice);
    if (posted.payment) this.noteDocument('payment', posted.payment);
    let invoice = posted.invoice;
    if (decision.kind === 'post') {
      const { document, payment } = await this.ledgerLine.post(
        { ledgerId: this.ledgerId, document: plan.invoice, payment: plan.payment, ...(plan.otherPayments ? { otherPayments: plan.otherPayments } : {}), mode: decision.mode },
        this.tracker.waitingAt(this.ledgerId),
      );
      invoice = { ...document, kind: 'invoice' };
      this.noteDocument('invoice', document);
      if (payment) this.noteDocument('payment', payment);
    }
    // The invoice stands; a payment whose method the mapping does not name waits for the fix and a restart.
    if (plan.paymentError) throw new BookingError(plan.paymentError.code, plan.paymentError.details);
    this.booked = { order, plan, invoice: { total: invoice!.amount, currency: invoice!.currency } };
    return invoice!.state === 'draft' ? 'drafted' : 'booked';
  }

  /** Ended without a booking: says why, and how to book it after all. */
  async expire(): Promise<'expired'> {
    const { details, waitedHours } = this.readyWait.expired();
    await this.tracker.set('expired', { error: { code: 'order_never_ready', details: { ...details, waitedHours } } });
    return 'expired';
  }

  /** Shows the booking, and what a person must correct; its refunds, held with it, are told it is booked. */
  async showBooked(outcome: Booked) {
    await this.tracker.set(outcome, joinNotes(vatNote(this.booked!.plan).reason, this.notes()));
    if (this.change) await this.reportChanged({ code: 'order_changed_after_booking', details: { ...this.change } });
    // Its refunds were held with it and look again only now and then: tell them now.
    if (this.wasHeld) await releaseRefundsOf({ shopId: this.input.shopId, orderId: this.input.orderId });
  }

  private reported = false;
  /** Amounts that differ from the booked invoice are reported for a person to correct; the invoice is never booked again. */
  private async reportChanged(error: { code: string; details: Record<string, unknown> }) {
    this.reported = true;
    await this.tracker.set('needs_correction', { error });
  }

  /**
   * Phase three: a booked order's run ends (a later snapshot starts a new run that compares it with the invoice). A
   * draft waits for its review and a cancelled order for refunds that credit it, both at most `watchAfterBookingMs`;
   * their later snapshots never book again.
   */
  async watch(booked: Booked): Promise<string> {
    let outcome = booked;
    const bookedVersion = this.version;
    const deadline = Date.now() + (this.input.watchAfterBookingMs ?? 30 * 24 * 3600 * 1000);
    for (;;) {
      if (isCancelled(this.latest!.status)) {
        if (await this.judgeCancellation()) return 'cancelled';
      } else if (outcome === 'booked' && patched('order-completes-when-booked')) {
        // Runs recorded before this patch watch a booked order, as they did, until their deadline. A snapshot that
        // came while this run booked is judged now; the next one starts a new run. (One delivered in the very task
        // that ends the run is stored by intake but judged only with the next delivery.)
        if (this.latest !== this.booked!.order && !this.reported) await this.reportIfChanged();
        return this.tracker.state.status;
      }
      const seen = this.version;
      const seenRefunds = this.refundsBooked;
      const reviewed = () => outcome === 'drafted' && this.bookDraftRequested;
      const woke = await condition(() => this.version !== seen || this.refundsBooked !== seenRefunds || reviewed(), Math.max(1, deadline - Date.now()));
      if (!woke) break;
      if (reviewed()) {
        this.bookDraftRequested = false;
        outcome = await untilBooked(this.tracker, this.triggers, () => this.bookReviewedDraft());
        await this.tracker.set(this.reported ? 'needs_correction' : outcome, joinNotes(this.notes()));
        continue;
      }
      if (this.version !== bookedVersion && !this.reported) await this.reportIfChanged();
    }
    return this.tracker.state.status;
  }

  /** A later snapshot whose amounts differ from the booked invoice is reported; a cancelled one is judged apart. */
  private async reportIfChanged() {
    const decision = decideBookedOrder({ ...this.booked!, booked: this.booked!.order, latest: this.latest! });
    if (decision.kind === 'needs_correction' && decision.error.code === 'order_changed_after_booking') await this.reportChanged(decision.error);
  }

  private openAfterCancel: unknown;
  /** Cancelled after booking: it ends once its refunds credit the invoice (true); until then a person must act. */
  private async judgeCancellation(): Promise<boolean> {
    const refunded = await bookedRefundTotal({ shopId: this.input.shopId, orderId: this.input.orderId });
    const decision = decideBookedOrder({ ...this.booked!, booked: this.booked!.order, latest: this.latest!, refunded });
    if (decision.kind === 'cancelled') {
      await this.tracker.set('cancelled', { reason: decision.reason });
      return true;
    }
    if (decision.kind === 'needs_correction' && this.openAfterCancel !== decision.error.details.open) {
      this.openAfterCancel = decision.error.details.open;
      this.reported = true;
      await this.tracker.set('needs_correction', { error: decision.error });
    }
    return false;
  }

  /** The owner reviewed the draft: book it and register its payment, under the ledger's lock. */
  private async bookReviewedDraft(): Promise<'booked'> {
    const { plan } = this.booked!;
    await this.ledgerLine.withLock(this.ledgerId, this.tracker.waitingAt(this.ledgerId), async (lock) => {
      await this.tracker.set('posting');
      const invoice = await bookDraft({ ledgerId: this.ledgerId, kind: 'invoice', reference: plan.invoice.reference });
      lock.posted();
      this.noteDocument('invoice', invoice);
      if (plan.payment) {
        await lock.renew();
        this.noteDocument('payment', await registerPayment({ ledgerId: this.ledgerId, plan: plan.payment }));
      }
      // A split payment's other parts: the journal shows them; the booking names the order's own payment.
      for (const other of plan.otherPayments ?? []) {
        await lock.renew();
        await registerPayment({ ledgerId: this.ledgerId, plan: other });
      }
    });
    return 'booked';
  }

  /**
   * A payment split over several gateways names no amount per gateway in the order: its transactions are fetched
   * from the store. Without REST access the order stays as it is (split_payment_unsupported). Runs recorded before
   * split payments were fetched replay without it.
   */
  private async withTransactions(order: Order): Promise<Order> {
    const payment = order.payment;
    if (!payment?.splitMethods || payment.transactions || !patched('split-payment-transactions')) return order;
    const transactions = await fetchOrderTransactions({ shopId: this.input.shopId, orderId: this.input.orderId, currency: order.currency });
    return transactions?.length ? { ...order, payment: { ...payment, transactions } } : order;
  }

  private noteDocument(kind: string, rec: { voucherNumber: string | null; documentId: string; state: DocumentState }) {
    this.tracker.state.documents[kind] = rec.voucherNumber ?? `draft:${rec.documentId}`;
    if (kind === 'payment') this.paymentNoted = { name: 'payment', voucherNumber: rec.voucherNumber, state: rec.state };
  }

  private notes() {
    return journalNote(this.paymentNoted ? [this.paymentNoted] : []);
  }
}

/** The shop's stated VAT was booked; where our computation differs, the booking says by how much, per line. */
function vatNote(plan: OrderPlan): { reason?: string } {
  const diffs = plan.vatDifferences ?? [];
  if (diffs.length === 0) return {};
  const money = (minor: number) => `${toDecimalString(minor, minorUnitDigits(plan.invoice.currency))} ${plan.invoice.currency}`;
  const lines = diffs.map((d) => `line ${d.line + 1} "${d.description}": stated ${money(d.statedVat)}, computed ${money(d.computedVat)}, difference ${money(d.difference)}`);
  return { reason: `VAT booked as the shop stated it; our computation differs on ${lines.join('; ')}` };
}
