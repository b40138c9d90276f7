import type { Payout, PayoutLine } from '../../../domain/payout';
import { SettlementParseError } from '../port';
import type { CsvRow } from './csv';

/** A payout while its file is being read. */
export interface PayoutDraft {
  payoutId: string;
  currency: string;
  firstLine: number;
  lines: PayoutLine[];
  paidOutAt?: string;
  /** What reached the bank, when the file says so; otherwise the lines' amounts less their fees. */
  netAmount?: number;
}

/** Drops keys whose value is undefined or '', so optional line fields are absent rather than empty. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/**
 * Collects the lines of each payout in file order and refuses what must be consistent within a payout but is not:
 * its currency, its payout date, its paid amount.
 */
export class PayoutCollector {
  private readonly drafts = new Map<string, PayoutDraft>();

  constructor(private readonly acquirer: string) {}

  /** The payout a row belongs to, opened on first sight. */
  payout(payoutId: string, currency: string, row: CsvRow): PayoutDraft {
    const known = this.drafts.get(payoutId);
    if (!known) {
      const draft: PayoutDraft = { payoutId, currency, firstLine: row.line, lines: [] };
      this.drafts.set(payoutId, draft);
      return draft;
    }
    if (known.currency !== currency) row.fail(`payout ${payoutId} mixes currencies: ${currency} here, ${known.currency} from line ${known.firstLine}`);
    return known;
  }

  /** Sets a payout-level value that every row repeating it must agree on. */
  agree<K extends 'paidOutAt' | 'netAmount'>(draft: PayoutDraft, key: K, value: NonNullable<PayoutDraft[K]>, row: CsvRow, label: string): void {
    const known = draft[key];
    if (known !== undefined && known !== value) row.fail(`${label} of payout ${draft.payoutId} is ${value} here but ${known} on an earlier line`);
    draft[key] = value;
  }

  /**
   * The payouts, in the order the file first names them. `netWithoutTransfer` says what reached the bank for a payout
   * whose file names no amount: its lines less their fees (files that only list transactions), or nothing (files in
   * which a transfer row is the only evidence of a payment to the bank).
   */
  result(netWithoutTransfer: 'lines' | 'zero' = 'lines'): Payout[] {
    return [...this.drafts.values()].map((d) => {
      if (d.lines.length === 0) throw new SettlementParseError(d.firstLine, `payout ${d.payoutId} has no transaction lines, only its transfer`);
      const lastDate = d.lines.reduce((a, l) => (l.date > a ? l.date : a), '');
      return {
        acquirer: this.acquirer,
        payoutId: d.payoutId,
        currency: d.currency,
        paidOutAt: d.paidOutAt ?? lastDate,
        netAmount: d.netAmount ?? (netWithoutTransfer === 'zero' ? 0 : d.lines.reduce((a, l) => a + l.amount - l.fee, 0)),
        lines: d.lines,
      };
    });
  }
}
