import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders, payouts, postings, refunds, settlements, voucherLines, vouchers } from '../../db/schema';
import type { Mapping } from '../domain/mapping';
import { onAcquirer } from './balance-report';

/** A booking that still waits (for its order status, its invoice, a ledger) this long after it arrived needs a look. */
export const WAITING_TOO_LONG_MS = 24 * 3600 * 1000;

export interface StateCounts {
  failed: number;
  quotaBlocked: number;
  needsCorrection: number;
  /** Still `waiting` more than a day after it arrived. */
  waitingTooLong: number;
}

export interface ShopAttention {
  orders: StateCounts;
  refunds: StateCounts;
  payouts: Pick<StateCounts, 'failed' | 'quotaBlocked'>;
  /** Arrived before this instant and still waiting: counted in waitingTooLong. */
  waitingBefore: string;
}

export type Counted = typeof orders | typeof refunds | typeof payouts;
export const counted = (table: Counted, status: string) => sql<number>`count(*) filter (where ${table.status} = ${status})::int`;
/**
 * "Waiting too long", one meaning for the shop's overview and the operator's list: still `waiting` (for an order status
 * the shop books, for its invoice, for the setup) and arrived before `before`. Held history (`registered`) is the
 * owner's choice, not stuck; queued bookings are counted as such.
 */
export const waitingTooLong = (table: Counted, before: Date) =>
  sql<number>`count(*) filter (where ${table.status} = 'waiting' and ${table.createdAt} < ${before.toISOString()})::int`;

/**
 * What needs a person first in one shop, as counts: failed, blocked by the ledger's monthly quota, booked orders that
 * changed afterwards, and bookings still waiting a day after they arrived. One grouped query per table.
 */
export async function shopAttention(db: Db, shopId: string, now = new Date()): Promise<ShopAttention> {
  const before = new Date(now.getTime() - WAITING_TOO_LONG_MS);
  const countsOf = async (table: typeof orders | typeof refunds) => {
    const [row] = await db
      .select({
        failed: counted(table, 'failed'),
        quotaBlocked: counted(table, 'quota_blocked'),
        needsCorrection: counted(table, 'needs_correction'),
        waitingTooLong: waitingTooLong(table, before),
      })
      .from(table)
      .where(and(eq(table.shopId, shopId), inArray(table.status, ['failed', 'quota_blocked', 'needs_correction', 'waiting'])));
    return { failed: row?.failed ?? 0, quotaBlocked: row?.quotaBlocked ?? 0, needsCorrection: row?.needsCorrection ?? 0, waitingTooLong: row?.waitingTooLong ?? 0 };
  };
  const [p] = await db
    .select({ failed: counted(payouts, 'failed'), quotaBlocked: counted(payouts, 'quota_blocked') })
    .from(payouts)
    .where(and(eq(payouts.shopId, shopId), inArray(payouts.status, ['failed', 'quota_blocked'])));
  return {
    orders: await countsOf(orders),
    refunds: await countsOf(refunds),
    payouts: { failed: p?.failed ?? 0, quotaBlocked: p?.quotaBlocked ?? 0 },
    waitingBefore: before.toISOString(),
  };
}

export interface RecentPayout {
  connectionId: string;
  payoutId: string;
  acquirer: string;
  status: string;
  currency: string;
  paidOutAt: string;
  netAmount: number;
}

/** The latest payouts by the day they reached the bank, newest first. */
export async function recentPayouts(db: Db, shopId: string, limit = 5): Promise<RecentPayout[]> {
  return db
    .select({
      connectionId: payouts.connectionId,
      payoutId: payouts.payoutId,
      acquirer: payouts.acquirer,
      status: payouts.status,
      currency: payouts.currency,
      paidOutAt: payouts.paidOutAt,
      netAmount: payouts.netAmount,
    })
    .from(payouts)
    .where(eq(payouts.shopId, shopId))
    .orderBy(desc(payouts.paidOutAt), desc(payouts.payoutId))
    .limit(limit);
}

export interface AcquirerSeries {
  acquirer: string;
  receivableAccount: string;
  /** One point per day of the period: the receivable's balance in the ledger (local ledger; null elsewhere) and the payments not yet paid out, both at the end of that day. */
  points: { date: string; ledgerBalance: number | null; unpaidPayments: number }[];
}

/** The days from `from` to `to` inclusive, as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  return days;
}

/**
 * Per acquirer, day by day: the receivable in the ledger next to the payments no payout had settled by that day —
 * the balance report's core check (the two are equal when every payout is matched), over the period. A payment
 * counts as unpaid from its document date until the day of the payout that settled it. Built from daily changes
 * (one grouped query each), so a long period costs no more queries than a short one.
 */
export async function acquirerSeries(db: Db, ledger: { id: string; system: string }, mapping: Mapping, from: string, to: string): Promise<AcquirerSeries[]> {
  const days = daysBetween(from, to);
  const signed = sql<string>`sum(case when ${postings.kind} = 'payment' then ${postings.amount} else -${postings.amount} end)`;
  const claimed = await db
    .select({ acquirer: postings.acquirer, account: postings.receivableAccount, day: sql<string>`greatest(${postings.documentDate}, ${from}::date)::text`, amount: signed })
    .from(postings)
    .where(and(eq(postings.ledgerId, ledger.id), inArray(postings.kind, ['payment', 'refund_payment']), onAcquirer, lte(postings.documentDate, to)))
    .groupBy(postings.acquirer, postings.receivableAccount, sql`3`);
  const settled = await db
    .select({ acquirer: postings.acquirer, day: sql<string>`greatest(${payouts.paidOutAt}, ${from}::date)::text`, amount: signed })
    .from(postings)
    .innerJoin(settlements, and(eq(settlements.ledgerId, postings.ledgerId), eq(settlements.kind, postings.kind), eq(settlements.reference, postings.reference)))
    .innerJoin(payouts, and(eq(payouts.connectionId, settlements.connectionId), eq(payouts.payoutId, settlements.payoutId)))
    .where(and(eq(postings.ledgerId, ledger.id), inArray(postings.kind, ['payment', 'refund_payment']), lte(payouts.paidOutAt, to)))
    .groupBy(postings.acquirer, sql`2`);

  const accounts = new Map<string, string>();
  for (const m of Object.values(mapping.paymentMethods)) accounts.set(m.acquirer, m.receivableAccount);
  for (const c of claimed) if (c.acquirer && c.account) accounts.set(c.acquirer, c.account);

  const booked =
    ledger.system === 'local' && accounts.size > 0
      ? await db
          .select({ account: voucherLines.account, day: sql<string>`greatest(${vouchers.date}, ${from}::date)::text`, amount: sql<string>`sum(${voucherLines.amount})` })
          .from(voucherLines)
          .innerJoin(vouchers, eq(vouchers.id, voucherLines.voucherId))
          .where(and(eq(voucherLines.ledgerId, ledger.id), inArray(voucherLines.account, [...accounts.values()]), eq(vouchers.state, 'booked'), lte(vouchers.date, to)))
          .groupBy(voucherLines.account, sql`2`)
      : null;

  const running = (changes: { day: string; amount: string | number }[]) => {
    const byDay = new Map<string, number>();
    for (const c of changes) byDay.set(c.day, (byDay.get(c.day) ?? 0) + Number(c.amount));
    let total = 0;
    return days.map((day) => (total += byDay.get(day) ?? 0));
  };
  return [...accounts].map(([acquirer, account]) => {
    const unpaid = running([
      ...claimed.filter((c) => c.acquirer === acquirer),
      ...settled.filter((s) => s.acquirer === acquirer).map((s) => ({ day: s.day, amount: -Number(s.amount) })),
    ]);
    const balance = booked ? running(booked.filter((b) => b.account === account)) : null;
    return { acquirer, receivableAccount: account, points: days.map((date, i) => ({ date, ledgerBalance: balance ? balance[i]! : null, unpaidPayments: unpaid[i]! })) };
  });
}
