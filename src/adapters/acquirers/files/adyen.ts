import type { Payout, PayoutLineType } from '../../../domain/payout';
import { minorUnitDigits } from '../../../domain/money';
import { PayoutCollector } from './build';
import { readCsv, type CsvRow } from './csv';
import { parseDate } from './dates';
import { parseAmount } from './decimal';
import { SettlementParseError } from './parse-error';

/**
 * Adyen's Settlement details report: one row per booking, amounts in major units with '.' decimals. The batch number
 * is the payout (it appears on the bank deposit); its MerchantPayout row is the transfer itself. Amounts are taken in
 * the net (settlement) currency; the fee of a row is commission + markup + scheme fees + interchange.
 */
const columns = [
  'Merchant Account',
  'Psp Reference',
  'Merchant Reference',
  'Payment Method',
  'Creation Date',
  'Type',
  'Gross Currency',
  'Gross Debit (GC)',
  'Gross Credit (GC)',
  'Exchange Rate',
  'Net Currency',
  'Net Debit (NC)',
  'Net Credit (NC)',
  'Commission (NC)',
  'Markup (NC)',
  'Scheme Fees (NC)',
  'Interchange (NC)',
  'Batch Number',
];
const types: Record<string, PayoutLineType> = {
  settled: 'payment',
  refunded: 'refund',
  chargeback: 'chargeback',
  chargebackreversed: 'adjustment',
  secondchargeback: 'chargeback',
  fee: 'fee',
  invoicededuction: 'fee',
  depositcorrection: 'adjustment',
  balancetransfer: 'adjustment',
  misccosts: 'fee',
};
const dot = { decimalSeparator: '.', thousandsSeparator: '' } as const;

function amount(row: CsvRow, column: string, digits: number): number {
  const v = row.optional(column);
  return v === undefined ? 0 : parseAmount(v, dot, digits, row.line, column);
}

export function parseAdyen(text: string, acquirer = 'adyen'): Payout[] {
  const out = new PayoutCollector(acquirer);
  for (const row of readCsv(text, { delimiter: ',', required: columns })) {
    const currency = row.get('Net Currency');
    if (!/^[A-Z]{3}$/.test(currency)) throw new SettlementParseError(row.line, `Net Currency "${currency}" is not an ISO code`);
    const digits = minorUnitDigits(currency);
    const batch = row.get('Batch Number');
    const date = parseDate(row.get('Creation Date'), 'YYYY-MM-DD', row.line, 'Creation Date');
    const net = amount(row, 'Net Credit (NC)', digits) - amount(row, 'Net Debit (NC)', digits);
    const rawType = row.get('Type');
    if (rawType === 'MerchantPayout') {
      // The transfer to the bank: money leaving the Adyen balance, so a debit.
      out.ensure(batch, currency, date, row.line);
      out.setNet(batch, -net, date);
      continue;
    }
    const type = types[rawType.toLowerCase()];
    if (!type) throw new SettlementParseError(row.line, `Type "${rawType}" is not a settlement type this report has`);
    const fee = ['Commission (NC)', 'Markup (NC)', 'Scheme Fees (NC)', 'Interchange (NC)'].reduce((a, c) => a + amount(row, c, digits), 0);
    out.add(batch, date, {
      lineNo: row.line,
      type,
      amount: type === 'fee' ? net : net + fee,
      fee: type === 'fee' ? 0 : fee,
      currency,
      ...(row.optional('Psp Reference') ? { transactionId: row.get('Psp Reference') } : {}),
      ...(row.optional('Merchant Reference') ? { orderReference: row.get('Merchant Reference') } : {}),
      ...(row.optional('Payment Method') ? { paymentMethod: row.get('Payment Method') } : {}),
      date,
    });
  }
  return out.result();
}
