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

/**
 * A Norwegian webshop's mapping onto the Norwegian standard chart of accounts (NS 4102), as a Fiken company has it:
 * sales 3000 (VAT) / 3100 (exempt), customer receivables 1500 (kept per customer by Fiken as 1500:NNNNN), output VAT
 * 2700, bank accounts 1920:NNNNN — the acquirer's settlement account is a bank account of its own, because Fiken
 * registers payments only on a bank account — card fees 7770, rounding 7790, currency loss 8160.
 */
const norwegianSales = { domestic: { account: '3000', vatCode: 'S25' }, eu: { account: '3100', vatCode: 'EXP0' }, outsideEu: { account: '3100', vatCode: 'EXP0' } };
const nets = { acquirer: 'nets', receivableAccount: '1920:10002' };
export const norwegianMapping: Mapping = {
  homeCountry: 'NO',
  readyStatuses: ['paid', 'completed'],
  // Goods and shipping alike: 25 % at home, exempt exports (Norway is outside the EU: every other country is abroad).
  goods: norwegianSales,
  shipping: norwegianSales,
  customerReceivableAccount: '1500',
  giftCardAccount: '2900',
  vatCodes: { S25: { rate: 25, account: '2700' }, EXP0: { rate: 0, account: '2700' } },
  paymentMethods: { dankort: nets, visa: nets },
  accounts: { bank: '1920:10001', fee: '7770', error: '1570', rounding: '7790', currencyDifference: '8160' },
};

/** Where a ledger's test orders come from: its mapping, currency and home country. */
export interface Market {
  mapping: Mapping;
  currency: string;
  country: string;
}
export const danishMarket: Market = { mapping: danishMapping, currency: 'DKK', country: 'DK' };
export const norwegianMarket: Market = { mapping: norwegianMapping, currency: 'NOK', country: 'NO' };

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
