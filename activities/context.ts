import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ledgers, orders, refunds, shops } from '../db/schema';
import { mappingSchema, type Mapping } from '../src/domain/mapping';
import { ledgerReference } from '../src/domain/ledger-reference';
import type { Order } from '../src/domain/order';
import type { DocumentKind, PostingRecord } from '../src/domain/posting';
import type { TransferMode } from '../src/domain/transfer';
import { countFailedPostingsSince } from '../src/services/graduation';
import { findPostings } from '../src/services/posting/records';
import { checkSnapshot, type SnapshotToCheck } from './snapshot-check';

export interface LedgerInfo {
  id: string;
  system: string;
  mode: 'draft' | 'auto';
  currency: string;
  startDate: string;
}

export interface BookingContext {
  ledger: LedgerInfo;
  /** null when the shop has not saved a mapping (or it no longer validates). */
  mapping: Mapping | null;
  /** Whether the shop posts as bookings arrive or holds them until activation (domain/transfer.ts). */
  transfer: TransferMode;
  /**
   * Put before the shop's ids in a ledger it shares (domain/ledger-reference.ts); absent for the ledger's first shop,
   * and in the recorded contexts of bookings that ran before ledgers were shared (their references were bare).
   */
  referencePrefix?: string;
  posted: Partial<Record<DocumentKind, PostingRecord>>;
  /**
   * How long an order waits for a status the shop books. Comes with the context (worker configuration, recorded in
   * the history) rather than the workflow's input, so running bookings take a changed setting too.
   */
  readyWaitMs?: number;
}

/** How long a booking waits for what it needs; defaults in src/config.ts (30 days each). */
export interface WaitLimits {
  /** An order for a status the shop books. */
  orderReadyMs: number;
  /** A refund for its order to be booked. */
  refundOrderMs: number;
}
const defaultWaitLimits: WaitLimits = { orderReadyMs: 30 * 86_400_000, refundOrderMs: 30 * 86_400_000 };

async function ledgerOf(db: Db, shopId: string): Promise<Omit<BookingContext, 'posted'>> {
  const [row] = await db
    .select({ shop: shops, ledger: ledgers })
    .from(shops)
    .innerJoin(ledgers, eq(ledgers.id, shops.ledgerId))
    .where(eq(shops.id, shopId));
  if (!row) throw new Error(`shop ${shopId} has no ledger`);
  const mapping = mappingSchema.safeParse(row.shop.mapping);
  return {
    ledger: {
      id: row.ledger.id,
      system: row.ledger.system,
      mode: row.ledger.mode === 'auto' ? 'auto' : 'draft',
      currency: row.ledger.currency,
      startDate: row.ledger.startDate,
    },
    mapping: mapping.success ? mapping.data : null,
    transfer: row.shop.transfer === 'held' ? 'held' : 'automatic',
    ...(row.shop.referencePrefix ? { referencePrefix: row.shop.referencePrefix } : {}),
  };
}

/**
 * The postings the shop's ids name, looked up under the references they have in the ledger. A payout's reference
 * is its acquirer connection's (the shop's own already), so it is looked up as it is.
 */
async function postingsOf(db: Db, ledgerId: string, referencePrefix: string | null | undefined, wanted: { kind: DocumentKind; reference: string }[]) {
  const inLedger = (w: { kind: DocumentKind; reference: string }) => (w.kind === 'payout' ? w : { kind: w.kind, reference: ledgerReference(referencePrefix, w.reference) });
  return findPostings(db, ledgerId, wanted.map(inLedger));
}

export function contextActivities(db: Db, waitLimits: WaitLimits = defaultWaitLimits) {
  return { ...bookingContextActivities(db, waitLimits), ...ledgerModeActivities(db) };
}

/** What a booking (of an order, a refund or a payout) reads before it plans. */
function bookingContextActivities(db: Db, waitLimits: WaitLimits) {
  return {
    /**
     * Everything a booking needs before it plans: the ledger (no credentials), the mapping, what is posted (by the
     * shop's ids). The snapshot it is to plan from is checked first (./snapshot-check.ts); histories recorded before
     * that check carry none.
     */
    async loadBookingContext(input: {
      shopId: string;
      postings: { kind: DocumentKind; reference: string }[];
      snapshot?: SnapshotToCheck;
    }): Promise<BookingContext> {
      if (input.snapshot) checkSnapshot(input.snapshot);
      const shop = await ledgerOf(db, input.shopId);
      return { ...shop, posted: await postingsOf(db, shop.ledger.id, shop.referencePrefix, input.postings), readyWaitMs: waitLimits.orderReadyMs };
    },

    /** The order a refund belongs to, its postings, and what earlier refunds of it took. */
    async loadRefundContext(input: { shopId: string; orderId: string; refundId: string }) {
      const [order] = await db
        .select()
        .from(orders)
        .where(and(eq(orders.shopId, input.shopId), eq(orders.orderId, input.orderId)));
      const orderWaitMs = waitLimits.refundOrderMs;
      if (!order) return { order: null, orderBooking: null, orderErrorCode: null, invoice: null, payment: null, alreadyRefunded: 0, orderWaitMs };
      const [earlier] = await db
        .select({ total: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
        .from(refunds)
        .where(
          and(
            eq(refunds.shopId, input.shopId),
            eq(refunds.orderId, input.orderId),
            ne(refunds.refundId, input.refundId),
            inArray(refunds.status, ['booked', 'drafted', 'posting']),
          ),
        );
      const [shop] = await db.select({ referencePrefix: shops.referencePrefix }).from(shops).where(eq(shops.id, input.shopId));
      const posted = await postingsOf(db, order.ledgerId, shop?.referencePrefix, [
        { kind: 'invoice', reference: input.orderId },
        { kind: 'payment', reference: input.orderId },
      ]);
      return {
        order: order.snapshot as Order,
        /** The order's booking status: a refund of a registered (held) order is held with it. */
        orderBooking: order.status,
        orderErrorCode: order.errorCode,
        invoice: posted.invoice ?? null,
        payment: posted.payment ?? null,
        alreadyRefunded: Number(earlier?.total ?? 0),
        /** How long the refund waits for its order to be booked (see BookingContext.readyWaitMs). */
        orderWaitMs,
      };
    },

    /** What the booked refunds of an order credited, in minor units. */
    async bookedRefundTotal(input: { shopId: string; orderId: string }): Promise<number> {
      const [row] = await db
        .select({ total: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
        .from(refunds)
        .where(and(eq(refunds.shopId, input.shopId), eq(refunds.orderId, input.orderId), eq(refunds.status, 'booked')));
      return Number(row?.total ?? 0);
    },
  };
}

/** What the graduation from drafts to automatic posting reads and changes. */
function ledgerModeActivities(db: Db) {
  return {
    async countFailedPostingsSince(input: { ledgerId: string; since: string }): Promise<number> {
      return countFailedPostingsSince(db, input.ledgerId, new Date(input.since));
    },

    async setLedgerMode(input: { ledgerId: string; mode: 'draft' | 'auto' }): Promise<void> {
      await db.update(ledgers).set({ mode: input.mode }).where(eq(ledgers.id, input.ledgerId));
    },
  };
}

