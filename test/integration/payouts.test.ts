import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payouts } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { linePairs, shopClient } from '../support/api';
import { bookDanishExportSales, settlementFile } from '../support/danish-export';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function connect(api: ReturnType<typeof shopClient>, acquirer = 'nets') {
  const res = await api.call('POST', '/v1/acquirers', { acquirer, source: 'json' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().connectionId as string;
}


describe('payouts', () => {
  it('books the ARCHITECTURE.md payout: 450 to the bank, 50 in fees, the three invoices settled, receivable at 0', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    for (const [id, total] of [['N1', 10_000], ['N2', 20_000], ['N3', 20_000]] as const) await api.sendOrder(cardOrder(id, total));
    for (const id of ['N1', 'N2', 'N3']) await api.orderReaches(id, 'booked');

    const conn = await connect(api);
    const line = (id: string, amount: number, fee: number) => ({ type: 'payment', amount, fee, currency: 'DKK', transactionId: `txn-${id}`, date: '2026-11-02' });
    const res = await api.call('POST', `/v1/acquirers/${conn}/payouts`, {
      payouts: [{ payoutId: 'PO-1', currency: 'DKK', paidOutAt: '2026-11-04', netAmount: 45_000, lines: [line('N1', 10_000, 1_000), line('N2', 20_000, 2_000), line('N3', 20_000, 2_000)] }],
    });
    expect(res.statusCode, res.body).toBe(202);
    const payout = await api.payoutReaches(conn, 'PO-1', 'booked');
    expect(payout.matches.map((m: { rule: string }) => m.rule)).toEqual(['transaction_reference', 'transaction_reference', 'transaction_reference']);

    const voucher = (await api.journal()).find((v) => v.kind === 'payout')!;
    expect(linePairs(voucher)).toEqual([['3630', 5_000], ['5815', -20_000], ['5815', -20_000], ['5815', -10_000], ['5820', 45_000]].sort());
    const receivable = (await api.journal()).flatMap((v) => v.lines).filter((l) => l.account === '5815').reduce((a, l) => a + l.amount, 0);
    expect(receivable).toBe(0);

    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report).toMatchObject({
      currency: 'DKK',
      ordersBooked: { count: 3, amount: 50_000 },
      paymentsRegistered: { count: 3, amount: 50_000 },
      payouts: { count: 1, net: 45_000, fees: 5_000, linesMatched: 3, linesUnmatched: 0 },
      clean: true,
    });
    expect(report.acquirers).toContainEqual({ acquirer: 'nets', receivableAccount: '5815', feeAccount: '3630', fees: 5_000, disputesAccount: null, ledgerBalance: 0, unpaidPayments: 0, difference: 0, balanced: true });
    const csv = await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30&format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    // For the accountant: amounts in currency units, the currency in the amount column's heading.
    const rows = csv.body.split('\n');
    expect(rows[0]).toBe('section,item,count,amount (DKK),detail');
    expect(rows).toContain('orders,invoices booked,3,500.00,');
    expect(rows).toContain('payouts,fees,,50.00,');
    expect(rows).toContain('result,clean,,,true');
    // As a Nordic spreadsheet opens it: semicolons, decimal comma, and a file name to save it under.
    const nordic = await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30&format=csv&style=nordic');
    expect(nordic.headers['content-disposition']).toBe('attachment; filename="balance-2026-11-01-2026-11-30.csv"');
    expect(nordic.body.replace('\uFEFF', '').split('\n')).toEqual(expect.arrayContaining(['section;item;count;amount (DKK);detail', 'orders;invoices booked;3;500,00;', 'payouts;fees;;50,00;']));
    expect(report).toMatchObject({ currency: 'DKK', minorUnitDigits: 2 });
  });

  it('books an unknown transaction to the error account, nets a partial refund, and a chargeback once the mapping names a disputes account', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('U1', 10_000));
    await api.sendOrder(cardOrder('U2', 30_000));
    await api.orderReaches('U1', 'booked');
    await api.orderReaches('U2', 'booked');
    await api.sendRefund(refundOf('UR1', 'U2', 5_000, { transactionId: 'txn-refund-UR1' }));
    await api.refundReaches('UR1', 'booked');

    const conn = await connect(api);
    const lines = [
      { type: 'payment', amount: 10_000, fee: 150, currency: 'DKK', transactionId: 'txn-U1', date: '2026-11-02' },
      { type: 'payment', amount: 30_000, fee: 450, currency: 'DKK', transactionId: 'txn-U2', date: '2026-11-02' },
      { type: 'refund', amount: -5_000, fee: 0, currency: 'DKK', transactionId: 'txn-refund-UR1', date: '2026-11-05' },
      { type: 'payment', amount: 7_700, fee: 100, currency: 'DKK', transactionId: 'txn-foreign-77', date: '2026-11-03' },
      { type: 'chargeback', amount: -2_000, fee: 0, currency: 'DKK', transactionId: 'cb-991', orderReference: 'U1', date: '2026-11-06' },
    ];
    const net = 10_000 + 30_000 - 5_000 + 7_700 - 2_000 - 700;
    await api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: [{ payoutId: 'PO-2', currency: 'DKK', paidOutAt: '2026-11-07', netAmount: net, lines }] });
    // The chargeback names order U1, but the mapping has no disputes account for nets: the payout says so and waits.
    const stopped = await api.payoutReaches(conn, 'PO-2', 'failed');
    expect(stopped.error).toMatchObject({ code: 'unmapped_disputes_account', details: { acquirer: 'nets', orderNumber: '#U1' } });
    expect(stopped.error.fix).toMatch(/acquirers\.<acquirer>\.disputes.*PUT \/v1\/mapping.*POST \/v1\/payouts\/restart/);
    const put = await api.call('PUT', '/v1/mapping', { ...danishMapping, acquirers: { nets: { disputes: '5830' } } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await api.call('POST', '/v1/payouts/restart', { errorCode: 'unmapped_disputes_account' })).json()).toMatchObject({ restarted: 1 });
    const payout = await api.payoutReaches(conn, 'PO-2', 'booked');
    expect(payout.matches.map((m: { rule: string; settles: { reference: string } | null }) => [m.rule, m.settles?.reference ?? null])).toEqual([
      ['transaction_reference', 'U1'],
      ['transaction_reference', 'U2'],
      ['transaction_reference', 'UR1'],
      ['unmatched', null],
      ['dispute', null],
    ]);
    const voucher = (await api.journal()).find((v) => v.kind === 'payout')!;
    expect(voucher.lines.filter((l) => l.account === '5890').map((l) => l.amount)).toEqual([-7_700]);
    expect(voucher.lines.filter((l) => l.account === '5830').map((l) => [l.amount, l.text])).toEqual([[2_000, 'Chargeback line 5 (cb-991): order #U1 disputed']]);
    expect(voucher.lines.find((l) => l.account === '5820')!.amount).toBe(net);
    expect(voucher.lines.find((l) => l.account === '3630')!.amount).toBe(700);
    const receivable = (await api.journal()).flatMap((v) => v.lines).filter((l) => l.account === '5815').reduce((a, l) => a + l.amount, 0);
    expect(receivable).toBe(0);

    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report.refunds).toEqual({ count: 1, amount: 5_000 });
    expect(report.errorAccount.map((e: { lineNo: number; amount: number; reason: string }) => [e.lineNo, e.amount])).toEqual([[4, 7_700]]);
    expect(report.disputes).toEqual([{ acquirer: 'nets', payoutId: 'PO-2', lineNo: 5, type: 'chargeback', amount: -2_000, orderNumber: '#U1' }]);
    expect(report.errorAccount[0].reason).toMatch(/txn-foreign-77/);
    expect(report.acquirers.find((a: { acquirer: string }) => a.acquirer === 'nets')).toMatchObject({ ledgerBalance: 0, unpaidPayments: 0, balanced: true });
    expect(report.clean).toBe(false);
  });

  it('fails a payout whose lines and net do not add up, naming the amounts', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const conn = await connect(api);
    await api.call('POST', `/v1/acquirers/${conn}/payouts`, {
      payouts: [{ payoutId: 'PO-bad', currency: 'DKK', paidOutAt: '2026-11-07', netAmount: 99_999, lines: [{ type: 'payment', amount: 1_000, fee: 0, currency: 'DKK', date: '2026-11-02' }] }],
    });
    const failed = await api.payoutReaches(conn, 'PO-bad', 'failed');
    expect(failed.error).toMatchObject({ code: 'payout_unbalanced', details: { gross: 1_000, fees: 0, net: 99_999 } });
  });

  it('books an uploaded Danish-style export read with its saved mapping, and refuses a corrupted one whole, naming its line', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    // Nexi publishes no file layout: a shop's own Danish-style export is read with a saved mapping (examples/settlements).
    const { connectionId: conn } = await bookDanishExportSales(api);
    const upload = (text: string) =>
      h.app.inject({ method: 'POST', url: `/v1/acquirers/${conn}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: text });

    // Files are read off the request path: the answer is 202 at once, the upload's status route has the verdict.
    const bad = await upload(settlementFile('danish-export-corrupt.csv'));
    expect(bad.statusCode, bad.body).toBe(202);
    expect(bad.json()).toMatchObject({ status: 'received', statusUrl: `/v1/acquirers/${conn}/uploads/${bad.json().uploadId}`, duplicateOf: null });
    const refused = await api.uploadFinished(conn, bad.json().uploadId);
    expect(refused).toMatchObject({ status: 'refused', result: null });
    expect(refused.error).toMatchObject({ code: 'invalid_settlement_file', issues: [{ path: 'line 4', message: 'Transaction date "31.11.2026" is not a real date' }] });
    expect(refused.error.message).toMatch(/Nothing of the file was booked.*POST \/v1\/acquirers\/.+\/settlements/);
    expect((await h.db.select({ n: count() }).from(payouts).where(eq(payouts.connectionId, conn)))[0]!.n).toBe(0);
    // Another shop sees no such upload.
    const other = shopClient(h, (await h.createShop({ mapping: danishMapping })).apiKey);
    expect((await other.call('GET', `/v1/acquirers/${conn}/uploads/${bad.json().uploadId}`)).statusCode).toBe(404);

    const good = await upload(settlementFile('danish-export.csv'));
    expect(good.statusCode, good.body).toBe(202);
    // The reading takes turns with other shops' work (src/temporal/fairness.ts).
    expect((await h.client.workflow.getHandle(workflowIds.settlementUpload(good.json().uploadId)).describe()).priority?.fairnessKey).toBe(`shop/${shop.shopId}`);
    expect(await api.uploadFinished(conn, good.json().uploadId)).toMatchObject({ status: 'done', error: null, result: { payouts: 2, new: 2 } });
    // The same file again: recognised, and nothing is booked twice.
    const again = await upload(settlementFile('danish-export.csv'));
    expect(again.json().duplicateOf).toBe(good.json().uploadId);
    expect(await api.uploadFinished(conn, again.json().uploadId)).toMatchObject({ status: 'done', result: { payouts: 2, new: 0 } });
    const dkk = await api.payoutReaches(conn, '8812001', 'booked');
    expect(dkk.matches.map((m: { rule: string; settles: { reference: string } | null }) => [m.rule, m.settles?.reference ?? null])).toEqual([
      ['transaction_reference', '1001'],
      ['transaction_reference', '1002'],
      ['order_reference', 'R-1001'],
      ['unmatched', null],
      ['fee', null],
    ]);
    // The EUR payout cannot be booked into a DKK ledger without the acquirer's rate: it fails visibly.
    const eur = await api.payoutReaches(conn, '8812002', 'failed');
    expect(eur.error.code).toBe('currency_mismatch');
    const receivable = (await api.journal()).flatMap((v) => v.lines).filter((l) => l.account === '5815').reduce((a, l) => a + l.amount, 0);
    expect(receivable).toBe(0);
  });
});
