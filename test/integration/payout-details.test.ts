import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { bookDanishExportSales, settlementFile } from '../support/danish-export';
import { danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';
import { createPerson } from '../support/people';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());


describe('the routes behind the payouts pages', () => {
  it("lists the shop's acquirer connections, pages a payout's lines with the orders they settled, and restarts one failed payout", async () => {
    const owner = await createPerson(h, { role: 'owner' });
    const shop = await h.createShop({ mapping: danishMapping, merchantId: owner.merchantId });
    const api = shopClient(h, shop.apiKey);
    const plain = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'generic' })).json().connectionId as string;
    const { connectionId: conn } = await bookDanishExportSales(api);
    const json = (await api.call('POST', '/v1/acquirers', { acquirer: 'mobilepay', source: 'json' })).json().connectionId as string;
    expect((await api.call('GET', '/v1/acquirers')).json().connections).toEqual([
      expect.objectContaining({ connectionId: plain, acquirer: 'nets', source: 'generic', takesFiles: true, csvMappingSaved: false }),
      expect.objectContaining({ connectionId: conn, acquirer: 'nets', source: 'generic', takesFiles: true, csvMappingSaved: true }),
      expect.objectContaining({ connectionId: json, acquirer: 'mobilepay', source: 'json', takesFiles: false }),
    ]);

    const upload = await h.app.inject({
      method: 'POST',
      url: `/v1/acquirers/${conn}/settlements`,
      headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' },
      payload: settlementFile('danish-export.csv'),
    });
    expect(upload.statusCode, upload.body).toBe(202);
    await api.payoutReaches(conn, '8812001', 'booked');
    await api.payoutReaches(conn, '8812002', 'failed');

    const first = await api.call('GET', `/v1/payouts/${conn}/8812001/lines?limit=3`);
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1).toMatchObject({
      currency: 'DKK',
      // 100 + 1,250 − 25 − 300 gross; 1.25 + 18.75 + 49 fees; 976 to the bank.
      totals: { gross: 102_500, fees: 6_900, net: 95_600, lines: 5, settled: 3, settledAmount: 132_500, errorAccount: 1, errorAccountAmount: -30_000, disputes: 0 },
      accounts: { bank: '5820', fee: '3630', error: '5890', disputes: null },
      matched: true,
      // Line numbers are the file's (its header is line 1).
      nextCursor: '4',
    });
    expect(page1.lines.map((l: { lineNo: number; destination: string; settles: { orderId: string } | null }) => [l.lineNo, l.destination, l.settles?.orderId ?? null])).toEqual([
      [2, 'receivable', '1001'],
      [3, 'receivable', '1002'],
      // The refund settles refund R-1001's payment; the page links the order it belongs to.
      [4, 'receivable', '1001'],
    ]);
    expect(page1.lines[2].settles).toMatchObject({ kind: 'refund_payment', reference: 'R-1001', orderNumber: '#1001' });
    expect(page1.errorLines).toEqual([{ lineNo: 5, amount: -30_000, reason: expect.stringMatching(/^chargeback: no booked payment of this acquirer with transaction 0262a3f1e9a04c7c8c2b1d0e5f6a7b90/) }]);

    const page2 = (await api.call('GET', `/v1/payouts/${conn}/8812001/lines?limit=3&cursor=${page1.nextCursor}`)).json();
    expect(page2.nextCursor).toBeNull();
    expect(page2.lines.map((l: { lineNo: number; destination: string; reason: string | null }) => [l.lineNo, l.destination])).toEqual([
      [5, 'error_account'],
      [6, 'fees'],
    ]);
    expect(page2.lines[0].reason).toMatch(/^chargeback: /);

    // The failed EUR payout stopped before matching: its line is there, nothing planned for it yet.
    const eur = (await api.call('GET', `/v1/payouts/${conn}/8812002/lines`)).json();
    expect(eur).toMatchObject({ currency: 'EUR', matched: false, totals: { lines: 1, net: 5_885, fees: 105 } });
    expect(eur.lines[0]).toMatchObject({ lineNo: 7, destination: 'not_planned', settles: null, orderReference: '1003' });

    // Filtering by several states at once; updatedAt tells since when a payout is in its state.
    const unfinished = (await api.call('GET', '/v1/payouts?status=failed,waiting')).json().payouts;
    expect(unfinished.map((p: { payoutId: string }) => p.payoutId)).toEqual(['8812002']);
    expect(Date.parse(unfinished[0].updatedAt)).not.toBeNaN();

    // Restart: only a failed payout; it runs again (and fails again here, the rate still missing).
    const refused = await api.call('POST', `/v1/payouts/${conn}/8812001/restart`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'not_failed', message: 'payout 8812001 is booked; only a failed payout restarts' });
    const failedAt = unfinished[0].updatedAt as string;
    const restarted = await api.call('POST', `/v1/payouts/${conn}/8812002/restart`);
    expect(restarted.statusCode, restarted.body).toBe(202);
    expect(restarted.json()).toEqual({ restarted: true });

    // Through a session, a viewer may read the lines but not restart; a bookkeeper may.
    const asPerson = async (role: 'viewer' | 'bookkeeper') => {
      const person = await createPerson(h, { role, merchantId: owner.merchantId });
      const res = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { email: person.email, password: person.password } });
      expect(res.statusCode, res.body).toBe(200);
      const cookies = { lb_session: res.cookies.find((c) => c.name === 'lb_session')!.value };
      const headers = { 'x-shop-id': shop.shopId, 'x-csrf-token': res.json().csrfToken as string };
      return (method: 'GET' | 'POST', url: string) => h.app.inject({ method, url, cookies, headers });
    };
    const viewer = await asPerson('viewer');
    expect((await viewer('GET', `/v1/payouts/${conn}/8812001/lines`)).statusCode).toBe(200);
    const forbidden = await viewer('POST', `/v1/payouts/${conn}/8812002/restart`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error).toMatchObject({ code: 'forbidden', message: 'This needs the bookkeeper role (or higher); you are viewer.' });
    // The restart above has run and failed again (its state was written after the first failure).
    await eventually(async () => {
      const p = (await api.call('GET', `/v1/payouts/${conn}/8812002`)).json();
      return p.status === 'failed' && p.updatedAt > failedAt ? p : undefined;
    }, 60_000, 'payout 8812002 failed again after its restart');
    const bookkeeper = await asPerson('bookkeeper');
    expect((await bookkeeper('POST', `/v1/payouts/${conn}/8812002/restart`)).statusCode).toBe(202);

    // Another shop sees none of it.
    const other = shopClient(h, (await h.createShop({ mapping: danishMapping })).apiKey);
    expect((await other.call('GET', '/v1/acquirers')).json()).toEqual({ connections: [] });
    expect((await other.call('GET', `/v1/payouts/${conn}/8812001/lines`)).statusCode).toBe(404);
    expect((await other.call('POST', `/v1/payouts/${conn}/8812002/restart`)).statusCode).toBe(404);
  });
});
