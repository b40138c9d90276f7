import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/** Cancelled orders end: before booking as `cancelled` with nothing booked; after booking once refunded in full. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const workflowEnds = (shopId: string, orderId: string) =>
  eventually(async () => {
    const d = await h.client.workflow.getHandle(workflowIds.order(shopId, orderId)).describe();
    return d.status.name === 'RUNNING' ? undefined : d.status.name;
  }, 30_000, `order workflow ${orderId} ends`);

describe('cancelled orders', () => {
  it('ends an order cancelled before it was booked as cancelled: nothing booked, its workflow completed, its refund ends too', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('C1', 10_000, { status: 'pending', updatedAt: '2026-11-02T10:00:00Z' }));
    await api.orderReaches('C1', 'waiting');
    await api.sendOrder(cardOrder('C1', 10_000, { status: 'cancelled', updatedAt: '2026-11-02T11:00:00Z' }));
    const order = await api.orderReaches('C1', 'cancelled');
    expect(order).toMatchObject({ documents: {}, error: null });
    expect(await workflowEnds(shop.shopId, 'C1')).toBe('COMPLETED');
    expect((await api.journal()).filter((v) => v.reference === 'C1')).toEqual([]);
    const timeline = (await api.call('GET', '/v1/orders/C1/timeline')).json().events;
    expect(timeline.at(-1)).toMatchObject({ status: 'cancelled', reason: 'order cancelled in the shop (status "cancelled") before it was booked: nothing to book' });

    // The shop's refund of the cancelled order has no invoice to credit: it ends as well instead of waiting forever.
    await api.sendRefund(refundOf('C1-R', 'C1', 10_000));
    await api.refundReaches('C1-R', 'cancelled');
    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report).toMatchObject({ unfinished: [], clean: true });
  });

  it('shows an order cancelled after booking as needs_correction with the fix, and ends it when its refund arrives', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('C2', 10_000, { updatedAt: '2026-11-02T10:00:00Z' }));
    await api.orderReaches('C2', 'booked');
    await api.sendOrder(cardOrder('C2', 10_000, { status: 'cancelled', updatedAt: '2026-11-03T10:00:00Z' }));
    const stuck = await api.orderReaches('C2', 'needs_correction');
    expect(stuck.error).toMatchObject({ code: 'order_cancelled_after_booking', details: { bookedTotal: 10_000, refunded: 0, open: 10_000, currency: 'DKK' } });
    expect(stuck.error!.fix).toMatch(/POST \/v1\/webhooks\/refunds/);
    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report.unfinished).toEqual([
      { subject: 'order', id: 'C2', orderNumber: '#C2', date: '2026-11-02', status: 'needs_correction', errorCode: 'order_cancelled_after_booking', reason: expect.stringMatching(/cancelled in the shop after its invoice was booked/) },
    ]);
    expect(report.clean).toBe(false);

    // A partial refund leaves the rest open; the full refund ends the order.
    await api.sendRefund(refundOf('C2-R1', 'C2', 4_000, { createdAt: '2026-11-04T09:00:00Z' }));
    await api.refundReaches('C2-R1', 'booked');
    await eventually(async () => ((await api.order('C2'))?.error?.details.open === 6_000 ? true : undefined), 30_000, 'open amount 6,000');
    await api.sendRefund(refundOf('C2-R2', 'C2', 6_000, { createdAt: '2026-11-04T10:00:00Z' }));
    await api.orderReaches('C2', 'cancelled');
    expect(await workflowEnds(shop.shopId, 'C2')).toBe('COMPLETED');
    const after = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(after).toMatchObject({ unfinished: [], refunds: { count: 2, amount: 10_000 } });
  });

  it('ends a booked order refunded in full before the cancellation arrives as cancelled at once', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('C3', 10_000, { updatedAt: '2026-11-02T10:00:00Z' }));
    await api.orderReaches('C3', 'booked');
    await api.sendRefund(refundOf('C3-R', 'C3', 10_000));
    await api.refundReaches('C3-R', 'booked');
    await api.sendOrder(cardOrder('C3', 10_000, { status: 'cancelled', updatedAt: '2026-11-05T10:00:00Z' }));
    await api.orderReaches('C3', 'cancelled');
    const statuses = (await api.call('GET', '/v1/orders/C3/timeline')).json().events.map((e: { status: string }) => e.status);
    expect(statuses).not.toContain('needs_correction');
  });
});
