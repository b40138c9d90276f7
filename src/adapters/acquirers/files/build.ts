import type { Payout, PayoutLine } from '../../../domain/payout';
import { SettlementParseError } from './parse-error';

/** Collects lines per payout in file order and checks each payout stays in one currency. */
export class PayoutCollector {
  private readonly payouts = new Map<string, Payout & { firstLine: number }>();

  constructor(private readonly acquirer: string) {}

  add(payoutId: string, paidOutAt: string, line: Omit<PayoutLine, 'lineNo'> & { lineNo: number }, payoutCurrency = line.currency) {
    let p = this.payouts.get(payoutId);
    if (!p) {
      p = { acquirer: this.acquirer, payoutId, currency: payoutCurrency, paidOutAt, netAmount: 0, lines: [], firstLine: line.lineNo };
      this.payouts.set(payoutId, p);
    }
    if (payoutCurrency !== p.currency) {
      throw new SettlementParseError(line.lineNo, `payout ${payoutId} mixes currencies: ${payoutCurrency} after ${p.currency}`);
    }
    if (paidOutAt > p.paidOutAt) p.paidOutAt = paidOutAt;
    p.lines.push(line);
  }

  /** Sets what reached the bank; without it, the net is the lines' amounts less their fees. */
  setNet(payoutId: string, netAmount: number, paidOutAt?: string) {
    const p = this.payouts.get(payoutId);
    if (!p) return;
    p.netAmount = netAmount;
    if (paidOutAt) p.paidOutAt = paidOutAt;
    (p as { netGiven?: boolean }).netGiven = true;
  }

  ensure(payoutId: string, currency: string, paidOutAt: string, lineNo: number) {
    if (!this.payouts.has(payoutId)) {
      this.payouts.set(payoutId, { acquirer: this.acquirer, payoutId, currency, paidOutAt, netAmount: 0, lines: [], firstLine: lineNo });
    }
  }

  result(): Payout[] {
    return [...this.payouts.values()].map(({ firstLine, ...p }) => {
      const netGiven = (p as { netGiven?: boolean }).netGiven;
      delete (p as { netGiven?: boolean }).netGiven;
      if (p.lines.length === 0) throw new SettlementParseError(firstLine, `payout ${p.payoutId} has no lines`);
      return netGiven ? p : { ...p, netAmount: p.lines.reduce((a, l) => a + l.amount - l.fee, 0) };
    });
  }
}
