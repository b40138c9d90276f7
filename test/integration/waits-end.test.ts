/**
 * Nothing waits forever (issue 17, point 10): an order that never reaches a status the shop books, and a refund whose
 * order never comes, end as `expired` with the reason after the configured time (3 s here; 30 days by default), and
 * the fix they name books them after all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ waitLimits: { orderReadyMs: 3_000, refundOrderMs: 3_000 } });
});
afterAll(() => h?.close());

const workflowStatus = async (workflowId: string) => (await h.client.workflow.getHandle(workflowId).describe()).status.name;

describe('waits end', () => {
  it('ends an order that never becomes ready as expired, and books it once restarted with its status mapped', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('P1', 10_000, { status: 'pending' }));
    const expired = await api.orderReaches('P1', 'expired');
    expect(expired.error).toMatchObject({ code: 'order_never_ready', details: { orderStatus: 'pending', readyStatuses: ['paid', 'completed'] } });
    expect(expired.error?.fix).toContain('POST /v1/orders/:orderId/restart');
    // The row says expired as the workflow's last step; the run completes just after it.
    expect(await h.client.workflow.getHandle(workflowIds.order(shop.shopId, 'P1')).result()).toBe('expired');
    expect(await workflowStatus(workflowIds.order(shop.shopId, 'P1'))).toBe('COMPLETED');
    const timeline = (await api.call('GET', '/v1/orders/P1/timeline')).json().events.map((e: { status: string }) => e.status);
    expect(timeline).toEqual(['waiting', 'expired']);

    // The fix as it reads: the status mapped, then the restart runs the booking again from the stored order.
    expect((await api.call('PUT', '/v1/mapping', { ...danishMapping, readyStatuses: [...danishMapping.readyStatuses, 'pending'] })).statusCode).toBe(200);
    expect((await api.call('POST', '/v1/orders/P1/restart')).statusCode).toBe(202);
    await api.orderReaches('P1', 'booked');
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment']);
  });

  it("books an expired order by itself when the shop's next delivery says it is paid", async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('P2', 4_000, { status: 'pending' }));
    await api.orderReaches('P2', 'expired');
    await api.sendOrder(cardOrder('P2', 4_000, { status: 'paid' }));
    await api.orderReaches('P2', 'booked');
  });

  it('ends a refund whose order never comes as expired, naming the order; restarted once the order is booked, it books', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendRefund(refundOf('R1', 'O9', 2_500));
    const expired = await api.refundReaches('R1', 'expired');
    expect(expired.waitingFor).toBeNull();
    expect(expired.error).toMatchObject({ code: 'refund_order_wait_expired', details: { orderId: 'O9', orderStatus: null, waitedFor: 'refund_order_missing' } });
    expect(expired.error.fix).toContain('POST /v1/refunds/:refundId/restart');
    // The row says expired as the workflow's last step; the run completes just after it.
    expect(await h.client.workflow.getHandle(workflowIds.refund(shop.shopId, 'R1')).result()).toBe('expired');
    expect(await workflowStatus(workflowIds.refund(shop.shopId, 'R1'))).toBe('COMPLETED');

    await api.sendOrder(cardOrder('O9', 10_000));
    await api.orderReaches('O9', 'booked');
    expect((await api.call('POST', '/v1/refunds/R1/restart')).statusCode).toBe(202);
    await api.refundReaches('R1', 'booked');
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment', 'credit_note', 'refund_payment']);
  });

  it('never ends an order the owner holds (automatic transfer not activated): it waits for the owner', async () => {
    const held = await h.createShop({ mapping: danishMapping, transfer: 'held' });
    const heldApi = shopClient(h, held.apiKey);
    await heldApi.sendOrder(cardOrder('H1', 3_000));
    await heldApi.orderReaches('H1', 'registered');
    // An order sent after H1 was held expires: H1 has then been held longer than the limit too.
    const other = await h.createShop({ mapping: danishMapping });
    const otherApi = shopClient(h, other.apiKey);
    await otherApi.sendOrder(cardOrder('P3', 1_000, { status: 'pending' }));
    await otherApi.orderReaches('P3', 'expired');
    expect((await heldApi.order('H1'))?.status).toBe('registered');
    expect(await workflowStatus(workflowIds.order(held.shopId, 'H1'))).toBe('RUNNING');
  });

  it('answers 409 to a restart of an order that is neither failed nor expired', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('B1', 1_000));
    await api.orderReaches('B1', 'booked');
    const res = await api.call('POST', '/v1/orders/B1/restart');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/only failed or expired orders restart/);
  });
});
