import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const header = 'settlement_id,payout_date,type,transaction_id,order_id,currency,amount,fee,processed_at';
/** A QuickPay (Clearhaus) settlement file of `count` sales of 100.00 DKK with 1.00 in fees, nobody's orders. */
const quickpayRows = (settlement: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${settlement},2026-11-06,sale,qp-${settlement}-${i},ext-${i},DKK,10000,100,2026-11-02`);

async function quickpayConnection(apiKey: string) {
  const api = shopClient(h, apiKey);
  const res = await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'quickpay' });
  expect(res.statusCode, res.body).toBe(201);
  return { api, conn: res.json().connectionId as string };
}

describe('a large settlement file', () => {
  it('is read off the request path: /health answers while it is being parsed, and a bad last line refuses it whole', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const { api, conn } = await quickpayConnection(shop.apiKey);
    // 200,000 rows (about 14 MB) and a corrupt last one. Parsed inside the request, this held the event loop until the
    // verdict: nothing else (here /health) was answered in between.
    const rows = quickpayRows('s-big', 200_000);
    const file = [header, ...rows, 's-big,2026-11-06,sale,qp-last,ext-last,DKK,12x00,100,2026-11-02'].join('\n');
    const events: string[] = [];
    const res = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${conn}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body).toBe(202);
    events.push('upload answered');
    const { uploadId } = res.json();
    const status = async () => (await api.call('GET', `/v1/acquirers/${conn}/uploads/${uploadId}`)).json();

    // The parse has begun and is not over: rows are read, no verdict yet.
    await eventually(async () => {
      const s = await status();
      return s.status === 'parsing' && s.linesRead > 0 ? s : undefined;
    }, 60_000, 'the upload being parsed');
    events.push('parsing');
    const health = await h.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const healthAt = new Date();
    events.push('health answered');

    const refused = await api.uploadFinished(conn, uploadId, 120_000);
    events.push('upload read');
    expect(events).toEqual(['upload answered', 'parsing', 'health answered', 'upload read']);
    // /health was answered before the verdict was written, on the same clock.
    expect(new Date(refused.finishedAt).getTime()).toBeGreaterThan(healthAt.getTime());
    expect(refused).toMatchObject({ status: 'refused', linesRead: 200_000, result: null });
    expect(refused.error).toMatchObject({ code: 'invalid_settlement_file', issues: [{ path: 'line 200002', message: expect.stringMatching(/^amount "12x00"/) }] });
    expect((await api.call('GET', '/v1/payouts')).json().payouts).toEqual([]);
  }, 240_000);

  it("refuses a file over its format's limit before storing it, naming the limit and how to split it", async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const { conn } = await quickpayConnection(shop.apiKey);
    const row = quickpayRows('s-huge', 1)[0]!;
    const file = `${header}\n${`${row}\n`.repeat(Math.ceil((80 * 1024 * 1024) / (row.length + 1)) + 1)}`;
    const res = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${conn}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: file });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(413);
    expect(res.json().error.code).toBe('settlement_file_too_large');
    expect(res.json().error.message).toMatch(/83886080 \(80 MiB\).*shorter date range.*POST \/v1\/acquirers\/.+\/settlements/);
  }, 120_000);
});

describe('a payout whose plan is above the Temporal payload limit', () => {
  it('books, in parts of PAYOUT_MAX_VOUCHER_LINES (5,000) lines that each balance, with one bank line', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const { api, conn } = await quickpayConnection(shop.apiKey);
    // 12,000 unknown sales: each an error-account line with its reason. Plan and matches come to several MB, above
    // Temporal's 2 MB payload limit, which an activity result carrying the plan ran into (and retried for ever).
    const upload = await api.uploadSettlement(conn, [header, ...quickpayRows('s-12k', 12_000)].join('\n'));
    expect(upload).toMatchObject({ status: 'done', result: { payouts: 1, new: 1 } });
    const payout = await api.payoutReaches(conn, 's-12k', 'booked');
    expect(payout.matches).toHaveLength(12_000);

    const vouchers = (await api.journal()).filter((v) => v.kind === 'payout');
    expect(vouchers.map((v) => v.lines.length)).toEqual([5_000, 5_000, 2_005]);
    expect(vouchers.map((v) => v.reference)).toEqual([`${conn}/s-12k#part-1-of-3`, `${conn}/s-12k#part-2-of-3`, `${conn}/s-12k`]);
    for (const v of vouchers) expect(v.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
    const lines = vouchers.flatMap((v) => v.lines);
    const on = (account: string) => lines.filter((l) => l.account === account);
    expect(on('5820').map((l) => l.amount)).toEqual([12_000 * 9_900]);
    expect(on('3630').map((l) => l.amount)).toEqual([12_000 * 100]);
    // Unknown sales on the error account; the carries between parts (also there: nothing was matched) net to zero.
    expect(on('5890').reduce((a, l) => a + l.amount, 0)).toBe(-12_000 * 10_000);
    expect(on('5890').filter((l) => /carried/.test(l.text))).toHaveLength(3);
  }, 240_000);
});
