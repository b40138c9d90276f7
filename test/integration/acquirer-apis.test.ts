import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirerConnections } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import type { FakeServer } from '../support/fake-acquirers/http';
import { startNexiServer } from '../support/fake-acquirers/nexi';
import { ledgerOf, startVippsServer } from '../support/fake-acquirers/vipps';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/** Nexi and Vipps MobilePay are fetched from their APIs on a schedule, as Stripe is; both fakes follow the vendors' documents. */

const NEXI_KEY = 'live-secret-key-0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5';
const VIPPS = { clientId: 'fb492b5e-7907-4d83-ba20-c7fb60ca35de', clientSecret: 'Y8Kteew6GE2ZmeycEt6egg==', subscriptionKey: '0f14ebcab0ec4b29ae0cb90d91b4a84a', merchantSerialNumber: '123455' };
const day = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

let h: Harness;
let nexi: FakeServer;
let vipps: FakeServer;
beforeAll(async () => {
  nexi = await startNexiServer(NEXI_KEY, [
    {
      id: '3f2c0a8e-6a0b-4d7e-9a51-0b1c2d3e4f50',
      reference: 'NEXI 8812001',
      date: daysAgo(1),
      currency: 'DKK',
      amount: 29_130,
      chargedAmount: 30_000,
      refundedAmount: 0,
      depositedAmount: 0,
      fees: 870,
      paymentActions: [
        { id: 'a1', paymentId: 'nexi-pay-N1', paymentAction: 'Charge', paymentMethod: 'Dankort', paymentType: 'CARD', timestamp: `${daysAgo(3)}T10:14:03Z`, reference: 'N1', amount: 10_000, currency: 'DKK', fee: 290 },
        { id: 'a2', paymentId: 'nexi-pay-N2', paymentAction: 'Charge', paymentMethod: 'Visa', paymentType: 'CARD', timestamp: `${daysAgo(3)}T11:02:45Z`, reference: 'N2', amount: 20_000, currency: 'DKK', fee: 580 },
      ],
    },
  ]);
  vipps = await startVippsServer(VIPPS, {
    ledgerId: '302321',
    currency: 'DKK',
    closedThrough: daysAgo(1),
    funds: ledgerOf([
      { ledgerDate: daysAgo(4), currency: 'DKK', entryType: 'capture', pspReference: 'vp-V1', reference: 'V1', amount: 10_000 },
      { ledgerDate: daysAgo(4), currency: 'DKK', entryType: 'fees-retained', pspReference: 'fee-1', amount: -100 },
      { ledgerDate: daysAgo(4), currency: 'DKK', entryType: 'scheduled-for-payout', pspReference: '302321-2000101', reference: 'MobilePay utbet. 2000101', amount: -9_900 },
      { ledgerDate: daysAgo(3), currency: 'DKK', entryType: 'capture', pspReference: 'vp-V2', reference: 'V2', amount: 20_000 },
      { ledgerDate: daysAgo(3), currency: 'DKK', entryType: 'fees-retained', pspReference: 'fee-2', amount: -200 },
      { ledgerDate: daysAgo(3), currency: 'DKK', entryType: 'payout-scheduled', pspReference: '302321-2000102', reference: 'MobilePay utbet. 2000102', amount: -19_800 },
      { ledgerDate: daysAgo(2), currency: 'DKK', entryType: 'capture', pspReference: 'vp-V3', reference: 'V3', amount: 30_000 },
      { ledgerDate: daysAgo(2), currency: 'DKK', entryType: 'loyalty-points-redeemed', pspReference: 'lp-1', reference: 'V3', amount: -1_000 },
      { ledgerDate: daysAgo(2), currency: 'DKK', entryType: 'payout-scheduled', pspReference: '302321-2000103', reference: 'MobilePay utbet. 2000103', amount: -29_000 },
    ]),
  });
  h = await startHarness({ nexiBaseUrl: nexi.url, vippsBaseUrl: vipps.url });
});
afterAll(async () => {
  await h?.close();
  await nexi?.close();
  await vipps?.close();
});

async function payoutReaches(api: ReturnType<typeof shopClient>, conn: string, id: string, status: string) {
  let last = 'nothing';
  try {
    return await eventually(async () => {
      const r = await api.call('GET', `/v1/payouts/${conn}/${id}`);
      last = `${r.statusCode} ${r.body.slice(0, 400)}`;
      return r.statusCode === 200 && r.json().status === status ? r.json() : undefined;
    }, 120_000, `payout ${id} ${status}`);
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${last}`, { cause: err });
  }
}

async function storedSealed(conn: string, ...secrets: string[]) {
  const [stored] = await h.db.select().from(acquirerConnections).where(eq(acquirerConnections.id, conn));
  expect(stored!.credentials).toMatch(/^v1:/);
  for (const s of secrets) expect(stored!.credentials).not.toContain(s);
}

describe('acquirers fetched from their APIs', () => {
  it('Nexi: connects with the secret key (sealed), refuses file uploads naming the Reporting API, fetches and books a payout', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    for (const [id, total, method] of [['N1', 10_000, 'dankort'], ['N2', 20_000, 'visa']] as const) {
      await api.sendOrder(cardOrder(id, total, { createdAt: `${daysAgo(3)}T10:00:00Z`, payment: { method, transactionId: `nexi-pay-${id}`, amount: total } }));
      await api.orderReaches(id, 'booked');
    }
    const without = await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'nets' });
    expect(without.statusCode).toBe(400);
    expect(without.json().error.issues[0]).toMatchObject({ path: 'body.apiKey' });
    expect(without.json().error.issues[0].message).toMatch(/Nexi publishes no settlement file layout/);

    const res = await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'nets', apiKey: NEXI_KEY });
    expect(res.statusCode, res.body).toBe(201);
    const conn = res.json().connectionId as string;
    await storedSealed(conn, NEXI_KEY);
    expect((await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).describe()).action).toMatchObject({ workflowType: 'fetchPayoutsWorkflow' });

    const upload = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${conn}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: 'Payout ID;Payout date\n1;04.11.2026\n' });
    expect(upload.statusCode).toBe(409);
    expect(upload.json().error).toMatchObject({ code: 'not_a_file_source' });
    expect(upload.json().error.message).toMatch(/Nexi publishes no settlement file layout.*Nexi Reporting API.*POST \/v1\/acquirers\/.+\/fetch/);

    expect((await api.call('POST', `/v1/acquirers/${conn}/fetch`)).statusCode).toBe(202);
    const booked = await payoutReaches(api, conn, '3f2c0a8e-6a0b-4d7e-9a51-0b1c2d3e4f50', 'booked');
    expect(booked.matches.map((m: { rule: string }) => m.rule)).toEqual(['transaction_reference', 'transaction_reference']);
    const lines = (await api.journal()).flatMap((v) => v.lines);
    expect(lines.filter((l) => l.account === '5815').reduce((a, l) => a + l.amount, 0)).toBe(0);
    expect(lines.filter((l) => l.account === '3630').reduce((a, l) => a + l.amount, 0)).toBe(870);
    expect(nexi.requests.some((r) => r.path === '/report/v1/payouts' && r.query.get('toDate') === day())).toBe(true);
    await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).delete();
  }, 400_000);

  it('Vipps MobilePay: the Report API closes payouts at either payout entry name; an unknown entry type fails its payout, named', async () => {
    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, vipps: { acquirer: 'vipps', receivableAccount: '5817' } } };
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    for (const [id, total, ago] of [['V1', 10_000, 4], ['V2', 20_000, 3], ['V3', 30_000, 2]] as const) {
      await api.sendOrder(cardOrder(id, total, { createdAt: `${daysAgo(ago)}T10:00:00Z`, payment: { method: 'vipps', transactionId: `vp-${id}`, amount: total } }));
      await api.orderReaches(id, 'booked');
    }
    const without = await api.call('POST', '/v1/acquirers', { acquirer: 'vipps', source: 'vipps' });
    expect(without.statusCode).toBe(400);
    expect(without.json().error.issues[0]).toMatchObject({ path: 'body.vipps' });

    const res = await api.call('POST', '/v1/acquirers', { acquirer: 'vipps', source: 'vipps', vipps: VIPPS });
    expect(res.statusCode, res.body).toBe(201);
    const conn = res.json().connectionId as string;
    await storedSealed(conn, VIPPS.clientSecret, VIPPS.subscriptionKey);
    const upload = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${conn}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: 'pspReference,ledgerDate,entryType\n' });
    expect(upload.statusCode).toBe(409);
    expect(upload.json().error.message).toMatch(/Report API/);

    expect((await api.call('POST', `/v1/acquirers/${conn}/fetch`)).statusCode).toBe(202);
    await payoutReaches(api, conn, '302321-2000101', 'booked');
    await payoutReaches(api, conn, '302321-2000102', 'booked');
    const failed = await payoutReaches(api, conn, '302321-2000103', 'failed');
    expect(failed.error).toMatchObject({ code: 'payout_unknown_entry_type', details: { types: ['loyalty-points-redeemed'] } });
    expect(failed.error.fix).toMatch(/Book this payout by hand/);
    const lines = (await api.journal()).flatMap((v) => v.lines);
    // V1 and V2 are paid out; V3 waits on the receivable with the payout that could not be booked.
    expect(lines.filter((l) => l.account === '5817').reduce((a, l) => a + l.amount, 0)).toBe(30_000);
    expect(lines.filter((l) => l.account === '3630').reduce((a, l) => a + l.amount, 0)).toBe(300);
    await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).delete();
  }, 400_000);

  it('Clearhaus: connects with an OAuth client of the Merchant API (sealed, fetched on the schedule); without one it names the field', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const without = await api.call('POST', '/v1/acquirers', { acquirer: 'quickpay', source: 'clearhaus' });
    expect(without.statusCode).toBe(400);
    expect(without.json().error.issues[0]).toMatchObject({ path: 'body.clearhaus' });
    const client = { clientId: 'c6b1f0d2-2a8e-4c1b-9f5e-0d9a7c3b2e11', clientSecret: 'kq3vXb0V4rL2nC8sYp1wZt6uHe9mJd5a' };
    const res = await api.call('POST', '/v1/acquirers', { acquirer: 'quickpay', source: 'clearhaus', clearhaus: client });
    expect(res.statusCode, res.body).toBe(201);
    const conn = res.json().connectionId as string;
    await storedSealed(conn, client.clientSecret);
    expect((await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).describe()).action).toMatchObject({ workflowType: 'fetchPayoutsWorkflow' });
    await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).delete();
  }, 120_000);
});
