import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { payouts, postings, settlements } from '../db/schema';
import type { LedgerRegistry } from '../src/adapters/ledgers/registry';
import type { Mapping } from '../src/domain/mapping';
import type { Payout } from '../src/domain/payout';
import { matchPayout, type OpenDocument } from '../src/domain/payout-matching';
import { planPayout } from '../src/domain/plan-payout';
import type { Voucher } from '../src/domain/posting';
import { asActivityFailure } from './failures';
import { findPosting } from './postings';

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

export interface PayoutPlan {
  voucher: Voucher;
  matches: LineMatch[];
}

export const payoutReference = (connectionId: string, payoutId: string) => `${connectionId}/${payoutId}`;

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

export function payoutActivities(db: Db, ledgers: LedgerRegistry) {
  return {
    /**
     * Matches the payout's lines to open payments and plans its voucher. Runs under the ledger lock so that two
     * payouts never claim the same payment.
     */
    planPayoutBooking: (input: { ledgerId: string; connectionId: string; payoutId: string; mapping: Mapping; ledgerCurrency: string }) =>
      asActivityFailure(async (): Promise<PayoutPlan> => {
        const [row] = await db
          .select()
          .from(payouts)
          .where(and(eq(payouts.connectionId, input.connectionId), eq(payouts.payoutId, input.payoutId)));
        if (!row) throw new Error(`payout ${input.connectionId}/${input.payoutId} is not stored`);
        const payout = row.payout as Payout;
        const open = await openDocuments(db, input.ledgerId, payout.acquirer);
        const disputes = payout.lines.some((l) => l.type === 'chargeback' || l.type === 'chargeback_reversal');
        const results = matchPayout(payout, open, disputes ? { payments: await bookedPayments(db, input.ledgerId, payout.acquirer) } : {});
        const voucher = planPayout(payout, results, input.mapping, input.ledgerCurrency);
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
        await db.update(payouts).set({ matches }).where(and(eq(payouts.connectionId, input.connectionId), eq(payouts.payoutId, input.payoutId)));
        return { voucher, matches };
      }),

    /** Posts the payout voucher once and records which payments it settled. */
    postPayout: (input: { ledgerId: string; connectionId: string; payoutId: string; plan: PayoutPlan }) =>
      asActivityFailure(async () => {
        const { ledgerId, connectionId, payoutId, plan } = input;
        const reference = payoutReference(connectionId, payoutId);
        let posted = await findPosting(db, ledgerId, 'payout', reference);
        let created = false;
        if (!posted) {
          const port = await ledgers.portFor(ledgerId);
          const doc = (await port.findDocument('payout', reference)) ?? ((created = true), await port.postVoucher('payout', reference, plan.voucher));
          const net = plan.voucher.lines.filter((l) => l.amount > 0).reduce((a, l) => a + l.amount, 0);
          await db
            .insert(postings)
            .values({ ledgerId, kind: 'payout', reference, documentId: doc.documentId, voucherNumber: doc.voucherNumber, state: doc.state, amount: net, currency: plan.voucher.currency })
            .onConflictDoNothing();
          posted = await findPosting(db, ledgerId, 'payout', reference);
        }
        const settled = plan.matches.filter((m) => m.settles);
        if (settled.length) {
          await db
            .insert(settlements)
            .values(
              settled.map((m) => ({
                ledgerId,
                kind: m.settles!.kind,
                reference: m.settles!.reference,
                connectionId,
                payoutId,
                lineNo: m.lineNo,
                rule: m.rule,
                amount: m.amount,
              })),
            )
            .onConflictDoNothing();
        }
        return { ...posted!, created };
      }),
  };
}
