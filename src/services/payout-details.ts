import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { acquirerConnections, payouts, postings, shops } from '../../db/schema';
import type { LineMatch } from '../../activities/payouts';
import { isApiSource } from '../adapters/acquirers/api';
import { accountsOfAcquirer, mappingSchema } from '../domain/mapping';
import { sum } from '../domain/money';
import type { Payout, PayoutLine } from '../domain/payout';
import { payoutFees } from '../domain/plan-payout';

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

/** Where a payout line ends up on the voucher, as the balance report counts it (src/services/balance-report.ts). */
export type LineDestination = 'receivable' | 'disputes' | 'fees' | 'error_account' | 'not_planned';

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
  totals: {
    /** The lines other than fee lines, as they move the acquirer balance. */
    gross: number;
    /** What the acquirer kept: withheld fees plus fee lines. */
    fees: number;
    /** What reached the bank. */
    net: number;
    lines: number;
    settled: number;
    /** Settled receivable entries, summed (payments +, refunds −). */
    settledAmount: number;
    errorAccount: number;
    errorAccountAmount: number;
    disputes: number;
    disputesAmount: number;
  };
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

function destinationOf(line: PayoutLine, m: LineMatch | undefined): LineDestination {
  if (line.type === 'fee') return 'fees';
  if (!m) return 'not_planned';
  if (m.settles) return 'receivable';
  if (m.disputes) return 'disputes';
  return m.rule === 'fee' ? 'fees' : 'error_account';
}

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
  const [row] = await db
    .select({ payout: payouts, mapping: shops.mapping })
    .from(payouts)
    .innerJoin(shops, eq(shops.id, payouts.shopId))
    .where(and(eq(payouts.shopId, shopId), eq(payouts.connectionId, connectionId), eq(payouts.payoutId, payoutId)));
  if (!row) return null;
  const p = row.payout;
  const payout = p.payout as Payout;
  const matches = (p.matches as LineMatch[] | null) ?? [];
  const byLine = new Map(matches.map((m) => [m.lineNo, m]));

  const destinations = payout.lines.map((l) => ({ line: l, match: byLine.get(l.lineNo), to: destinationOf(l, byLine.get(l.lineNo)) }));
  const of = (to: LineDestination) => destinations.filter((d) => d.to === to);
  const errors = of('error_account');
  const mapping = mappingSchema.safeParse(row.mapping);
  const own = mapping.success ? accountsOfAcquirer(mapping.data, p.acquirer) : null;

  const after = page.cursor ?? 0;
  const shown = destinations.filter((d) => d.line.lineNo > after).slice(0, page.limit + 1);
  const pageRows = shown.slice(0, page.limit);
  const orderIds = await orderIdsOfRefundPayments(
    db,
    p.ledgerId,
    pageRows.flatMap((d) => (d.match?.settles?.kind === 'refund_payment' ? [d.match.settles.reference] : [])),
  );

  return {
    currency: p.currency,
    totals: {
      gross: sum(payout.lines.filter((l) => l.type !== 'fee').map((l) => l.amount)),
      fees: payoutFees(payout),
      net: p.netAmount,
      lines: payout.lines.length,
      settled: of('receivable').length,
      settledAmount: sum(of('receivable').map((d) => d.line.amount)),
      errorAccount: errors.length,
      errorAccountAmount: sum(errors.map((d) => d.line.amount)),
      disputes: of('disputes').length,
      disputesAmount: sum(of('disputes').map((d) => d.line.amount)),
    },
    accounts: mapping.success ? { bank: mapping.data.accounts.bank, fee: own!.fee, error: mapping.data.accounts.error, disputes: own!.disputes ?? null } : null,
    matched: matches.length > 0,
    errorLines: errors.slice(0, errorLinesShown).map((d) => ({ lineNo: d.line.lineNo, amount: d.line.amount, reason: d.match?.reason ?? d.line.type })),
    lines: pageRows.map(({ line, match, to }) => ({
      lineNo: line.lineNo,
      type: line.type,
      date: line.date,
      amount: line.amount,
      fee: line.fee,
      currency: line.currency,
      transactionId: line.transactionId ?? null,
      orderReference: line.orderReference ?? null,
      paymentMethod: line.paymentMethod ?? null,
      description: line.description ?? null,
      destination: to,
      rule: match?.rule ?? null,
      settles: match?.settles
        ? {
            ...match.settles,
            // A payment's reference is its order id; a refund payment's is the refund id, so its order is looked up.
            orderId: match.settles.kind === 'payment' ? match.settles.reference : (orderIds.get(match.settles.reference) ?? null),
          }
        : null,
      disputes: match?.disputes ? { orderId: match.disputes.reference, orderNumber: match.disputes.orderNumber } : null,
      reason: match?.reason ?? null,
    })),
    nextCursor: shown.length > page.limit ? String(pageRows.at(-1)!.line.lineNo) : null,
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
