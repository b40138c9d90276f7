import { describe, expect, it } from 'vitest';
import { matchPayout } from '../../../src/domain/payout-matching';
import { planPayoutParts, type PayoutAccounts } from '../../../src/domain/plan-payout';
import { largePayout } from '../../support/large-payout';

const mapping = { accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690' } } as PayoutAccounts;
const total = (xs: { amount: number }[]) => xs.reduce((a, x) => a + x.amount, 0);

// Matching used to scan every open document for every line: 200,000 lines × 200,000 documents never finished here.
describe('a 200,000-line payout', () => {
  const { payout, documents, unknown } = largePayout(200_000);
  let matched: ReturnType<typeof matchPayout> | undefined;
  const match = () => (matched ??= matchPayout(payout, documents));

  it('matches each line once, by the strongest rule it has, in time linear in lines and documents', () => {
    const results = match();
    const rules = new Map<string, number>();
    for (const r of results) rules.set(r.rule, (rules.get(r.rule) ?? 0) + 1);
    expect(Object.fromEntries(rules)).toEqual({ transaction_reference: 100_000, order_reference: 50_000, amount_and_date: 50_000 - unknown, unmatched: unknown });
    // No invoice settled twice, and each line settled an invoice of its own amount.
    const settled = results.flatMap((r) => (r.document ? [r.document] : []));
    expect(new Set(settled).size).toBe(settled.length);
    expect(results.every((r) => !r.document || r.document.amount === r.line.amount)).toBe(true);
    // Transaction and order references find the line's own invoice.
    const own = results.filter((r) => r.rule !== 'amount_and_date' && r.document).every((r) => r.document!.reference === `o-${r.line.lineNo - 2}`);
    expect(own).toBe(true);
    // Amount and date: the same day (every day has free invoices of each amount), never across the window.
    expect(results.filter((r) => r.rule === 'amount_and_date').every((r) => r.document!.date === r.line.date)).toBe(true);
  });

  it('books in parts of at most 5,000 lines that each balance, with one bank line and the carries netting to zero', () => {
    const results = match();
    const parts = planPayoutParts(payout, results, mapping, 'DKK', 5_000);
    expect(parts.length).toBe(Math.ceil(200_000 / 4_999));
    for (const p of parts) {
      expect(p.voucher.lines.length).toBeLessThanOrEqual(5_000);
      expect(total(p.voucher.lines)).toBe(0);
    }
    const lines = parts.flatMap((p) => p.voucher.lines);
    expect(lines.filter((l) => l.account === '5820')).toEqual([{ account: '5820', amount: payout.netAmount, text: 'Payout BIG-200000 from nets: paid out' }]);
    expect(parts.at(-1)!.voucher.lines.some((l) => l.account === '5820')).toBe(true);
    expect(total(lines.filter((l) => l.account === '3630'))).toBe(total(payout.lines.map((l) => ({ amount: l.fee }))));
    // Receivable: every matched invoice credited once; the carry lines (also on 5815) net to zero.
    const carries = lines.filter((l) => / carried (to|from) part/.test(l.text));
    // One carry out of each part but the last, one back into the last.
    expect(carries.length).toBe(parts.length);
    expect(total(carries)).toBe(0);
    expect(new Set(carries.map((l) => l.account))).toEqual(new Set(['5815']));
    const matchedAmount = total(results.flatMap((r) => (r.document ? [r.document] : [])));
    expect(total(lines.filter((l) => l.account === '5815' && !carries.includes(l)))).toBe(-matchedAmount);
    expect(total(lines.filter((l) => l.account === '5890'))).toBe(-total(results.filter((r) => r.rule === 'unmatched').map((r) => r.line)));
    // Every payout line is in exactly one part.
    const lineNos = parts.flatMap((p) => p.lineNos);
    expect(lineNos.length).toBe(200_000);
    expect(new Set(lineNos).size).toBe(200_000);
  });
});
