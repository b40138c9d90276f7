/**
 * What an order's booking does next, decided from facts alone: workflows/order.ts gathers the facts (the latest
 * snapshot, the shop's settings, what the ledger already holds), asks here, and acts. Failures are thrown as
 * BookingError, as planOrder throws them.
 */
import { cancellationAfterBooking, isCancelled } from './cancellation';
import { BookingError } from './errors';
import type { Mapping } from './mapping';
import type { Order } from './order';
import { planOrder } from './plan-order';
import type { DocumentState, OrderPlan } from './posting';
import { transferHold, type TransferMode, type TransferSubject } from './transfer';

/** A document an earlier try or run posted, as our postings table holds it. */
export interface StandingDocument {
  amount: number;
  currency: string;
  state: DocumentState;
}

export interface OrderFacts {
  /** The latest snapshot the shop sent. */
  order: Order;
  ledger: { mode: 'draft' | 'auto'; currency: string; startDate: string };
  /** null: the shop has saved no mapping (or it no longer validates). */
  mapping: Mapping | null;
  transfer: TransferMode;
  subject: TransferSubject;
  posted: { invoice?: StandingDocument; payment?: StandingDocument };
}

/**
 * Rules added while bookings were running: a workflow answers each with `patched()`, so that a run recorded before
 * the rule decides as it did then. Asked only where the rule changes the answer, as the workflow asked before.
 */
export interface DecisionRules {
  /** An order in another currency than the ledger's fails (currency_not_in_ledger). */
  currencyMustBeLedgers(): boolean;
  /** An invoice that stands is compared with the snapshot; amounts that differ need a person. */
  compareStandingInvoice(): boolean;
  /** An invoice that stands needs no status the shop books: a later status (fulfilled, cancelled) books nothing. */
  standingNeedsNoReadyStatus(): boolean;
}

export interface AmountChange {
  bookedTotal: number;
  newTotal: number;
  currency: string;
}

/** What the ledger holds once nothing is left to post: a draft for review, or the booked invoice. */
export type StandingState = 'drafted' | 'booked';

export type OrderDecision =
  /** Cancelled before it was booked: there is nothing to book, and the booking ends. */
  | { kind: 'cancelled'; reason: string }
  /** Held by the owner's choice (transfer not activated, a historical order not marked): waits for them. */
  | { kind: 'hold'; reason: string }
  /** The shop has not put the order in a status it books: waits for a new snapshot (or until the wait runs out). */
  | { kind: 'wait'; reason: string; details: { orderStatus: string; readyStatuses: string[] } }
  /** From before the ledger's start date: never booked. */
  | { kind: 'skip'; reason: string }
  /** Post the invoice and its payment (what an earlier try posted is found again, not posted twice). */
  | { kind: 'post'; plan: OrderPlan; mode: 'draft' | 'booked'; change?: AmountChange }
  /** Everything is posted and agrees with the snapshot (or the order was cancelled since). */
  | { kind: 'done'; plan: OrderPlan; state: StandingState }
  /** Everything is posted, and the snapshot's amounts differ from the invoice: a person corrects it, never a rebooking. */
  | { kind: 'needs_correction'; plan: OrderPlan; state: StandingState; change: AmountChange };

export function decideOrder(facts: OrderFacts, rules: DecisionRules): OrderDecision {
  const { order, mapping, ledger } = facts;
  const stands = facts.posted.invoice;
  const ready = mapping?.readyStatuses.includes(order.status) ?? false;
  // A shop may book cancelled orders on purpose (readyStatuses names the status); otherwise there is nothing to book.
  const cancelled = isCancelled(order.status) && !ready;
  if (!stands && cancelled) {
    return { kind: 'cancelled', reason: `order cancelled in the shop (status "${order.status}") before it was booked: nothing to book` };
  }
  const hold = stands ? null : transferHold(facts.transfer, facts.subject);
  if (hold) return { kind: 'hold', reason: hold };
  if (!mapping) throw new BookingError('mapping_missing');
  if (!ready && !(stands && rules.standingNeedsNoReadyStatus())) {
    return {
      kind: 'wait',
      reason: `order status "${order.status}" is not one the shop books`,
      details: { orderStatus: order.status, readyStatuses: mapping.readyStatuses },
    };
  }
  if (order.createdAt.slice(0, 10) < ledger.startDate) {
    return { kind: 'skip', reason: `order is from before the ledger's start date ${ledger.startDate}` };
  }
  // Sales are not converted: an order in another currency than the ledger's would be added up as if it were one.
  if (order.currency !== ledger.currency && rules.currencyMustBeLedgers()) {
    throw new BookingError('currency_not_in_ledger', { orderCurrency: order.currency, ledgerCurrency: ledger.currency });
  }
  const plan = planOrder(order, mapping);
  // An invoice booked before stands and is never booked again; each snapshot is judged on its own, so one that agrees
  // with the invoice again clears an earlier difference. A cancellation after booking is the watch's to judge.
  const change =
    stands && !cancelled && (stands.amount !== plan.invoice.total || stands.currency !== plan.invoice.currency) && rules.compareStandingInvoice()
      ? { bookedTotal: stands.amount, newTotal: plan.invoice.total, currency: plan.invoice.currency }
      : undefined;
  // A split payment's other parts are not looked up here: posting again finds those already registered.
  if (stands && (stands.state === 'draft' || !plan.payment || (facts.posted.payment && !plan.otherPayments) || cancelled)) {
    const state = stands.state === 'draft' ? 'drafted' : 'booked';
    return change ? { kind: 'needs_correction', plan, state, change } : { kind: 'done', plan, state };
  }
  return { kind: 'post', plan, mode: ledger.mode === 'auto' ? 'booked' : 'draft', ...(change ? { change } : {}) };
}

export interface BookedFacts {
  /** The snapshot the booking planned from, and the invoice's total and currency as booked. */
  booked: Order;
  invoice: { total: number; currency: string };
  /** The latest snapshot. */
  latest: Order;
  /** What its refunds credited so far: asked for only once the latest snapshot is cancelled. */
  refunded?: number;
}

export type BookedDecision =
  /** Nothing for the books: the booking may end. */
  | { kind: 'unchanged' }
  /** Cancelled after booking, and its refunds credit the whole invoice: the books say the sale did not happen. */
  | { kind: 'cancelled'; reason: string }
  /** Part of a cancelled order is still a sale in the books, or its amounts changed: a person must act. */
  | { kind: 'needs_correction'; error: { code: 'order_cancelled_after_booking' | 'order_changed_after_booking'; details: Record<string, unknown> } };

/** A later snapshot of a booked order: it never books again; what changed in the books' terms is reported. */
export function decideBookedOrder({ booked, invoice, latest, refunded }: BookedFacts): BookedDecision {
  if (isCancelled(latest.status)) {
    const next = cancellationAfterBooking(invoice.total, refunded ?? 0, invoice.currency);
    if (next.kind === 'refunded') {
      return { kind: 'cancelled', reason: `order cancelled in the shop after booking; its refunds credit the whole invoice (${next.refunded})` };
    }
    return { kind: 'needs_correction', error: { code: 'order_cancelled_after_booking', details: next.details } };
  }
  if (!changedAmounts(booked, latest)) return { kind: 'unchanged' };
  return { kind: 'needs_correction', error: { code: 'order_changed_after_booking', details: { bookedTotal: invoice.total, newTotal: latest.total, currency: latest.currency } } };
}

/** Only money matters here: a new status or address on a booked order needs nothing in the ledger. */
function changedAmounts(booked: Order, now: Order): boolean {
  const amounts = (o: Order) =>
    JSON.stringify([o.total, o.currency, o.pricesIncludeVat, o.lines.map((l) => [l.quantity, l.unitPrice, l.discount, l.vatRate])]);
  return amounts(booked) !== amounts(now);
}
