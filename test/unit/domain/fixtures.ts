import { BookingError } from '../../../src/domain/errors';
import type { Mapping } from '../../../src/domain/mapping';
import { orderSchema, refundSchema, type Order, type OrderInput, type Refund } from '../../../src/domain/order';
import type { Voucher } from '../../../src/domain/posting';

/**
 * A Danish webshop on a Danish-style chart of accounts: sales by region (domestic 25 %, EU distance sales at
 * Danish 25 %, exports zero-rated), Nets and MobilePay receivables, one output VAT account.
 */
export const mapping: Mapping = {
  homeCountry: 'DK',
  readyStatuses: ['paid', 'completed'],
  goods: {
    domestic: { account: '1010', vatCode: 'S25' },
    eu: { account: '1020', vatCode: 'EU25' },
    outsideEu: { account: '1030', vatCode: 'EXP0' },
  },
  shipping: {
    domestic: { account: '1110', vatCode: 'S25' },
    eu: { account: '1120', vatCode: 'EU25' },
    outsideEu: { account: '1130', vatCode: 'EXP0' },
  },
  paymentFee: { account: '1200', vatCode: 'S25' },
  giftCardAccount: '6900',
  customerReceivableAccount: '5600',
  vatCodes: {
    S25: { rate: 25, account: '7230' },
    EU25: { rate: 25, account: '7230' },
    EXP0: { rate: 0, account: '7230' },
  },
  paymentMethods: {
    dankort: { acquirer: 'nets', receivableAccount: '5815' },
    visa: { acquirer: 'nets', receivableAccount: '5815' },
    mastercard: { acquirer: 'nets', receivableAccount: '5815' },
    mobilepay: { acquirer: 'vipps-mobilepay', receivableAccount: '5817' },
  },
  accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690', currencyDifference: '3680' },
};

type LineInput = OrderInput['lines'][number];

/** A line of `quantity` × `unitPrice` øre at 25 % (goods unless said otherwise). */
export const line = (unitPrice: number, over: Partial<LineInput> = {}): LineInput => ({
  kind: 'goods',
  description: 'Coffee mug',
  quantity: 1,
  unitPrice,
  vatRate: 25,
  ...over,
});

/** A card order paid with Dankort, delivered in Denmark, prices incl. VAT; one goods line of `total` by default. */
export function order(id: string, total: number, over: Partial<OrderInput> = {}): Order {
  return orderSchema.parse({
    orderId: id,
    orderNumber: `#${id}`,
    status: 'paid',
    createdAt: '2026-11-02T10:00:00+01:00',
    currency: 'DKK',
    customer: { name: 'Jens Hansen', email: 'jens@example.dk' },
    deliveryCountry: 'DK',
    lines: [line(total)],
    total,
    payment: { method: 'dankort', transactionId: `txn-${id}`, amount: over.total ?? total },
    ...over,
  } satisfies OrderInput);
}

export function refund(id: string, orderId: string, amount: number, over: Partial<Refund> = {}): Refund {
  return refundSchema.parse({ refundId: id, orderId, createdAt: '2026-11-05T09:00:00+01:00', currency: 'DKK', amount, ...over });
}

/** [account, amount] in voucher order: the tests spell out every journal line. */
export const pairs = (v: Voucher) => v.lines.map((l) => [l.account, l.amount] as const);

export const balance = (v: Voucher) => v.lines.reduce((a, l) => a + l.amount, 0);

/** The code and details of the BookingError `fn` throws (fails the test on any other outcome). */
export function bookingError(fn: () => unknown): { code: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (e instanceof BookingError) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected a BookingError, but nothing was thrown');
}
