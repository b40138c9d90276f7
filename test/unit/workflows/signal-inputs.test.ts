import { describe, expect, it } from 'vitest';
import { orderSchema } from '../../../src/domain/order';
import { orderInput, refundInput } from '../../../workflows/signal-inputs';
import { cardOrder, refundOf } from '../../support/fixtures';

/** The workflow's hand checks (no zod in the bundle): what passes reads as orderSchema would have passed it on. */
describe('order snapshot signals', () => {
  it('fills in the schema defaults the planning reads', () => {
    const sent = cardOrder('A-1', 10_000, { lines: [{ description: 'Mug', quantity: 2, unitPrice: 5_000, vatRate: 25 }] });
    const checked = orderInput(sent)!;
    const parsed = orderSchema.parse(sent);
    expect(checked.pricesIncludeVat).toBe(parsed.pricesIncludeVat);
    expect(checked.lines).toEqual(parsed.lines);
  });

  it.each([
    ['a total that is not an amount', { total: 'lots' }],
    ['no lines', { lines: undefined }],
    ['a line without its price', { lines: [{ description: 'Mug', quantity: 1, vatRate: 25 }] }],
    ['a status that is not text', { status: 7 }],
    ['an updatedAt that is not text', { updatedAt: 1_700_000_000 }],
    ['a payment that is not an object', { payment: 'card' }],
  ])('drops %s', (_what, over) => {
    expect(orderInput({ ...cardOrder('A-2', 10_000), ...over })).toBeUndefined();
  });

  it('leaves the rest to the activity: a snapshot the API refuses for a field planning reads passes here', () => {
    expect(orderInput(cardOrder('A-3', 10_000, { deliveryCountry: 'dk' }))).toBeDefined();
  });

  it('takes a refund that names its order, and drops one that does not', () => {
    expect(refundInput(refundOf('R-1', 'A-1', 100))).toBeDefined();
    expect(refundInput({ ...refundOf('R-1', 'A-1', 100), orderId: 42 })).toBeUndefined();
  });
});
