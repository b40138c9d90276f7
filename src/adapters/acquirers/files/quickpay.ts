import type { Payout, PayoutLineType } from '../../../domain/payout';
import { compact, PayoutCollector } from './build';
import { readCsv, type CsvRow, type SettlementReader } from './csv';
import { currencyField, dateField, minorUnitsField } from './fields';

/**
 * QuickPay settlements as Clearhaus (QuickPay's acquirer) settles them, one row per posting of a settlement, amounts
 * in minor units as Clearhaus' settlement API gives them. A settlement sums sales, credits and refunds, chargebacks,
 * fees and other postings into its net; the rolling reserve is withheld from the net and paid out months later. So:
 * sales are money in; credits, refunds and chargebacks are negative; fee rows are negative (a rebate positive);
 * `reserve` withholds (negative) and `reserve_release` returns (positive). An optional `payout` row states what
 * Clearhaus wired to the bank (Clearhaus' payout.amount); without it the payout is the sum of the rows.
 */
export const quickpayColumns = ['settlement_id', 'payout_date', 'type', 'transaction_id', 'order_id', 'currency', 'amount', 'fee', 'processed_at'] as const;

export const quickpayTypes: Record<string, PayoutLineType | 'payout'> = {
  sale: 'payment',
  capture: 'payment',
  credit: 'refund',
  refund: 'refund',
  chargeback: 'chargeback',
  fee: 'fee',
  reserve: 'adjustment',
  reserve_release: 'adjustment',
  other: 'adjustment',
  payout: 'payout',
};

/** Signs a posting type must have: what Clearhaus reports otherwise is a corrupted file, not a new kind of money. */
const sign: Partial<Record<string, 1 | -1>> = { sale: 1, capture: 1, credit: -1, refund: -1, chargeback: -1, reserve: -1, reserve_release: 1 };

export function parseQuickPay(fileText: string, acquirer = 'quickpay'): Payout[] {
  return readCsv(fileText, quickpayReader(acquirer));
}

export function quickpayReader(acquirer = 'quickpay'): SettlementReader {
  const out = new PayoutCollector(acquirer);
  const row = (row: CsvRow) => {
    const rawType = row.get('type').toLowerCase();
    const type = quickpayTypes[rawType] ?? row.fail(`type "${rawType}" is not one of ${Object.keys(quickpayTypes).join(', ')}`);
    const { currency } = currencyField(row, 'currency');
    const amount = minorUnitsField(row, 'amount');
    const fee = minorUnitsField(row, 'fee');
    const expected = sign[rawType];
    if (expected && Math.sign(amount) === -expected) {
      row.fail(`a ${rawType} of ${amount} has the wrong sign: ${expected > 0 ? 'it adds to' : 'it is deducted from'} the settlement`);
    }
    if (fee < 0) row.fail(`fee ${fee} is negative; withheld fees are positive`);

    const payout = out.payout(row.get('settlement_id'), currency, row);
    out.agree(payout, 'paidOutAt', dateField(row, 'payout_date', 'YYYY-MM-DD'), row, 'the payout date');
    if (type === 'payout') {
      out.agree(payout, 'netAmount', amount, row, 'the payout amount');
      return;
    }
    payout.lines.push(
      compact({
        lineNo: row.line,
        type,
        amount,
        fee,
        currency,
        transactionId: row.optional('transaction_id'),
        orderReference: row.optional('order_id'),
        paymentMethod: row.optional('card_type')?.toLowerCase(),
        date: dateField(row, 'processed_at', 'YYYY-MM-DD'),
        description: type === 'adjustment' || type === 'fee' ? rawType.replace('_', ' ') : undefined,
      }),
    );
  };
  return { delimiter: ',', required: quickpayColumns, row, result: () => out.result() };
}
