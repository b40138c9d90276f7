/**
 * Per-shop limits on work a request starts (issue 17, point 7): 3 per request and 5 working at once per shop here
 * (100 and 200 by default). One request with 1,000 payouts used to start 1,000 workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { settlementFile } from '../support/danish-export';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ workLimits: { perRequest: 3, runningPerShop: 5 } });
});
afterAll(() => h?.close());

const payout = (payoutId: string) => ({ payoutId, currency: 'DKK', paidOutAt: '2026-11-04', netAmount: 900, lines: [{ type: 'payment', amount: 1_000, fee: 100, currency: 'DKK', transactionId: `txn-${payoutId}`, date: '2026-11-02' }] });

describe('work limits per shop', () => {
  it('refuses more payouts in one request than the limit (413) and more than the shop has room for (429 + Retry-After), storing nothing', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const conn = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;

    const tooMany = await api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: ['A', 'B', 'C', 'D'].map(payout) });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error).toMatchObject({ code: 'too_many_in_request' });
    expect(tooMany.json().error.message).toMatch(/at most 3 per request \(WORK_PER_REQUEST\)/);
    expect((await api.call('GET', '/v1/payouts')).json().payouts).toEqual([]);

    // With the worker away, stored payouts stay waiting: they are this shop's running work.
    await h.stopWorker();
    try {
      expect((await api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: ['P1', 'P2', 'P3'].map(payout) })).statusCode).toBe(202);
      const busy = await api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: ['P4', 'P5', 'P6'].map(payout) });
      expect(busy.statusCode).toBe(429);
      expect(busy.headers['retry-after']).toBe('30');
      expect(busy.json().error).toMatchObject({ code: 'shop_work_limit' });
      expect(busy.json().error.message).toMatch(/3 bookings of this shop are working now.*at most 5 at once \(RUNNING_WORK_PER_SHOP\): retry in 30 s/);
      expect((await api.call('GET', '/v1/payouts')).json().payouts.map((p: { payoutId: string }) => p.payoutId)).toEqual(['P1', 'P2', 'P3']);

      // Another shop is not limited by this one's work.
      const other = await h.createShop({ mapping: danishMapping });
      const otherApi = shopClient(h, other.apiKey);
      const otherConn = (await otherApi.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;
      expect((await otherApi.call('POST', `/v1/acquirers/${otherConn}/payouts`, { payouts: ['Q1', 'Q2', 'Q3'].map(payout) })).statusCode).toBe(202);
    } finally {
      await h.startWorker();
    }
  });

  it('restarts at most the per-request limit in bulk and says how many remain for the next call', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const ids = ['M1', 'M2', 'M3', 'M4'];
    for (const id of ids) await api.sendOrder(cardOrder(id, 1_000, { payment: { method: 'mobilepay', amount: 1_000 } }));
    for (const id of ids) await api.orderReaches(id, 'failed');
    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, mobilepay: { acquirer: 'vipps', receivableAccount: '5817' } } };
    expect((await api.call('PUT', '/v1/mapping', mapping)).statusCode).toBe(200);

    expect((await api.call('POST', '/v1/orders/restart', { errorCode: 'unmapped_payment_method' })).json()).toMatchObject({ matched: 4, restarted: 3, more: 1 });
    const stillFailed = async () => (await Promise.all(ids.map((id) => api.order(id)))).filter((o) => o?.status === 'failed').length;
    // The three restarted book; the fourth waits for the next call.
    await eventually(async () => ((await Promise.all(ids.map((id) => api.order(id)))).filter((o) => o?.status === 'booked').length === 3 ? true : undefined));
    expect(await stillFailed()).toBe(1);
    expect((await api.call('POST', '/v1/orders/restart', { errorCode: 'unmapped_payment_method' })).json()).toMatchObject({ matched: 1, restarted: 1, more: 0 });
    for (const id of ids) await api.orderReaches(id, 'booked');
  });

  it('counts settlement files being read as running work: a shop at its limit uploads again later (429), another shop uploads', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const conn = (await api.call('POST', '/v1/acquirers', { acquirer: 'adyen', source: 'adyen' })).json().connectionId as string;
    const file = settlementFile('adyen-settlement-details.csv');
    const upload = (key: string, c = conn) =>
      h.app.inject({ method: 'POST', url: `/v1/acquirers/${c}/settlements`, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, payload: file });
    // With the worker away, uploaded files stay received: each is this shop's running work until it is read.
    await h.stopWorker();
    try {
      for (let i = 0; i < 5; i++) expect((await upload(shop.apiKey)).statusCode).toBe(202);
      const busy = await upload(shop.apiKey);
      expect(busy.statusCode, busy.body).toBe(429);
      expect(busy.headers['retry-after']).toBe('30');
      expect(busy.json().error.message).toMatch(/5 bookings of this shop are working now/);
      const other = await h.createShop({ mapping: danishMapping });
      const otherConn = (await shopClient(h, other.apiKey).call('POST', '/v1/acquirers', { acquirer: 'adyen', source: 'adyen' })).json().connectionId as string;
      expect((await upload(other.apiKey, otherConn)).statusCode).toBe(202);
    } finally {
      await h.startWorker();
    }
  });

  it('books reviewed drafts within the limits: at most the per-request limit a call, the rest as more', async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: { mode: 'draft' } });
    const api = shopClient(h, shop.apiKey);
    const ids = ['DR1', 'DR2', 'DR3', 'DR4'];
    for (const id of ids) await api.sendOrder(cardOrder(id, 1_000));
    for (const id of ids) await api.orderReaches(id, 'drafted');
    const first = await api.call('POST', '/v1/ledger/drafts/book');
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toEqual({ matched: 4, signalled: 3, more: 1 });
    const booked = async () => (await Promise.all(ids.map((id) => api.order(id)))).filter((o) => o?.status === 'booked').length;
    await eventually(async () => ((await booked()) === 3 ? true : undefined));
    const viaFilter = await api.call('POST', '/v1/orders/book-drafts', {});
    expect(viaFilter.json()).toMatchObject({ matched: 1, signalled: 1, more: 0 });
    for (const id of ids) await api.orderReaches(id, 'booked');
  });
});
