import type { Payout, PayoutLine } from './payout';

/** A payment (invoice) or refund payment (credit note) that sits on an acquirer receivable, waiting for a payout. */
export interface OpenDocument {
  /** Order id for invoices, refund id for credit notes. */
  reference: string;
  kind: 'invoice' | 'credit_note';
  orderNumber: string;
  /** For credit notes: the order they belong to (a refund line often names the order, not the refund). */
  orderReference?: string;
  transactionId?: string;
  /** Signed: invoices +, credit notes −. */
  amount: number;
  date: string;
  receivableAccount: string;
  acquirer: string;
}

export type MatchRule = 'transaction_reference' | 'order_reference' | 'amount_and_date' | 'unmatched' | 'fee';

export interface MatchResult {
  line: PayoutLine;
  document: OpenDocument | null;
  rule: MatchRule;
  reason?: string;
}

export interface MatchOptions {
  /** How far apart a line's date and a payment's date may be for an amount match. */
  dateWindowDays?: number;
}

const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/**
 * Matches each payout line to the document it settles: first by transaction reference, then by order reference,
 * then by the same amount within a date window (closest date first). A document is never matched twice, and the
 * stronger rules run over all lines before the weaker ones, so a weak match cannot steal a strong one's document.
 */
export function matchPayout(payout: Payout, documents: readonly OpenDocument[], options: MatchOptions = {}): MatchResult[] {
  const window = options.dateWindowDays ?? 3;
  const used = new Set<OpenDocument>();
  const results = new Map<PayoutLine, MatchResult>();
  const matchable = payout.lines.filter((l) => l.type !== 'fee');
  for (const line of payout.lines) if (line.type === 'fee') results.set(line, { line, document: null, rule: 'fee' });

  const sameSign = (line: PayoutLine, doc: OpenDocument) => Math.sign(line.amount) === Math.sign(doc.amount);
  const pass = (rule: MatchRule, find: (line: PayoutLine, free: OpenDocument[]) => OpenDocument | undefined) => {
    for (const line of matchable) {
      if (results.has(line)) continue;
      const free = documents.filter((d) => !used.has(d) && sameSign(line, d));
      const doc = find(line, free);
      if (doc) {
        used.add(doc);
        results.set(line, { line, document: doc, rule });
      }
    }
  };

  pass('transaction_reference', (line, free) => (line.transactionId ? free.find((d) => d.transactionId === line.transactionId) : undefined));
  pass('order_reference', (line, free) => {
    const ref = line.orderReference;
    if (!ref) return undefined;
    const named = (d: OpenDocument) =>
      d.kind === 'invoice' ? d.reference === ref || d.orderNumber === ref : d.orderReference === ref || d.reference === ref;
    return free.find((d) => named(d) && d.amount === line.amount) ?? free.find(named);
  });
  pass('amount_and_date', (line, free) =>
    free
      .filter((d) => d.amount === line.amount && Math.abs(dayNumber(d.date) - dayNumber(line.date)) <= window)
      .sort((a, b) => Math.abs(dayNumber(a.date) - dayNumber(line.date)) - Math.abs(dayNumber(b.date) - dayNumber(line.date)))[0],
  );

  return payout.lines.map(
    (line) =>
      results.get(line) ?? {
        line,
        document: null,
        rule: 'unmatched',
        reason: line.transactionId || line.orderReference
          ? `no open payment with reference ${line.transactionId ?? line.orderReference}`
          : `no open payment of ${line.amount} within ${window} days of ${line.date}`,
      },
  );
}
