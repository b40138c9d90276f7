/**
 * One shop's backlog does not delay another shop's booking (issue 17, point 7; issue 16): shop B's orders wait in
 * Temporal's queue when shop A's order arrives, and A's order is booked while most of B's are still unbooked. An
 * ordering, not a timing: the worker is away while the backlog is queued, and the check is how much of B's backlog is
 * left when A's voucher is there.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '../../db/schema';
import { BOOKINGS_AHEAD_PER_SHOP } from '../../src/temporal/fairness';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const BACKLOG = 80;

describe("one shop's backlog and another shop's order", () => {
  it("books A's order while B still has its backlog unbooked", async () => {
    const a = await h.createShop({ name: 'A books normally', mapping: danishMapping });
    const b = await h.createShop({ name: 'B floods', mapping: danishMapping });
    const apiA = shopClient(h, a.apiKey);
    const apiB = shopClient(h, b.apiKey);
    // Both ledgers are warm (their workflows started), as in a shop that has booked before.
    await apiA.sendOrder(cardOrder('A-warm', 1_000));
    await apiB.sendOrder(cardOrder('B-warm', 1_000));
    await apiA.orderReaches('A-warm', 'booked');
    await apiB.orderReaches('B-warm', 'booked');

    await h.stopWorker();
    try {
      for (let i = 0; i < BACKLOG; i++) await apiB.sendOrder(cardOrder(`B-${i}`, 1_000 + i));
      await apiA.sendOrder(cardOrder('A-1', 2_500));
    } finally {
      await h.startWorker();
    }
    await apiA.orderReaches('A-1', 'booked', 600_000);
    const [left] = await h.db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(eq(orders.shopId, b.shopId), ne(orders.status, 'booked')));
    // B's first bookings run at full priority alongside A's; the rest of its backlog waits until A's is done.
    expect(left!.n).toBeGreaterThanOrEqual(BACKLOG - BOOKINGS_AHEAD_PER_SHOP);
    // And B's backlog is booked in the end: behind, not dropped.
    await apiB.orderReaches(`B-${BACKLOG - 1}`, 'booked', 600_000);
  }, 900_000);
});
