import type { Payout, PayoutLine } from '../../src/domain/payout';
import type { OpenDocument } from '../../src/domain/payout-matching';

/**
 * A payout of `count` lines against as many open invoices, for the planner's scale test and `npm run bench`: half the
 * lines name their payment's transaction, a quarter only the order, a quarter neither (matched on amount and date,
 * with many invoices of each amount: the case that scanned every document per line), and every 100th line is a
 * payment nobody knows (the error account). Every line withholds a fee of 1 %.
 */
export function largePayout(count: number): { payout: Payout; documents: OpenDocument[]; unknown: number } {
  const documents: OpenDocument[] = [];
  const lines: PayoutLine[] = [];
  let unknown = 0;
  for (let i = 0; i < count; i++) {
    // 50 amounts and 28 days: thousands of invoices share an amount and a day at 800,000 lines.
    const amount = 10_000 + (i % 50) * 100;
    const day = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`;
    const ref = `o-${i}`;
    const stranger = i % 100 === 99;
    if (!stranger) {
      documents.push({ reference: ref, kind: 'invoice', orderNumber: `#${i}`, transactionId: `txn-${i}`, amount, date: day, receivableAccount: '5815', acquirer: 'nets' });
    } else unknown++;
    const by = i % 4;
    lines.push({
      lineNo: i + 2,
      type: 'payment',
      amount,
      fee: amount / 100,
      currency: 'DKK',
      date: day,
      ...(stranger ? { transactionId: `foreign-${i}` } : by < 2 ? { transactionId: `txn-${i}` } : by === 2 ? { orderReference: `#${i}` } : {}),
    });
  }
  const netAmount = lines.reduce((a, l) => a + l.amount - l.fee, 0);
  return { payout: { acquirer: 'nets', payoutId: `BIG-${count}`, currency: 'DKK', paidOutAt: '2026-11-30', netAmount, lines }, documents, unknown };
}
