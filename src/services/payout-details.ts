import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { acquirerConnections, payoutLines, payouts, postings, shops } from '../../db/schema';
import { isApiSource } from '../adapters/acquirers/api';
import { accountsOfAcquirer, mappingSchema } from '../domain/mapping';
import type { PayoutLine } from '../domain/payout';
import type { LineDestination, PayoutLineTotals } from './payout-lines';

/** An acquirer connection as a person picks it: where its payouts come from, never its credentials. */
export interface AcquirerConnectionView {
  connectionId: string;
  acquirer: string;
  source: string;
  /** Settlement files can be uploaded to it (POST /v1/acquirers/{connectionId}/settlements). */
  takesFiles: boolean;
  /** A generic CSV connection reads files only once its column mapping is saved (PUT /v1/acquirers/{connectionId}/csv-mapping). */
  csvMappingSaved: boolean;
  createdAt: string;
}

export async function listAcquirerConnections(db: Db, shopId: string): Promise<AcquirerConnectionView[]> {
  const rows = await db
    .select({ id: acquirerConnections.id, acquirer: acquirerConnections.acquirer, source: acquirerConnections.source, csvMapping: acquirerConnections.csvMapping, createdAt: acquirerConnections.createdAt })
    .from(acquirerConnections)
    .where(eq(acquirerConnections.shopId, shopId))
    .orderBy(asc(acquirerConnections.createdAt), asc(acquirerConnections.id));
  return rows.map((c) => ({
    connectionId: c.id,
    acquirer: c.acquirer,
    source: c.source,
    // The same rule the upload route applies: API sources are fetched, json takes canonical payouts.
    takesFiles: !isApiSource(c.source) && c.source !== 'json',
    csvMappingSaved: c.csvMapping !== null,
    createdAt: c.createdAt.toISOString(),
  }));
}

export type { LineDestination } from './payout-lines';

export interface PayoutLineView {
  lineNo: number;
  type: PayoutLine['type'];
  date: string;
  amount: number;
  fee: number;
  currency: string;
  transactionId: string | null;
  orderReference: string | null;
  paymentMethod: string | null;
  description: string | null;
  destination: LineDestination;
  /** The rule that matched it (transaction_reference, order_reference, amount_and_date, fee, dispute, unmatched). */
  rule: string | null;
  /** The payment or refund payment it settles, with the order it belongs to. */
  settles: { kind: 'payment' | 'refund_payment'; reference: string; orderId: string | null; orderNumber: string | null } | null;
  /** A chargeback or its reversal: the order whose payment it disputes. */
  disputes: { orderId: string; orderNumber: string | null } | null;
  /** Why the line went to the error account (or why nothing matched). */
  reason: string | null;
}

export interface PayoutDetails {
  currency: string;
  /** Counted over all of the payout's lines when they were written (payout-lines.ts), with what reached the bank. */
  totals: Omit<PayoutLineTotals, 'matched'> & { /** What reached the bank. */ net: number };
  /** The accounts the voucher uses, from the shop's mapping; null when the shop has no valid mapping. */
  accounts: { bank: string; fee: string; error: string; disputes: string | null } | null;
  /** Matching has run (lines know what they settle); false while the payout waits or when it stopped before matching. */
  matched: boolean;
  /** Every line that went to the error account, with its reason (at most `errorLinesShown`). */
  errorLines: { lineNo: number; amount: number; reason: string }[];
  lines: PayoutLineView[];
  nextCursor: string | null;
}

/** How many error-account lines the page lists; the totals count all of them. */
export const errorLinesShown = 500;

/**
 * One payout for its page: every line (a page at a time, from `cursor`, the last line number shown) with the payment
 * it settles and the order behind it, the totals, and what went to the error account and why. Scoped to the shop:
 * another shop's payout is null, as one that does not exist.
 */
export async function payoutDetails(
  db: Db,
  shopId: string,
  connectionId: string,
  payoutId: string,
  page: { limit: number; cursor?: number },
): Promise<PayoutDetails | null> {
  // The payout's row without its lines (payouts.payout) or matches: the page reads its rows of payout_lines and the
  // totals counted when they were written, so its time does not grow with the payout.
  const [p] = await db
    .select({ acquirer: payouts.acquirer, currency: payouts.currency, netAmount: payouts.netAmount, ledgerId: payouts.ledgerId, lineTotals: payouts.lineTotals, mapping: shops.mapping })
    .from(payouts)
    .innerJoin(shops, eq(shops.id, payouts.shopId))
    .where(and(eq(payouts.shopId, shopId), eq(payouts.connectionId, connectionId), eq(payouts.payoutId, payoutId)));
  if (!p) return null;
  if (!p.lineTotals) throw new Error(`payout ${connectionId}/${payoutId} has no line totals (written with its payout_lines, migration 0017)`);
  const totals = p.lineTotals as PayoutLineTotals;
  const ofPayout = and(eq(payoutLines.connectionId, connectionId), eq(payoutLines.payoutId, payoutId));
  const [errors, shown] = await Promise.all([
    db
      .select({ lineNo: payoutLines.lineNo, amount: payoutLines.amount, reason: sql<string>`coalesce(${payoutLines.reason}, ${payoutLines.type})` })
      .from(payoutLines)
      .where(and(ofPayout, eq(payoutLines.destination, 'error_account')))
      .orderBy(asc(payoutLines.lineNo))
      .limit(errorLinesShown),
    db
      .select()
      .from(payoutLines)
      .where(and(ofPayout, gt(payoutLines.lineNo, page.cursor ?? 0)))
      .orderBy(asc(payoutLines.lineNo))
      .limit(page.limit + 1),
  ]);
  const pageRows = shown.slice(0, page.limit);
  const mapping = mappingSchema.safeParse(p.mapping);
  const own = mapping.success ? accountsOfAcquirer(mapping.data, p.acquirer) : null;
  const orderIds = await orderIdsOfRefundPayments(
    db,
    p.ledgerId,
    pageRows.flatMap((l) => (l.settlesKind === 'refund_payment' ? [l.settlesReference!] : [])),
  );

  return {
    currency: p.currency,
    totals: {
      gross: totals.gross,
      fees: totals.fees,
      net: p.netAmount,
      lines: totals.lines,
      settled: totals.settled,
      settledAmount: totals.settledAmount,
      errorAccount: totals.errorAccount,
      errorAccountAmount: totals.errorAccountAmount,
      disputes: totals.disputes,
      disputesAmount: totals.disputesAmount,
    },
    accounts: mapping.success ? { bank: mapping.data.accounts.bank, fee: own!.fee, error: mapping.data.accounts.error, disputes: own!.disputes ?? null } : null,
    matched: totals.matched,
    errorLines: errors,
    lines: pageRows.map((l) => ({
      lineNo: l.lineNo,
      type: l.type as PayoutLine['type'],
      date: l.date,
      amount: l.amount,
      fee: l.fee,
      currency: l.currency,
      transactionId: l.transactionId,
      orderReference: l.orderReference,
      paymentMethod: l.paymentMethod,
      description: l.description,
      destination: l.destination as LineDestination,
      rule: l.rule,
      settles: l.settlesKind
        ? {
            kind: l.settlesKind as 'payment' | 'refund_payment',
            reference: l.settlesReference!,
            orderNumber: l.settlesOrderNumber,
            // A payment's reference is its order id; a refund payment's is the refund id, so its order is looked up.
            orderId: l.settlesKind === 'payment' ? l.settlesReference! : (orderIds.get(l.settlesReference!) ?? null),
          }
        : null,
      disputes: l.disputesReference ? { orderId: l.disputesReference, orderNumber: l.disputesOrderNumber } : null,
      reason: l.reason,
    })),
    nextCursor: shown.length > page.limit ? String(pageRows.at(-1)!.lineNo) : null,
  };
}

async function orderIdsOfRefundPayments(db: Db, ledgerId: string, refundIds: string[]): Promise<Map<string, string | null>> {
  if (refundIds.length === 0) return new Map();
  const rows = await db
    .select({ reference: postings.reference, orderId: postings.orderId })
    .from(postings)
    .where(and(eq(postings.ledgerId, ledgerId), eq(postings.kind, 'refund_payment'), inArray(postings.reference, [...new Set(refundIds)])));
  return new Map(rows.map((r) => [r.reference, r.orderId]));
}

/** The payout's booking status, or null when the shop has no such payout. */
export async function payoutStatus(db: Db, shopId: string, connectionId: string, payoutId: string): Promise<string | null> {
  const [p] = await db
    .select({ status: payouts.status })
    .from(payouts)
    .where(and(eq(payouts.shopId, shopId), eq(payouts.connectionId, connectionId), eq(payouts.payoutId, payoutId)));
  return p?.status ?? null;
}
