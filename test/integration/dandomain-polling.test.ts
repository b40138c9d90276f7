import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelConnections, orders, vouchers } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { DANDOMAIN_KEY, dandomainOrderFrom, startFakeDandomain, type FakeDandomain } from '../support/fake-channels/dandomain';
import { danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/**
 * The shop maps Dandomain's payment method 60 (its card payments); 99 is an id the shop introduced later. Order states
 * are the shop's own names: this shop books its orders in state "Nye", the documented answer's.
 */
const mapping = { ...danishMapping, readyStatuses: ['Nye'], paymentMethods: { ...danishMapping.paymentMethods, 'dandomain:60': { acquirer: 'nets', receivableAccount: '5815' } } };

let h: Harness;
let store: FakeDandomain;
beforeAll(async () => {
  h = await startHarness();
  store = await startFakeDandomain();
});
afterAll(async () => {
  await store?.close();
  await h?.close();
});

describe('Dandomain polling (a channel without webhooks)', () => {
  it('books each polled order exactly once through a worker restart while a page is in flight, and names an unknown payment-method id', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    // 105 orders changed over the last minutes: two pages of the default 100; order 300105 is paid with method 99.
    const now = Date.now();
    const polled = Array.from({ length: 105 }, (_, i) => dandomainOrderFrom(i + 1, now - (200 - i) * 1000, i === 104 ? 99 : 60));
    // One more order carries an order-level discount, which is not mapped: it is listed as rejected, the rest go on.
    const discounted = { ...dandomainOrderFrom(106, now - 90_000), salesDiscount: 10 };
    store.seed(...polled, discounted);

    const refused = await api.call('PUT', '/v1/channel', { platform: 'dandomain', storeUrl: store.url, apiKey: 'not-a-key' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/apiKey/);

    // The first page answers; the second is held at the shop while the worker is stopped under it.
    const page1 = store.http.hold({ path: /GetByModifiedInterval$/ });
    const connected = await api.call('PUT', '/v1/channel', { platform: 'dandomain', storeUrl: store.url, apiKey: DANDOMAIN_KEY });
    expect(connected.statusCode, connected.body).toBe(200);
    expect(connected.json()).toMatchObject({ webhookUrl: null, polling: { scheduleId: workflowIds.pollDandomain(shop.shopId), everyMinutes: 5 } });
    // The key is sealed: neither the answer nor the stored row shows it.
    expect(connected.body).not.toContain(DANDOMAIN_KEY);
    const [row] = await h.db.select().from(channelConnections).where(eq(channelConnections.shopId, shop.shopId));
    expect(JSON.stringify(row)).not.toContain(DANDOMAIN_KEY);

    expect((await page1.arrived).query.get('pageIndex')).toBe('1');
    const page2 = store.http.hold({ path: /GetByModifiedInterval$/ });
    page1.release();
    expect((await page2.arrived).query.get('pageIndex')).toBe('2');
    const stored = async () => (await h.db.select({ n: count() }).from(orders).where(eq(orders.shopId, shop.shopId)))[0]!.n;
    expect(await stored()).toBe(100);
    await h.stopWorker();
    page2.release();
    await h.startWorker();

    // Page 2 is read again by the new worker; every order is booked, the one with method 99 waits on its payment.
    await eventually(async () => ((await stored()) === 105 ? true : undefined), 120_000, 'the second page after the restart');
    for (const o of polled.slice(0, 104)) await api.orderReaches(String(o.id), 'booked', 180_000);
    const unmapped = await eventually(async () => {
      const view = (await api.call('GET', '/v1/orders/300105')).json();
      return view.error?.code === 'unmapped_payment_method' ? view : undefined;
    }, 120_000, 'order 300105 to name its payment method');
    expect(JSON.stringify(unmapped.error)).toContain('dandomain:99');

    // A poll that reads the same orders again (its overlap) books nothing twice.
    const schedule = h.client.schedule.getHandle(workflowIds.pollDandomain(shop.shopId));
    const runsBefore = (await schedule.describe()).info.recentActions.length;
    await schedule.trigger();
    const next = await eventually(async () => (await schedule.describe()).info.recentActions.slice(runsBefore)[0], 60_000, 'the next poll');
    const result = await h.client.workflow.getHandle(next.action.workflow.workflowId, next.action.workflow.firstExecutionRunId).result();
    // It started from the first poll's cursor, less the overlap, and read all 106 orders again.
    expect(result).toMatchObject({ pages: 2, orders: 106 });
    expect(await stored()).toBe(105);
    const invoices = await h.db.select({ n: count() }).from(vouchers).where(and(eq(vouchers.ledgerId, shop.ledgerId), eq(vouchers.kind, 'invoice')));
    expect(invoices[0]!.n).toBe(105);
    const rejected = (await api.call('GET', '/v1/channel/events?outcome=rejected')).json().events;
    // Once, though both polls read it.
    expect(rejected).toEqual([expect.objectContaining({ topic: 'orders/polled', reason: expect.stringMatching(/^\$\.salesDiscount: an order-level sales discount is not mapped/) })]);
  }, 400_000);
});
