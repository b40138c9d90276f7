import type { Payout, PayoutLineType } from '../../../domain/payout';
import { PayoutCollector } from './build';
import { readCsv } from './csv';
import { parseDate } from './dates';
import { parseMinor } from './decimal';
import { SettlementParseError } from './parse-error';

/**
 * QuickPay settlements as Clearhaus reports them: a row per posting of a settlement, in minor units. Sales and
 * credits are money in; refunds, chargebacks, fees and the rolling reserve are deducted; a reserve release returns
 * money. The payout is the settlement's net.
 */
const columns = ['settlement_id', 'payout_date', 'type', 'transaction_id', 'order_id', 'currency', 'amount', 'fee', 'processed_at'];
const types: Record<string, PayoutLineType> = {
  sale: 'payment',
  capture: 'payment',
  credit: 'refund',
  refund: 'refund',
  chargeback: 'chargeback',
  fee: 'fee',
  reserve: 'adjustment',
  reserve_release: 'adjustment',
  other: 'adjustment',
};

export function parseQuickPay(text: string, acquirer = 'quickpay'): Payout[] {
  const out = new PayoutCollector(acquirer);
  for (const row of readCsv(text, { delimiter: ',', required: columns })) {
    const rawType = row.get('type');
    const type = types[rawType];
    if (!type) throw new SettlementParseError(row.line, `type "${rawType}" is not one of ${Object.keys(types).join(', ')}`);
    const amount = parseMinor(row.get('amount'), row.line, 'amount');
    const fee = parseMinor(row.get('fee'), row.line, 'fee');
    if (fee < 0) throw new SettlementParseError(row.line, `fee ${fee} is negative`);
    if (type === 'payment' && amount < 0) throw new SettlementParseError(row.line, `a ${rawType} cannot be negative (${amount})`);
    if ((type === 'refund' || type === 'chargeback' || type === 'fee') && amount > 0) {
      throw new SettlementParseError(row.line, `a ${rawType} is a deduction and must be negative (${amount})`);
    }
    out.add(row.get('settlement_id'), parseDate(row.get('payout_date'), 'YYYY-MM-DD', row.line, 'payout_date'), {
      lineNo: row.line,
      type,
      amount,
      fee,
      currency: row.get('currency'),
      ...(row.optional('transaction_id') ? { transactionId: row.get('transaction_id') } : {}),
      ...(row.optional('order_id') ? { orderReference: row.get('order_id') } : {}),
      date: parseDate(row.get('processed_at'), 'YYYY-MM-DD', row.line, 'processed_at'),
    });
  }
  return out.result();
}
