import { describe, expect, it } from 'vitest';
import { decideBookedOrder, decideOrder, type DecisionRules, type OrderFacts } from '../../../src/domain/order-decision';
import { bookingError, mapping, order } from './fixtures';

const allRules: DecisionRules = { currencyMustBeLedgers: () => true, compareStandingInvoice: () => true, standingNeedsNoReadyStatus: () => true };

function facts(over: Partial<OrderFacts> = {}): OrderFacts {
  return {
    order: order('1001', 12_500),
    ledger: { mode: 'auto', currency: 'DKK', startDate: '2026-01-01' },
    mapping,
    transfer: 'automatic',
    subject: { historical: false, marked: false },
    posted: {},
    ...over,
  };
}
const invoice = (amount: number, state: 'draft' | 'booked' = 'booked') => ({ amount, currency: 'DKK', state });

describe('decideOrder: before anything is booked', () => {
  it('posts a ready order: booked on an auto-post ledger, a draft on one in its trial', () => {
    expect(decideOrder(facts(), allRules)).toMatchObject({ kind: 'post', mode: 'booked', plan: { invoice: { total: 12_500 } } });
    expect(decideOrder(facts({ ledger: { mode: 'draft', currency: 'DKK', startDate: '2026-01-01' } }), allRules)).toMatchObject({ kind: 'post', mode: 'draft' });
  });

  it('waits for a status the shop books, saying which', () => {
    expect(decideOrder(facts({ order: order('1001', 12_500, { status: 'pending' }) }), allRules)).toEqual({
      kind: 'wait',
      reason: 'order status "pending" is not one the shop books',
      details: { orderStatus: 'pending', readyStatuses: ['paid', 'completed'] },
    });
  });

  it('ends a cancelled order (nothing to book), unless the shop books that status on purpose', () => {
    const cancelled = order('1001', 12_500, { status: 'cancelled' });
    expect(decideOrder(facts({ order: cancelled }), allRules)).toMatchObject({ kind: 'cancelled', reason: expect.stringMatching(/before it was booked/) });
    const booksCancelled = { ...mapping, readyStatuses: [...mapping.readyStatuses, 'cancelled'] };
    expect(decideOrder(facts({ order: cancelled, mapping: booksCancelled }), allRules)).toMatchObject({ kind: 'post' });
  });

  it('holds what the owner has not let through, before anything else is asked of the shop', () => {
    expect(decideOrder(facts({ transfer: 'held', mapping: null }), allRules)).toMatchObject({ kind: 'hold', reason: expect.stringMatching(/transfer\/activate/) });
    expect(decideOrder(facts({ subject: { historical: true, marked: false } }), allRules)).toMatchObject({ kind: 'hold' });
    expect(decideOrder(facts({ subject: { historical: true, marked: true } }), allRules)).toMatchObject({ kind: 'post' });
  });

  it('skips an order from before the ledger starts', () => {
    expect(decideOrder(facts({ ledger: { mode: 'auto', currency: 'DKK', startDate: '2026-12-01' } }), allRules)).toMatchObject({ kind: 'skip' });
  });

  it('fails without a mapping, and for an order in another currency than the ledger (unless a run predates that rule)', () => {
    expect(bookingError(() => decideOrder(facts({ mapping: null }), allRules)).code).toBe('mapping_missing');
    const euro = facts({ order: order('1001', 12_500, { currency: 'EUR' }) });
    expect(bookingError(() => decideOrder(euro, allRules))).toEqual({ code: 'currency_not_in_ledger', details: { orderCurrency: 'EUR', ledgerCurrency: 'DKK' } });
    expect(decideOrder(euro, { ...allRules, currencyMustBeLedgers: () => false })).toMatchObject({ kind: 'post' });
  });
});

describe('decideOrder: an invoice stands (an earlier try or run booked it)', () => {
  const payment = { amount: 12_500, currency: 'DKK', state: 'booked' as const };

  it('is done when everything is posted and agrees: nothing is posted again', () => {
    expect(decideOrder(facts({ posted: { invoice: invoice(12_500), payment } }), allRules)).toMatchObject({ kind: 'done', state: 'booked' });
    expect(decideOrder(facts({ posted: { invoice: invoice(12_500, 'draft') } }), allRules)).toMatchObject({ kind: 'done', state: 'drafted' });
  });

  it('posts only what is missing: the payment of an invoice that stands', () => {
    expect(decideOrder(facts({ posted: { invoice: invoice(12_500) } }), allRules)).toMatchObject({ kind: 'post', plan: { payment: { amount: 12_500 } } });
  });

  it('needs correction, with both totals, when the snapshot differs from the invoice; never a second invoice', () => {
    const changed = facts({ order: order('1001', 13_500), posted: { invoice: invoice(12_500), payment } });
    expect(decideOrder(changed, allRules)).toMatchObject({ kind: 'needs_correction', state: 'booked', change: { bookedTotal: 12_500, newTotal: 13_500, currency: 'DKK' } });
    expect(decideOrder(changed, { ...allRules, compareStandingInvoice: () => false })).toMatchObject({ kind: 'done' });
  });

  it('needs no status the shop books: a later status (fulfilled, cancelled) is judged against the invoice, not waited for', () => {
    const fulfilled = facts({ order: order('1001', 12_500, { status: 'fulfilled' }), posted: { invoice: invoice(12_500), payment } });
    expect(decideOrder(fulfilled, allRules)).toMatchObject({ kind: 'done', state: 'booked' });
    // A run recorded before this rule waited, as it did then.
    expect(decideOrder(fulfilled, { ...allRules, standingNeedsNoReadyStatus: () => false })).toMatchObject({ kind: 'wait' });
    // Cancelled after booking: nothing to post or compare here; the watch judges its refunds.
    const cancelled = facts({ order: order('1001', 0, { status: 'cancelled', lines: [{ description: 'Mug', quantity: 1, unitPrice: 0, vatRate: 25 }] }), posted: { invoice: invoice(12_500) } });
    expect(decideOrder(cancelled, allRules)).toMatchObject({ kind: 'done', state: 'booked' });
  });

  it('asks a rule only where it changes the answer, as the workflow asked before (its patch markers)', () => {
    const asked: string[] = [];
    const noting: DecisionRules = {
      currencyMustBeLedgers: () => (asked.push('currency'), true),
      compareStandingInvoice: () => (asked.push('compare'), true),
      standingNeedsNoReadyStatus: () => (asked.push('ready'), true),
    };
    decideOrder(facts(), noting);
    decideOrder(facts({ posted: { invoice: invoice(12_500), payment } }), noting);
    expect(asked).toEqual([]);
  });
});

describe('decideBookedOrder: a later snapshot of a booked order', () => {
  const booked = order('1001', 12_500);
  const base = { booked, invoice: { total: 12_500, currency: 'DKK' } };

  it('changes nothing for a new status or address; reports changed amounts with both totals', () => {
    expect(decideBookedOrder({ ...base, latest: { ...booked, status: 'fulfilled', deliveryCountry: 'SE' } })).toEqual({ kind: 'unchanged' });
    expect(decideBookedOrder({ ...base, latest: order('1001', 13_500) })).toEqual({
      kind: 'needs_correction',
      error: { code: 'order_changed_after_booking', details: { bookedTotal: 12_500, newTotal: 13_500, currency: 'DKK' } },
    });
  });

  it('a cancelled order ends once its refunds credit the invoice; until then a person must act on what is open', () => {
    const latest = { ...booked, status: 'cancelled' };
    expect(decideBookedOrder({ ...base, latest, refunded: 12_500 })).toMatchObject({ kind: 'cancelled' });
    expect(decideBookedOrder({ ...base, latest, refunded: 2_500 })).toEqual({
      kind: 'needs_correction',
      error: { code: 'order_cancelled_after_booking', details: { bookedTotal: 12_500, refunded: 2_500, open: 10_000, currency: 'DKK' } },
    });
  });
});
