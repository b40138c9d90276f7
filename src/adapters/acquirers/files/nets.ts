import type { Payout, PayoutLineType } from '../../../domain/payout';
import { decimalFormats } from '../decimal';
import { compact, PayoutCollector } from './build';
import { readCsv } from './csv';
import { amountField, currencyField, dateField } from './fields';

/**
 * Nets/Nexi settlement (payout) report as the merchant portal exports it: semicolon separated, Danish decimal comma
 * with '.' between thousands (a trailing minus is accepted too), dates dd.mm.yyyy, one row per transaction, the
 * payout id repeated on each row. Refunds and chargebacks carry negative gross amounts; the fee is positive and
 * withheld; on every row net = gross − fee, which we check. A fee row (invoice fees, chargeback fees) has gross 0.
 * Each payout is in one currency; a merchant paid in several currencies gets one payout per currency.
 */
const columns = ['Payout ID', 'Payout date', 'Transaction date', 'Transaction type', 'Payment ID', 'Order reference', 'Payment method', 'Currency', 'Gross amount', 'Fee', 'Net amount'] as const;

const types: Record<string, PayoutLineType> = {
  sale: 'payment',
  capture: 'payment',
  refund: 'refund',
  chargeback: 'chargeback',
  fee: 'fee',
  adjustment: 'adjustment',
};

export function parseNets(fileText: string, acquirer = 'nets'): Payout[] {
  const out = new PayoutCollector(acquirer);
  for (const row of readCsv(fileText, { delimiter: ';', required: columns }).rows) {
    const { currency, digits } = currencyField(row, 'Currency');
    const rawType = row.get('Transaction type');
    const type = types[rawType.toLowerCase()] ?? row.fail(`Transaction type "${rawType}" is not one of Sale, Capture, Refund, Chargeback, Fee, Adjustment`);
    const gross = amountField(row, 'Gross amount', decimalFormats.danish, digits);
    const fee = amountField(row, 'Fee', decimalFormats.danish, digits);
    const net = amountField(row, 'Net amount', decimalFormats.danish, digits);
    if (fee < 0) row.fail(`Fee ${fee} is negative; Nets reports withheld fees as positive amounts`);
    if (gross - fee !== net) row.fail(`Net amount ${net} is not Gross amount ${gross} less Fee ${fee}`);

    const payout = out.payout(row.get('Payout ID'), currency, row);
    out.agree(payout, 'paidOutAt', dateField(row, 'Payout date', 'DD.MM.YYYY'), row, 'the payout date');
    payout.lines.push(
      compact({
        lineNo: row.line,
        type,
        // A fee row is money Nets keeps: its net (−fee) as the amount, with nothing further withheld.
        amount: type === 'fee' ? net : gross,
        fee: type === 'fee' ? 0 : fee,
        currency,
        transactionId: row.optional('Payment ID'),
        orderReference: row.optional('Order reference'),
        paymentMethod: row.optional('Payment method')?.toLowerCase(),
        date: dateField(row, 'Transaction date', 'DD.MM.YYYY'),
      }),
    );
  }
  return out.result();
}
