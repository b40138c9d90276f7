import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders, refunds } from '../../db/schema';
import type { BookingStatus } from '../../workflows/definitions';

/**
 * The sales list (orders and refunds) as the shop owner's app pages and acts on it: one filter shape for listing,
 * counting and the bulk actions, so "select all" acts on exactly what the list shows, not only the page on screen.
 */
export interface SalesFilter {
  status?: BookingStatus;
  errorCode?: string;
  /** The order's (refund's) date in the shop, YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  /** Part of the order number, or an order/refund id, as a person types it. */
  search?: string;
}

export type SalesSort = 'id' | 'newest';
export interface Paging {
  sort: SalesSort;
  limit: number;
  offset?: number;
  cursor?: string;
}

/**
 * The order's date in the shop, as stored in its snapshot. Sorting and date filters use this very expression, so the
 * index `orders_shop_ordered_at` (shop, this, id) serves the newest-first page without sorting the shop's orders.
 */
const orderedAt = sql<string>`(${orders.snapshot}->>'createdAt')`;
const refundedAt = sql<string>`(${refunds.snapshot}->>'createdAt')`;

/** "2026-12-03" → "2026-12-04": a date's upper bound as a string comparison, so the expression index serves it. */
const dayAfter = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * ISO timestamps compare as strings: on or after `from` is `>= from`, on or before `to` is `< the day after`. (The
 * shop's own offset stays in the string, so the day is the shop's day, as the order date it shows.)
 */
const withinDates = (at: SQL, from?: string, to?: string): SQL[] => [...(from ? [gte(at, from)] : []), ...(to ? [lt(at, dayAfter(to))] : [])];

/** A search text as a LIKE pattern that matches it literally (% and _ typed by a person are not wildcards). */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function orderConditions(shopId: string, f: SalesFilter, without: 'status' | 'errorCode' | null = null): SQL[] {
  const where: SQL[] = [eq(orders.shopId, shopId), ...withinDates(orderedAt, f.from, f.to)];
  if (f.status && without !== 'status') where.push(eq(orders.status, f.status));
  if (f.errorCode && without !== 'errorCode') where.push(eq(orders.errorCode, f.errorCode));
  if (f.search) where.push(or(sql`${orders.orderNumber} ilike ${containing(f.search)}`, eq(orders.orderId, f.search))!);
  return where;
}

/** Refunds match the search by their own id or by their order's number (what the owner knows them by). */
function refundConditions(shopId: string, f: SalesFilter, without: 'status' | 'errorCode' | null = null): SQL[] {
  const where: SQL[] = [eq(refunds.shopId, shopId), ...withinDates(refundedAt, f.from, f.to)];
  if (f.status && without !== 'status') where.push(eq(refunds.status, f.status));
  if (f.errorCode && without !== 'errorCode') where.push(eq(refunds.errorCode, f.errorCode));
  if (f.search) {
    where.push(
      or(
        eq(refunds.refundId, f.search),
        eq(refunds.orderId, f.search),
        sql`exists (select 1 from ${orders} where ${orders.shopId} = ${refunds.shopId} and ${orders.orderId} = ${refunds.orderId} and ${orders.orderNumber} ilike ${containing(f.search)})`,
      )!,
    );
  }
  return where;
}

export interface Facets {
  /** How many match the filter in each state (the filter's own state left out), and with each error code. */
  status: Record<string, number>;
  errorCode: Record<string, number>;
}

async function facets(db: Db, table: typeof orders | typeof refunds, conditions: (without: 'status' | 'errorCode') => SQL[]): Promise<Facets> {
  const count = sql<number>`count(*)::int`;
  const [byStatus, byError] = await Promise.all([
    db.select({ key: table.status, n: count }).from(table).where(and(...conditions('status'))).groupBy(table.status),
    db
      .select({ key: table.errorCode, n: count })
      .from(table)
      .where(and(...conditions('errorCode'), sql`${table.errorCode} is not null`))
      .groupBy(table.errorCode),
  ]);
  return {
    status: Object.fromEntries(byStatus.map((r) => [r.key, r.n])),
    errorCode: Object.fromEntries(byError.map((r) => [r.key!, r.n])),
  };
}

export interface SalesPage<T> {
  rows: T[];
  matching: number;
  facets: Facets;
  nextCursor: string | null;
}

/**
 * One page of the shop's orders: by id with a cursor (the API's original paging), or newest first with an offset, and
 * always the total matching the filter and its facets, so a table can say "51–100 of 2,000" and offer the states.
 */
export async function listOrders(db: Db, shopId: string, filter: SalesFilter, paging: Paging): Promise<SalesPage<typeof orders.$inferSelect>> {
  const where = orderConditions(shopId, filter);
  if (paging.cursor) where.push(gt(orders.orderId, paging.cursor));
  const order = paging.sort === 'newest' ? [desc(orderedAt), desc(orders.orderId)] : [asc(orders.orderId)];
  const [rows, [counted], facetCounts] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(and(...where))
      .orderBy(...order)
      .limit(paging.limit + 1)
      .offset(paging.offset ?? 0),
    db.select({ n: sql<number>`count(*)::int` }).from(orders).where(and(...orderConditions(shopId, filter))),
    facets(db, orders, (without) => orderConditions(shopId, filter, without)),
  ]);
  const page = rows.slice(0, paging.limit);
  const nextCursor = paging.sort === 'id' && rows.length > paging.limit ? page.at(-1)!.orderId : null;
  return { rows: page, matching: counted?.n ?? 0, facets: facetCounts, nextCursor };
}

export interface RefundRow {
  refund: typeof refunds.$inferSelect;
  orderNumber: string | null;
}

/** One page of the shop's refunds, like listOrders, each with its order's number. */
export async function listRefunds(db: Db, shopId: string, filter: SalesFilter & { orderId?: string }, paging: Paging): Promise<SalesPage<RefundRow>> {
  const base = (without: 'status' | 'errorCode' | null = null) => [...refundConditions(shopId, filter, without), ...(filter.orderId ? [eq(refunds.orderId, filter.orderId)] : [])];
  const where = base();
  if (paging.cursor) where.push(gt(refunds.refundId, paging.cursor));
  const order = paging.sort === 'newest' ? [desc(refundedAt), desc(refunds.refundId)] : [asc(refunds.refundId)];
  const [rows, [counted], facetCounts] = await Promise.all([
    db
      .select({ refund: refunds, orderNumber: orders.orderNumber })
      .from(refunds)
      .leftJoin(orders, and(eq(orders.shopId, refunds.shopId), eq(orders.orderId, refunds.orderId)))
      .where(and(...where))
      .orderBy(...order)
      .limit(paging.limit + 1)
      .offset(paging.offset ?? 0),
    db.select({ n: sql<number>`count(*)::int` }).from(refunds).where(and(...base())),
    facets(db, refunds, (without) => base(without)),
  ]);
  const page = rows.slice(0, paging.limit);
  const nextCursor = paging.sort === 'id' && rows.length > paging.limit ? page.at(-1)!.refund.refundId : null;
  return { rows: page, matching: counted?.n ?? 0, facets: facetCounts, nextCursor };
}

/** What a bulk action acts on: the list's filter, or the rows a person ticked (then only those, still filtered). */
export interface Selection extends SalesFilter {
  subject: 'order' | 'refund' | 'all';
  orderIds?: string[];
  refundIds?: string[];
  /** Continue after this id (the last one a previous call acted on). */
  after?: string;
}

/**
 * The ids of the orders and refunds in `status` that the selection names, at most `limit` of each kind (in id order,
 * so a person who repeats the action continues where the last one stopped), and how many more there are.
 */
export async function selectedBookings(db: Db, shopId: string, selection: Selection, status: BookingStatus, limit: number, kinds: ('order' | 'refund')[] = ['order', 'refund']) {
  const ticked = selection.orderIds !== undefined || selection.refundIds !== undefined;
  const filter = { ...selection, status };
  const wants = (kind: 'order' | 'refund', ids?: string[]) =>
    kinds.includes(kind) && (selection.subject === 'all' || selection.subject === kind) && (!ticked || (ids?.length ?? 0) > 0);
  /** The first `limit` ids in id order of those `where` matches, ticked and after `after`, and how many are left. */
  const firstIds = async (table: typeof orders | typeof refunds, id: typeof orders.orderId | typeof refunds.refundId, where: SQL[], ids?: string[]) => {
    if (ticked) where.push(inArray(id, ids!));
    if (selection.after) where.push(gt(id, selection.after));
    const [rows, [n]] = await Promise.all([
      db.select({ id }).from(table).where(and(...where)).orderBy(asc(id)).limit(limit),
      db.select({ n: sql<number>`count(*)::int` }).from(table).where(and(...where)),
    ]);
    return { ids: rows.map((r) => r.id), left: (n?.n ?? 0) - rows.length };
  };
  const none = { ids: [] as string[], left: 0 };
  const [o, r] = await Promise.all([
    wants('order', selection.orderIds) ? firstIds(orders, orders.orderId, orderConditions(shopId, filter), selection.orderIds) : none,
    wants('refund', selection.refundIds) ? firstIds(refunds, refunds.refundId, refundConditions(shopId, filter), selection.refundIds) : none,
  ]);
  return { orderIds: o.ids, refundIds: r.ids, more: o.left + r.left };
}

/** States a booking rests in until a person or the shop does something: the end of a restart's or a booking's run. */
export const settledStatuses: readonly BookingStatus[] = ['booked', 'drafted', 'failed', 'needs_correction', 'skipped', 'cancelled', 'registered'];

/**
 * How far a bulk action has come: of these bookings, how many are in each state, and how many have settled since the
 * action (a state written after `since`, so one still `failed` from before the restart does not count as done).
 */
export async function bookingProgress(db: Db, shopId: string, ids: { orderIds: string[]; refundIds: string[] }, since: Date) {
  const byStatus: Record<string, number> = {};
  let total = 0;
  let done = 0;
  for (const [table, idColumn, list] of [
    [orders, orders.orderId, ids.orderIds],
    [refunds, refunds.refundId, ids.refundIds],
  ] as const) {
    if (list.length === 0) continue;
    const settled = sql<number>`count(*) filter (where ${inArray(table.status, [...settledStatuses])} and ${gte(table.updatedAt, since)})::int`;
    const rows = await db
      .select({ status: table.status, n: sql<number>`count(*)::int`, settled })
      .from(table)
      .where(and(eq(table.shopId, shopId), inArray(idColumn, list)))
      .groupBy(table.status);
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      total += r.n;
      done += r.settled;
    }
  }
  return { acted: total, settled: done, byStatus };
}
