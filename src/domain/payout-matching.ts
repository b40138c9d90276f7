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
  /** YYYY-MM-DD */
  date: string;
  receivableAccount: string;
  acquirer: string;
}

/**
 * 'fee' marks fee-type lines: they settle no document, they are fees (the payout report lists them as such).
 * 'dispute' marks a chargeback or dispute reversal placed on the payment it disputes: it settles nothing either.
 */
export type MatchRule = 'transaction_reference' | 'order_reference' | 'amount_and_date' | 'unmatched' | 'fee' | 'dispute';

export interface MatchResult {
  line: PayoutLine;
  document: OpenDocument | null;
  rule: MatchRule;
  /** For a chargeback or its reversal: the payment it disputes (found by transaction, then order reference). */
  disputed?: OpenDocument;
  reason?: string;
}

export interface MatchOptions {
  /** How many days apart a line and a document may be for a match on amount alone. Default 3. */
  dateWindowDays?: number;
  /**
   * Every payment booked on this acquirer, paid out or not: a chargeback usually comes long after its payment was
   * paid out, so it is placed among these, not among the open documents. Default: the open invoices.
   */
  payments?: readonly OpenDocument[];
}

const isDispute = (line: PayoutLine) => line.type === 'chargeback' || line.type === 'chargeback_reversal';

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
const daysApart = (a: string, b: string) => Math.abs(dayNumber(a) - dayNumber(b));

/** Shops write "#1001", acquirers "1001"; case and a leading '#' carry no meaning in a reference. */
const normalize = (ref: string) => ref.trim().replace(/^#/, '').toLowerCase();

/**
 * Which documents a line may settle at all: payments settle invoices, refunds credit notes. A chargeback settles
 * nothing: the sale stands and its receivable was settled by the payout that paid it.
 */
function settles(line: PayoutLine, doc: OpenDocument): boolean {
  if (line.amount === 0 || Math.sign(line.amount) !== Math.sign(doc.amount)) return false;
  if (line.type === 'payment') return doc.kind === 'invoice';
  if (line.type === 'refund') return doc.kind === 'credit_note';
  return false;
}

/**
 * Among several candidates, the one with the same amount, then the closest date, wins; ties keep input order (the
 * candidates come in input order).
 */
function best(line: PayoutLine, candidates: Iterable<OpenDocument>): OpenDocument | undefined {
  let winner: OpenDocument | undefined;
  let key: [number, number] = [Infinity, Infinity];
  for (const doc of candidates) {
    const k: [number, number] = [doc.amount === line.amount ? 0 : 1, daysApart(doc.date, line.date)];
    if (k[0] < key[0] || (k[0] === key[0] && k[1] < key[1])) [winner, key] = [doc, k];
  }
  return winner;
}

const lineIds = (line: PayoutLine) => [line.transactionId, ...(line.relatedTransactionIds ?? [])].filter((id): id is string => !!id);

/** The names a line's order reference may match: an invoice by its order id or number, a credit note also by its order. */
function documentNames(doc: OpenDocument): string[] {
  const names = doc.kind === 'invoice' ? [doc.reference, doc.orderNumber] : [doc.orderReference, doc.reference, doc.orderNumber];
  return [...new Set(names.filter((n): n is string => n !== undefined && n !== '').map(normalize))];
}

/** key → values in input order. */
function indexBy<T>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of keys(item)) {
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
}

/** The payment a chargeback (or its reversal) is about: by the acquirer's transaction ids, then by the order it names. */
function disputedPayments(payments: readonly OpenDocument[]) {
  const byTransaction = indexBy(payments, (p) => (p.transactionId !== undefined ? [p.transactionId] : []));
  const byName = indexBy(payments, documentNames);
  const order = new Map(payments.map((p, i) => [p, i]));
  return (line: PayoutLine): OpenDocument | undefined => {
    // The first payment in input order that carries any of the line's ids.
    const byId = lineIds(line)
      .map((id) => byTransaction.get(id)?.[0])
      .filter((p): p is OpenDocument => p !== undefined)
      .sort((a, b) => order.get(a)! - order.get(b)!)[0];
    return byId ?? (line.orderReference ? byName.get(normalize(line.orderReference))?.[0] : undefined);
  };
}

function unmatchedReason(line: PayoutLine, window: number): string {
  if (isDispute(line)) {
    const ids = lineIds(line);
    const tried = [...(ids.length ? [`transaction ${ids.join(' / ')}`] : []), ...(line.orderReference ? [`order reference ${line.orderReference}`] : [])];
    const what = line.type === 'chargeback' ? 'chargeback' : 'dispute reversal';
    return `${what}: no booked payment of this acquirer with ${tried.join(', or ') || 'any reference'}, so nobody can say which sale it disputes`;
  }
  if (line.type === 'adjustment') {
    return `adjustment${line.description ? ` (${line.description})` : ''}: not a payment, so it settles no invoice`;
  }
  const ids = lineIds(line);
  const what = line.type === 'payment' ? 'open invoice payment' : 'open refund (credit note)';
  const tried = [
    ...(ids.length ? [`transaction ${ids.join(' / ')}`] : []),
    ...(line.orderReference ? [`order reference ${line.orderReference}`] : []),
    ...(line.type === 'payment' || line.type === 'refund' ? [`amount ${line.amount} within ${window} days of ${line.date}`] : []),
  ];
  return `${line.type}: no ${what} with ${tried.join(', or ') || 'any reference'}`;
}

/**
 * Matches each payout line to the open document it settles, in three passes: by transaction reference, then by order
 * reference, then by the same amount within a date window. Each pass runs over all lines before the next, so a weak
 * match never takes the document a strong one needs, and a document is never settled twice. Only payment and refund
 * lines may match on amount alone: a chargeback or adjustment of the same size as some order is not evidence.
 * Chargebacks and their reversals settle nothing; they are placed on the payment they dispute (options.payments).
 * Returns one result per line, in the payout's order.
 */
export function matchPayout(payout: Payout, documents: readonly OpenDocument[], options: MatchOptions = {}): MatchResult[] {
  const window = options.dateWindowDays ?? 3;
  // A payout only settles claims on its own acquirer's receivable.
  const candidates = documents.filter((d) => d.acquirer === payout.acquirer);
  // Linear in lines + documents: every pass looks its candidates up in maps built once (an 800,000-line payout against
  // as many documents took minutes and gigabytes when each line scanned every document).
  const position = new Map(candidates.map((d, i) => [d, i]));
  const inputOrder = (docs: Iterable<OpenDocument>) => [...new Set(docs)].sort((a, b) => position.get(a)! - position.get(b)!);
  const byTransaction = indexBy(candidates, (d) => (d.transactionId !== undefined ? [d.transactionId] : []));
  const byName = indexBy(candidates, documentNames);
  const dayOf = new Map(candidates.map((d) => [d, dayNumber(d.date)]));
  /** kind|amount|day → documents in input order, with the index of the first one that may still be free. */
  const byAmountDay = new Map<string, { docs: OpenDocument[]; next: number }>();
  for (const d of candidates) {
    const k = `${d.kind}|${d.amount}|${dayOf.get(d)}`;
    const bucket = byAmountDay.get(k);
    if (bucket) bucket.docs.push(d);
    else byAmountDay.set(k, { docs: [d], next: 0 });
  }
  const used = new Set<OpenDocument>();
  const found = new Map<PayoutLine, MatchResult>();

  const pass = (rule: MatchRule, pick: (line: PayoutLine, free: (d: OpenDocument) => boolean) => OpenDocument | undefined) => {
    for (const line of payout.lines) {
      if (found.has(line) || line.type === 'fee' || line.type === 'adjustment' || isDispute(line)) continue;
      const doc = pick(line, (d) => !used.has(d) && settles(line, d));
      if (!doc) continue;
      used.add(doc);
      found.set(line, { line, document: doc, rule });
    }
  };

  pass('transaction_reference', (line, free) => best(line, inputOrder(lineIds(line).flatMap((id) => byTransaction.get(id) ?? [])).filter(free)));
  pass('order_reference', (line, free) => (line.orderReference ? best(line, (byName.get(normalize(line.orderReference)) ?? []).filter(free)) : undefined));
  // Same amount within the window: the closest day wins, then input order. Each bucket skips its used documents once.
  const firstFree = (kind: OpenDocument['kind'], amount: number, day: number) => {
    const bucket = byAmountDay.get(`${kind}|${amount}|${day}`);
    if (!bucket) return undefined;
    while (bucket.next < bucket.docs.length && used.has(bucket.docs[bucket.next]!)) bucket.next++;
    return bucket.docs[bucket.next];
  };
  pass('amount_and_date', (line) => {
    if ((line.type !== 'payment' && line.type !== 'refund') || line.amount === 0) return undefined;
    const kind = line.type === 'payment' ? 'invoice' : 'credit_note';
    const day = dayNumber(line.date);
    if (Number.isNaN(day)) return undefined;
    for (let apart = 0; apart <= window; apart++) {
      const near = inputOrder([firstFree(kind, line.amount, day - apart), firstFree(kind, line.amount, day + apart)].filter((d): d is OpenDocument => d !== undefined));
      if (near.length) return near[0];
    }
    return undefined;
  });

  const payments = (options.payments ?? documents.filter((d) => d.kind === 'invoice')).filter((d) => d.acquirer === payout.acquirer && d.kind === 'invoice');
  const disputedPayment = disputedPayments(payments);
  return payout.lines.map((line): MatchResult => {
    if (line.type === 'fee') return { line, document: null, rule: 'fee' };
    const disputed = isDispute(line) ? disputedPayment(line) : undefined;
    if (disputed) return { line, document: null, rule: 'dispute', disputed };
    return found.get(line) ?? { line, document: null, rule: 'unmatched', reason: unmatchedReason(line, window) };
  });
}
