import type { Mapping } from '../../src/domain/mapping';
import type { OrderInput, Refund } from '../../src/domain/order';

/** A Danish webshop's mapping onto the local ledger's default chart of accounts. */
export const danishMapping: Mapping = {
  homeCountry: 'DK',
  readyStatuses: ['paid', 'completed'],
  goods: {
    domestic: { account: '1010', vatCode: 'S25' },
    eu: { account: '1020', vatCode: 'S25' },
    outsideEu: { account: '1030', vatCode: 'EXP0' },
  },
  shipping: {
    domestic: { account: '1110', vatCode: 'S25' },
    eu: { account: '1120', vatCode: 'S25' },
    outsideEu: { account: '1130', vatCode: 'EXP0' },
  },
  customerReceivableAccount: '5600',
  giftCardAccount: '6900',
  vatCodes: { S25: { rate: 25, account: '7230' }, EXP0: { rate: 0, account: '7230' } },
  paymentMethods: {
    dankort: { acquirer: 'nets', receivableAccount: '5815' },
    visa: { acquirer: 'nets', receivableAccount: '5815' },
  },
  accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690', currencyDifference: '3680' },
};

/** A paid card order of `total` øre incl. 25 % VAT, one goods line, delivered in Denmark. */
export function cardOrder(orderId: string, total: number, over: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId,
    orderNumber: `#${orderId}`,
    status: 'paid',
    createdAt: '2026-11-02T10:00:00Z',
    currency: 'DKK',
    customer: { name: 'Jens Hansen', email: 'jens@example.dk' },
    deliveryCountry: 'DK',
    lines: [{ kind: 'goods', sku: 'MUG-1', description: 'Coffee mug', quantity: 1, unitPrice: total, vatRate: 25 }],
    total,
    payment: { method: 'dankort', transactionId: `txn-${orderId}`, amount: total },
    ...over,
  };
}

export function refundOf(refundId: string, orderId: string, amount: number, over: Partial<Refund> = {}): Refund {
  return { refundId, orderId, createdAt: '2026-11-05T09:00:00Z', currency: 'DKK', amount, ...over };
}
