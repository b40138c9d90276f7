import type { AccountToCreate } from '../port';

/** A new local ledger starts with a small Danish-style chart of accounts and VAT codes for a webshop. */
export const defaultChart: AccountToCreate[] = [
  { number: '1010', name: 'Sales of goods, domestic', type: 'expense' },
  { number: '1020', name: 'Sales of goods, EU', type: 'expense' },
  { number: '1030', name: 'Sales of goods, outside EU', type: 'expense' },
  { number: '1110', name: 'Shipping, domestic', type: 'expense' },
  { number: '1120', name: 'Shipping, EU', type: 'expense' },
  { number: '1130', name: 'Shipping, outside EU', type: 'expense' },
  { number: '1200', name: 'Payment fees charged to customers', type: 'expense' },
  { number: '3630', name: 'Acquirer fees', type: 'expense' },
  { number: '3631', name: 'Fees Nets', type: 'expense' },
  { number: '3632', name: 'Fees Stripe', type: 'expense' },
  { number: '3633', name: 'Fees MobilePay', type: 'expense' },
  { number: '3680', name: 'Currency differences', type: 'expense' },
  { number: '3690', name: 'Rounding', type: 'expense' },
  { number: '5600', name: 'Customer receivables', type: 'balance' },
  { number: '5815', name: 'Receivable Nets', type: 'balance' },
  { number: '5816', name: 'Receivable Stripe', type: 'balance' },
  { number: '5817', name: 'Receivable MobilePay', type: 'balance' },
  { number: '5820', name: 'Bank', type: 'balance' },
  // Chargebacks taken back by the acquirer (open or lost disputes); a won dispute credits them back.
  { number: '5830', name: 'Disputes Nets', type: 'balance' },
  { number: '5831', name: 'Disputes Stripe', type: 'balance' },
  { number: '5832', name: 'Disputes MobilePay', type: 'balance' },
  { number: '5890', name: 'Error account (unmatched payout lines)', type: 'balance' },
  { number: '6900', name: 'Gift cards outstanding', type: 'balance' },
  { number: '7230', name: 'Output VAT', type: 'balance' },
];

export const defaultVatCodes: { code: string; rate: string; account: string }[] = [
  { code: 'S25', rate: '25', account: '7230' },
  { code: 'EU0', rate: '0', account: '7230' },
  { code: 'EXP0', rate: '0', account: '7230' },
];
