import { heartbeat } from '@temporalio/activity';
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { payoutPlanParts, payouts, postings, settlements, shops } from '../db/schema';
import type { LedgerRegistry } from '../src/adapters/ledgers/registry';
import type { Mapping } from '../src/domain/mapping';
import type { Payout } from '../src/domain/payout';
import { payoutInLedger } from '../src/domain/ledger-reference';
import { matchPayout, type OpenDocument } from '../src/domain/payout-matching';
import { planPayoutParts } from '../src/domain/plan-payout';
import type { Voucher } from '../src/domain/posting';
import { writePayoutLines } from '../src/services/payout-lines';
import { findPosting } from '../src/services/posting/records';
import { asActivityFailure } from './failures';

/** One line's match as the payout report shows it. */
export interface LineMatch {
  lineNo: number;
  type: string;
  amount: number;
  fee: number;
  rule: string;
  /** The payment (kind + reference) the line settles, if any. */
  settles: { kind: 'payment' | 'refund_payment'; reference: string; orderNumber: string | null } | null;
  /** A chargeback or dispute reversal: the payment (order) it disputes; it settles nothing. */
  disputes?: { reference: string; orderNumber: string | null };
  reason?: string;
}

/**
 * What planning hands the workflow: a count, never the plan. The plan (vouchers and settlements) stays in
 * payout_plan_parts, so no Temporal payload grows with the payout (an 800,000-line plan is hundreds of megabytes).
 */
export interface PayoutPlanSummary {
  parts: number;
  lines: number;
}

/** What a part settles, as the settlements table records it. */
interface PartSettlement {
  kind: 'payment' | 'refund_payment';
  reference: string;
  lineNo: number;
  rule: string;
  amount: number;
}

/**
 * Default bound on the lines of one payout voucher: the local ledger writes a voucher's lines in one statement
 * (6 parameters a line, PostgreSQL takes 65,535) and a hosted ledger API takes a voucher in one request.
 */
export const DEFAULT_PAYOUT_MAX_VOUCHER_LINES = 5_000;

export const payoutReference = (connectionId: string, payoutId: string) => `${connectionId}/${payoutId}`;
/** The last part is the payout's own reference: once it is posted, the payout is booked (loadBookingContext). */
export const payoutPartReference = (connectionId: string, payoutId: string, part: number, parts: number) =>
  part === parts ? payoutReference(connectionId, payoutId) : `${payoutReference(connectionId, payoutId)}#part-${part}-of-${parts}`;

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const INSERT_CHUNK = 5_000;

type PostingRow = typeof postings.$inferSelect;

/** Payments (and refund payments) to this acquirer that no payout has settled yet. */
async function openDocuments(db: Db, ledgerId: string, acquirer: string): Promise<(OpenDocument & { postingKind: 'payment' | 'refund_payment' })[]> {
  const rows = await db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.ledgerId, ledgerId),
        eq(postings.acquirer, acquirer),
        inArray(postings.kind, ['payment', 'refund_payment']),
        notExists(
          db
            .select({ one: sql`1` })
            .from(settlements)
            .where(and(eq(settlements.ledgerId, postings.ledgerId), eq(settlements.kind, postings.kind), eq(settlements.reference, postings.reference))),
        ),
      ),
    );
  return rows.map((p) => toOpenDocument(p, acquirer));
}

/** Every payment booked on this acquirer, paid out or not: what a chargeback may dispute. */
async function bookedPayments(db: Db, ledgerId: string, acquirer: string) {
  const rows = await db
    .select()
    .from(postings)
    .where(and(eq(postings.ledgerId, ledgerId), eq(postings.acquirer, acquirer), eq(postings.kind, 'payment')));
  return rows.map((p) => toOpenDocument(p, acquirer));
}

function toOpenDocument(p: PostingRow, acquirer: string): OpenDocument & { postingKind: 'payment' | 'refund_payment' } {
  return {
    postingKind: p.kind as 'payment' | 'refund_payment',
    reference: p.reference,
    kind: p.kind === 'payment' ? 'invoice' : 'credit_note',
    orderNumber: p.orderNumber ?? '',
    ...(p.orderId ? { orderReference: p.orderId } : {}),
    ...(p.transactionId ? { transactionId: p.transactionId } : {}),
    amount: p.kind === 'payment' ? p.amount : -p.amount,
    date: p.documentDate ?? p.createdAt.toISOString().slice(0, 10),
    receivableAccount: p.receivableAccount ?? '',
    acquirer,
  };
}

const where = (connectionId: string, payoutId: string) => and(eq(payouts.connectionId, connectionId), eq(payouts.payoutId, payoutId));
const partsWhere = (connectionId: string, payoutId: string) => and(eq(payoutPlanParts.connectionId, connectionId), eq(payoutPlanParts.payoutId, payoutId));

export function payoutActivities(db: Db, ledgers: LedgerRegistry, maxVoucherLines = DEFAULT_PAYOUT_MAX_VOUCHER_LINES) {
  return { ...payoutPlanActivities(db, maxVoucherLines), ...payoutPostingActivities(db, ledgers) };
}

/** Matching a payout to open payments and planning its vouchers, under the ledger lock. */
function payoutPlanActivities(db: Db, maxVoucherLines: number) {
  return {
    /**
     * Matches the payout's lines to open payments and plans its vouchers, stored in payout_plan_parts. Runs under the
     * ledger lock so that two payouts never claim the same payment. A plan of which a part is already posted is kept
     * as it is: its other parts must settle what it matched.
     */
    planPayoutBooking: (input: { ledgerId: string; connectionId: string; payoutId: string; mapping: Mapping; ledgerCurrency: string }) =>
      asActivityFailure(async (): Promise<PayoutPlanSummary> => {
        const { ledgerId, connectionId, payoutId } = input;
        const stored = await db.select({ part: payoutPlanParts.part, parts: payoutPlanParts.parts }).from(payoutPlanParts).where(partsWhere(connectionId, payoutId));
        if (stored.length) {
          const parts = stored[0]!.parts;
          const refs = Array.from({ length: parts }, (_, i) => payoutPartReference(connectionId, payoutId, i + 1, parts));
          const posted = await db
            .select({ reference: postings.reference })
            .from(postings)
            .where(and(eq(postings.ledgerId, ledgerId), eq(postings.kind, 'payout'), inArray(postings.reference, refs)));
          if (posted.length) return { parts, lines: 0 };
        }
        const [row] = await db.select().from(payouts).where(where(connectionId, payoutId));
        if (!row) throw new Error(`payout ${connectionId}/${payoutId} is not stored`);
        const [shop] = await db.select({ referencePrefix: shops.referencePrefix }).from(shops).where(eq(shops.id, row.shopId));
        const payout = payoutInLedger(row.payout as Payout, shop?.referencePrefix);
        const open = await openDocuments(db, ledgerId, payout.acquirer);
        const disputes = payout.lines.some((l) => l.type === 'chargeback' || l.type === 'chargeback_reversal');
        const results = matchPayout(payout, open, disputes ? { payments: await bookedPayments(db, ledgerId, payout.acquirer) } : {});
        const parts = planPayoutParts(payout, results, input.mapping, input.ledgerCurrency, maxVoucherLines);
        const matches: LineMatch[] = results.map((r) => {
          const doc = r.document as (typeof open)[number] | null | undefined;
          return {
            lineNo: r.line.lineNo,
            type: r.line.type,
            amount: r.line.amount,
            fee: r.line.fee,
            rule: r.rule,
            settles: doc ? { kind: doc.postingKind, reference: doc.reference, orderNumber: doc.orderNumber || null } : null,
            ...(r.disputed ? { disputes: { reference: r.disputed.reference, orderNumber: r.disputed.orderNumber || null } } : {}),
            ...(r.reason ? { reason: r.reason } : {}),
          };
        });
        const byLine = new Map(matches.map((m) => [m.lineNo, m]));
        const settlesOf = (lineNos: number[]): PartSettlement[] =>
          lineNos.flatMap((n) => {
            const m = byLine.get(n);
            return m?.settles ? [{ kind: m.settles.kind, reference: m.settles.reference, lineNo: m.lineNo, rule: m.rule, amount: m.amount }] : [];
          });
        await db.transaction(async (tx) => {
          await tx.update(payouts).set({ matches }).where(where(connectionId, payoutId));
          // The page's rows with their matches; the stored lines, as the page shows them (not the ledger's references).
          await writePayoutLines(tx, { shopId: row.shopId, connectionId, payoutId }, (row.payout as Payout).lines, matches, heartbeat);
          await tx.delete(payoutPlanParts).where(partsWhere(connectionId, payoutId));
          // One part a statement: a part is bounded by maxVoucherLines, the whole plan is not.
          for (const [i, p] of parts.entries()) {
            await tx.insert(payoutPlanParts).values({ connectionId, payoutId, part: i + 1, parts: parts.length, voucher: p.voucher, settles: settlesOf(p.lineNos) });
          }
        });
        return { parts: parts.length, lines: payout.lines.length };
      }),
  };
}

/** Posting a planned part to the ledger and recording what it settled. */
function payoutPostingActivities(db: Db, ledgers: LedgerRegistry) {
  return {
    /** Posts one part of the payout's stored plan once and records which payments it settled. */
    postPayoutPart: (input: { ledgerId: string; connectionId: string; payoutId: string; part: number }) =>
      asActivityFailure(async () => {
        const { ledgerId, connectionId, payoutId, part } = input;
        const [row] = await db
          .select()
          .from(payoutPlanParts)
          .where(and(partsWhere(connectionId, payoutId), eq(payoutPlanParts.part, part)));
        if (!row) throw new Error(`payout ${connectionId}/${payoutId} has no planned part ${part}`);
        const voucher = row.voucher as Voucher;
        const reference = payoutPartReference(connectionId, payoutId, part, row.parts);
        let posted = await findPosting(db, ledgerId, 'payout', reference);
        let created = false;
        if (!posted) {
          const port = await ledgers.portFor(ledgerId);
          const doc = (await port.findDocument('payout', reference)) ?? ((created = true), await port.postVoucher('payout', reference, voucher));
          const net = voucher.lines.filter((l) => l.amount > 0).reduce((a, l) => a + l.amount, 0);
          await db
            .insert(postings)
            .values({ ledgerId, kind: 'payout', reference, documentId: doc.documentId, voucherNumber: doc.voucherNumber, state: doc.state, amount: net, currency: voucher.currency })
            .onConflictDoNothing();
          posted = await findPosting(db, ledgerId, 'payout', reference);
        }
        const settled = row.settles as PartSettlement[];
        for (let i = 0; i < settled.length; i += INSERT_CHUNK) {
          heartbeat();
          await db
            .insert(settlements)
            .values(settled.slice(i, i + INSERT_CHUNK).map((m) => ({ ledgerId, connectionId, payoutId, ...m })))
            .onConflictDoNothing();
        }
        const { voucherNumber, state } = posted!;
        return { voucherNumber, state, created, parts: row.parts };
      }),
  };
}
