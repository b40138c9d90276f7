import type { Payout, PayoutLineType } from '../../../domain/payout';
import { minorUnitDigits } from '../../../domain/money';
import { readCsv } from './csv';
import { parseDate } from './dates';
import { parseAmount } from './decimal';
import { PayoutCollector } from './build';
import { SettlementParseError } from './parse-error';

/**
 * Nets/Nexi settlement (payout) report as exported from the merchant portal: semicolon separated, Danish decimal
 * comma with '.' thousands, dates dd.mm.yyyy, one row per transaction; refunds and chargebacks carry negative gross
 * amounts, the fee is positive and withheld; net = gross − fee on every row.
 */
const columns = ['Payout ID', 'Payout date', 'Transaction date', 'Transaction type', 'Payment ID', 'Order reference', 'Payment method', 'Currency', 'Gross amount', 'Fee', 'Net amount'];
const types: Record<string, PayoutLineType> = { sale: 'payment', capture: 'payment', refund: 'refund', chargeback: 'chargeback', fee: 'fee', adjustment: 'adjustment' };
const danish = { decimalSeparator: ',', thousandsSeparator: '.' } as const;

export function parseNets(text: string, acquirer = 'nets'): Payout[] {
  const out = new PayoutCollector(acquirer);
  for (const row of readCsv(text, { delimiter: ';', required: columns })) {
    const currency = row.get('Currency');
    if (!/^[A-Z]{3}$/.test(currency)) throw new SettlementParseError(row.line, `Currency "${currency}" is not an ISO code`);
    const digits = minorUnitDigits(currency);
    const rawType = row.get('Transaction type');
    const type = types[rawType.toLowerCase()];
    if (!type) throw new SettlementParseError(row.line, `Transaction type "${rawType}" is not one of ${Object.keys(types).join(', ')}`);
    const gross = parseAmount(row.get('Gross amount'), danish, digits, row.line, 'Gross amount');
    const fee = parseAmount(row.get('Fee'), danish, digits, row.line, 'Fee');
    const net = parseAmount(row.get('Net amount'), danish, digits, row.line, 'Net amount');
    if (gross - fee !== net) throw new SettlementParseError(row.line, `Net amount ${net} is not Gross amount ${gross} less Fee ${fee}`);
    out.add(row.get('Payout ID'), parseDate(row.get('Payout date'), 'DD.MM.YYYY', row.line, 'Payout date'), {
      lineNo: row.line,
      type,
      // A fee row is money kept by Nets: a negative amount with nothing further withheld.
      amount: type === 'fee' ? net : gross,
      fee: type === 'fee' ? 0 : fee,
      currency,
      ...(row.optional('Payment ID') ? { transactionId: row.get('Payment ID') } : {}),
      ...(row.optional('Order reference') ? { orderReference: row.get('Order reference') } : {}),
      ...(row.optional('Payment method') ? { paymentMethod: row.get('Payment method').toLowerCase() } : {}),
      date: parseDate(row.get('Transaction date'), 'DD.MM.YYYY', row.line, 'Transaction date'),
    });
  }
  return out.result();
}
