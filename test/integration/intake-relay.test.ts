import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeHandoffs } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const pendingOf = async (shopId: string) => (await h.db.select().from(intakeHandoffs).where(eq(intakeHandoffs.shopId, shopId))).length;
const allHandedOver = (shopId: string) => eventually(async () => ((await pendingOf(shopId)) === 0 ? true : undefined), 60_000, `hand-offs of ${shopId} handed over`);

describe('the intake relay', () => {
  it("hands an order's snapshots to Temporal in the order they were stored: the booking is of the last", async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    // No updatedAt: only the order of arrival tells which snapshot is the latest, in the database and in the workflow.
    const snapshots = [10_000, 12_500, 15_000].map((total) => cardOrder('SEQ-1', total));
    await h.stopRelay();
    await h.stopWorker();
    try {
      for (const snapshot of snapshots) await api.sendOrder(snapshot);
      expect(await pendingOf(shop.shopId)).toBe(3);
      // The relay signals all three before any workflow task runs: the workflow sees them in the relay's order.
      h.startRelay();
      await allHandedOver(shop.shopId);
    } finally {
      h.startRelay();
      await h.startWorker();
    }
    const booked = await api.orderReaches('SEQ-1', 'booked');
    expect(booked.documents).toEqual({ invoice: '1', payment: '2' });
    const invoice = (await api.journal()).find((v) => v.kind === 'invoice')!;
    expect(Math.max(...invoice.lines.map((l) => Math.abs(l.amount)))).toBe(15_000);
  });

  it("takes shops in turn: one shop's backlog does not delay another shop's first order", async () => {
    const busy = await h.createShop({ mapping: danishMapping });
    const quiet = await h.createShop({ mapping: danishMapping });
    const busyApi = shopClient(h, busy.apiKey);
    // Signalled only, not booked: the worker is away, so the start times are the relay's alone.
    await h.stopRelay();
    await h.stopWorker();
    try {
      for (let i = 0; i < 100; i++) await busyApi.sendOrder(cardOrder(`B-${i}`, 1_000));
      await shopClient(h, quiet.apiKey).sendOrder(cardOrder('Q-1', 1_000));
      h.startRelay();
      await allHandedOver(busy.shopId);
      await allHandedOver(quiet.shopId);
    } finally {
      h.startRelay();
      await h.startWorker();
    }
    const startOf = async (workflowId: string) => (await h.client.workflow.getHandle(workflowId).describe()).startTime.getTime();
    const quietStart = await startOf(workflowIds.order(quiet.shopId, 'Q-1'));
    const busyStarts = await Promise.all(Array.from({ length: 100 }, (_, i) => startOf(workflowIds.order(busy.shopId, `B-${i}`))));
    // Its first order went in the relay's first round (32 hand-offs, a turn for each shop): at most 31 went before it.
    expect(busyStarts.filter((t) => t < quietStart).length).toBeLessThanOrEqual(31);
  });
});
