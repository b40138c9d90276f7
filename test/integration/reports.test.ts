import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient, type JournalVoucher } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

/** What an accountant reads at month end: the balance report's honesty, the trial balance, the journal by pages. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

describe('the balance report', () => {
  it('counts drafts as drafts, lists the failed and waiting orders of the period with their reasons, and is clean only when all is booked', async () => {
    const drafts = await h.createShop({ mapping: danishMapping, ledger: { mode: 'draft' } });
    const draftApi = shopClient(h, drafts.apiKey);
    await draftApi.sendOrder(cardOrder('D1', 10_000));
    await draftApi.orderReaches('D1', 'drafted');
    const draftReport = (await draftApi.call('GET', `/v1/reports/balance?${NOVEMBER}`)).json();
    expect(draftReport).toMatchObject({ ordersBooked: { count: 0, amount: 0 }, drafts: { count: 1, amount: 10_000 }, clean: false });
    expect(draftReport.unfinished).toMatchObject([{ subject: 'order', id: 'D1', status: 'drafted' }]);

    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('B1', 20_000));
    await api.orderReaches('B1', 'booked');
    expect((await api.call('GET', `/v1/reports/balance?${NOVEMBER}`)).json()).toMatchObject({ unfinished: [], drafts: { count: 0 }, clean: true, currency: 'DKK' });

    await api.sendOrder(cardOrder('F1', 5_000, { createdAt: '2026-11-03T10:00:00Z', payment: { method: 'amex', amount: 5_000 } }));
    await api.sendOrder(cardOrder('W1', 7_000, { createdAt: '2026-11-04T10:00:00Z', status: 'pending' }));
    await api.sendOrder(cardOrder('W-dec', 7_000, { createdAt: '2026-12-01T10:00:00Z', status: 'pending' }));
    await api.orderReaches('F1', 'failed');
    await api.orderReaches('W1', 'waiting');
    await api.orderReaches('W-dec', 'waiting');
    const report = (await api.call('GET', `/v1/reports/balance?${NOVEMBER}`)).json();
    expect(report.unfinished).toEqual([
      { subject: 'order', id: 'F1', orderNumber: '#F1', date: '2026-11-03', status: 'failed', errorCode: 'unmapped_payment_method', reason: expect.stringMatching(/not mapped to an acquirer\. Add the payment method to the mapping/) },
      { subject: 'order', id: 'W1', orderNumber: '#W1', date: '2026-11-04', status: 'waiting', errorCode: null, reason: 'order status "pending" is not one the shop books' },
    ]);
    expect(report.clean).toBe(false);
    const csv = (await api.call('GET', `/v1/reports/balance?${NOVEMBER}&format=csv&style=nordic`)).body;
    expect(csv).toContain('not booked;order #W1;;;"2026-11-04 waiting: order status ""pending"" is not one the shop books"');
  });
});

describe('the trial balance and the journal', () => {
  it("gives each account's opening balance, the period's debits and credits and its closing balance, equal to the journal's own sums", async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: { startDate: '2026-10-01' } });
    const api = shopClient(h, shop.apiKey);
    const orders = [['O1', 12_500, '2026-10-20'], ['O2', 10_000, '2026-11-02'], ['O3', 40_000, '2026-11-15'], ['O4', 8_000, '2026-12-01']] as const;
    for (const [id, total, day] of orders) await api.sendOrder(cardOrder(id, total, { createdAt: `${day}T10:00:00Z` }));
    for (const [id] of orders) await api.orderReaches(id, 'booked');
    await api.sendRefund(refundOf('O3-R', 'O3', 4_000, { createdAt: '2026-11-20T10:00:00Z' }));
    await api.refundReaches('O3-R', 'booked');

    const res = await api.call('GET', `/v1/ledger/accounts/balances?${NOVEMBER}`);
    expect(res.statusCode, res.body).toBe(200);
    const tb = res.json();
    const journal = await api.journal();
    // Independently: every booked line summed by account, before and inside November.
    const expected = new Map<string, { opening: number; debits: number; credits: number }>();
    for (const v of journal.filter((x) => x.state === 'booked' && (x as JournalVoucher & { date: string }).date <= '2026-11-30')) {
      const date = (v as JournalVoucher & { date: string }).date;
      for (const l of v.lines) {
        const e = expected.get(l.account) ?? { opening: 0, debits: 0, credits: 0 };
        if (date < '2026-11-01') e.opening += l.amount;
        else if (l.amount > 0) e.debits += l.amount;
        else e.credits -= l.amount;
        expected.set(l.account, e);
      }
    }
    expect(tb.accounts.map((a: { account: string; opening: number; debits: number; credits: number; closing: number }) => [a.account, a.opening, a.debits, a.credits, a.closing])).toEqual(
      [...expected].sort(([a], [b]) => a.localeCompare(b)).map(([account, e]) => [account, e.opening, e.debits, e.credits, e.opening + e.debits - e.credits]),
    );
    // The receivable of the ARCHITECTURE.md example: invoiced and paid the same day, so it opens and closes at zero.
    expect(tb.accounts.find((a: { account: string }) => a.account === '5815')).toEqual({ account: '5815', name: 'Receivable Nets', type: 'balance', opening: 12_500, debits: 50_000, credits: 4_000, closing: 58_500 });
    expect(tb.accounts.find((a: { account: string }) => a.account === '1010')).toMatchObject({ opening: -10_000, debits: 3_200, credits: 40_000, closing: -46_800 });
    expect(tb.totals.debits).toBe(tb.totals.credits);
    expect(tb).toMatchObject({ currency: 'DKK', minorUnitDigits: 2, period: { from: '2026-11-01', to: '2026-11-30' } });

    const csv = await api.call('GET', `/v1/ledger/accounts/balances?${NOVEMBER}&format=csv&style=nordic`);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="trial-balance-2026-11-01-2026-11-30.csv"');
    expect(csv.body).toContain('5815;Receivable Nets;balance;125,00;500,00;40,00;585,00');
    expect((await api.call('GET', '/v1/ledger/accounts/balances?from=2026-11-30&to=2026-11-01')).statusCode).toBe(400);

    // The journal a page at a time: every voucher once, in number order, and filtered by period, account and kind.
    const pages: JournalVoucher[][] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { vouchers: JournalVoucher[]; nextCursor: string | null } = (await api.call('GET', `/v1/ledger/vouchers?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      pages.push(page.vouchers);
      cursor = page.nextCursor;
    }
    expect(pages.flat()).toEqual(journal);
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    const novemberPayments = (await api.call('GET', `/v1/ledger/vouchers?${NOVEMBER}&kind=payment`)).json().vouchers;
    expect(novemberPayments.map((v: JournalVoucher) => v.reference).sort()).toEqual(['O2', 'O3']); // booked in either order
    const on5815 = (await api.call('GET', `/v1/ledger/vouchers?account=5815&${NOVEMBER}`)).json().vouchers;
    // O2 and O3 are booked in either order; the refund payment follows its payment.
    const kinds = on5815.map((v: JournalVoucher) => `${v.kind} ${v.reference}`);
    expect([...kinds].sort()).toEqual(['payment O2', 'payment O3', 'refund_payment O3-R']);
    expect(kinds.indexOf('refund_payment O3-R')).toBeGreaterThan(kinds.indexOf('payment O3'));
    const bad = await api.call('GET', '/v1/ledger/vouchers?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ path: 'querystring.cursor' });
  });
});
