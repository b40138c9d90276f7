import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcquirerAnswerError } from '../../../src/adapters/acquirers/http';
import { AcquirerCredentialsError } from '../../../src/adapters/acquirers/port';
import { payoutsFromFunds } from '../../../src/adapters/acquirers/vipps/funds';
import { reportPageSchema, type FundsEntry } from '../../../src/adapters/acquirers/vipps/report';
import { VippsAcquirer } from '../../../src/adapters/acquirers/vipps/vipps-acquirer';
import { BookingError } from '../../../src/domain/errors';
import { planPayout } from '../../../src/domain/plan-payout';
import { danishMapping } from '../../support/fixtures';
import { ledgerOf, startVippsServer } from '../../support/fake-acquirers/vipps';
import type { FakeServer } from '../../support/fake-acquirers/http';
import { netOfLines, summary } from './helpers';

const guideDay = reportPageSchema.parse(JSON.parse(readFileSync(new URL('../../fixtures/vendors/vipps/funds-12345-2022-10-01.json', import.meta.url), 'utf8')));
const entries = (list: [string, string, number, string?][], date = '2026-11-02'): FundsEntry[] => {
  let balance = 0;
  return list.map(([pspReference, entryType, amount, reference]) => ({ pspReference, entryType, amount, reference, ledgerDate: date, currency: 'NOK', balanceBefore: balance, balanceAfter: (balance += amount) }));
};

describe('Vipps MobilePay funds entries → payouts', () => {
  it("reads the guide's example day: three captures, a refund and retained fees, closed by the payout entry", () => {
    const { payouts, pending } = payoutsFromFunds(guideDay.items);
    expect(pending).toBe(0);
    expect(payouts.map(summary)).toEqual([
      {
        id: '12345-2000023',
        currency: 'NOK',
        paidOutAt: '2022-10-01',
        net: 28_800,
        lines: [
          ['payment', 10_000, 0],
          ['payment', 10_000, 0],
          ['payment', 20_000, 0],
          ['refund', -10_000, 0],
          ['fee', -1_200, 0],
        ],
      },
    ]);
    expect(netOfLines(payouts[0]!)).toBe(28_800);
    expect(payouts[0]!.lines[0]).toMatchObject({ transactionId: '3343121302', orderReference: 'purchase-12' });
  });

  it('closes a payout at either documented name of the payout entry, and leaves later entries for later', () => {
    const list = entries([
      ['c1', 'capture', 10_000, 'o-1'],
      ['55-1', 'scheduled-for-payout', -10_000],
      ['c2', 'capture', 5_000, 'o-2'],
      ['f2', 'fees-retained', -100],
      ['55-2', 'payout-scheduled', -4_900],
      ['c3', 'capture', 700, 'o-3'],
    ]);
    const { payouts, pending } = payoutsFromFunds(list);
    expect(payouts.map((p) => [p.payoutId, p.netAmount, p.lines.length])).toEqual([
      ['55-1', 10_000, 1],
      ['55-2', 4_900, 2],
    ]);
    expect(pending).toBe(1);
  });

  it('maps every documented funds entry type', () => {
    const list = entries([
      ['c1', 'capture', 1_000],
      ['r1', 'refund', -100],
      ['d1', 'retained-disputed-capture', -200],
      ['d1', 'returned-disputed-capture', 200],
      ['a1', 'payout-aborted', 300],
      ['k1', 'correction', -10],
      ['t1', 'top-up', 40],
      ['n1', 'credit-note', 5],
      ['f1', 'fees-retained', -25],
      ['55-7', 'payout-scheduled', -1_210],
    ]);
    const [p] = payoutsFromFunds(list).payouts;
    expect(p!.lines.map((l) => l.type)).toEqual(['payment', 'refund', 'chargeback', 'chargeback_reversal', 'adjustment', 'adjustment', 'adjustment', 'adjustment', 'fee']);
    expect(p!.unknownEntries).toBeUndefined();
  });

  it('fails a payout with an entry type nobody documented, naming the type and its entry, and drops nothing', () => {
    const list = entries([
      ['c1', 'capture', 10_000, 'o-1'],
      ['g1', 'giftcard-redeemed', 500, 'o-1'],
      ['55-3', 'payout-scheduled', -10_500],
    ]);
    const [p] = payoutsFromFunds(list).payouts;
    expect(p!.unknownEntries).toEqual([{ lineNo: 2, entryType: 'giftcard-redeemed' }]);
    expect(netOfLines(p!)).toBe(p!.netAmount);
    let error: unknown;
    try {
      planPayout(p!, [], danishMapping, 'NOK');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BookingError);
    expect(error).toMatchObject({ code: 'payout_unknown_entry_type', details: { payoutId: '55-3', types: ['giftcard-redeemed'], entries: [{ lineNo: 2, entryType: 'giftcard-redeemed' }] } });
  });

  it('refuses entries whose balances do not chain, naming the entry', () => {
    const list = entries([
      ['c1', 'capture', 10_000],
      ['c2', 'capture', 5_000],
    ]);
    list[1]!.balanceBefore = 9_000;
    list[1]!.balanceAfter = 14_000;
    expect(() => payoutsFromFunds(list)).toThrow(/line 2: balanceBefore 9000 does not continue/);
  });
});

describe('Vipps MobilePay Report API client', () => {
  const keys = { clientId: 'fb492b5e-7907-4d83-ba20-c7fb60ca35de', clientSecret: 'Y8Kteew6GE2ZmeycEt6egg==', subscriptionKey: '0f14ebcab0ec4b29ae0cb90d91b4a84a', merchantSerialNumber: '123455' };
  let vipps: FakeServer;
  beforeAll(async () => {
    vipps = await startVippsServer(keys, {
      ledgerId: '302321',
      currency: 'NOK',
      closedThrough: '2026-11-03',
      pageSize: 2,
      funds: ledgerOf([
        { ledgerDate: '2026-11-01', entryType: 'capture', pspReference: 'p1', reference: 'o-1', amount: 10_000 },
        { ledgerDate: '2026-11-01', entryType: 'capture', pspReference: 'p2', reference: 'o-2', amount: 20_000 },
        { ledgerDate: '2026-11-01', entryType: 'fees-retained', pspReference: 'f1', amount: -600 },
        { ledgerDate: '2026-11-01', entryType: 'scheduled-for-payout', pspReference: '302321-2000101', amount: -29_400 },
        { ledgerDate: '2026-11-02', entryType: 'capture', pspReference: 'p3', reference: 'o-3', amount: 5_000 },
        { ledgerDate: '2026-11-03', entryType: 'payout-scheduled', pspReference: '302321-2000102', amount: -5_000 },
      ]),
    });
  });
  afterAll(() => vipps?.close());

  it('finds the ledger of the sales unit, reads every closed date page by page, and stops at the open one', async () => {
    const api = new VippsAcquirer({ credentials: keys, baseUrl: vipps.url, today: () => '2026-11-05' });
    const listed = await api.listPayouts('2026-11-01');
    expect(listed).toEqual([
      { payoutId: '302321-2000101', paidOutAt: '2026-11-01', netAmount: 29_400, currency: 'NOK' },
      { payoutId: '302321-2000102', paidOutAt: '2026-11-03', netAmount: 5_000, currency: 'NOK' },
    ]);
    expect((await api.fetchPayout('302321-2000102')).lines).toMatchObject([{ type: 'payment', amount: 5_000, orderReference: 'o-3', date: '2026-11-02' }]);
    const paths = vipps.requests.map((r) => `${r.method} ${r.path}${r.query.size ? `?${r.query}` : ''}`);
    expect(paths.slice(0, 2)).toEqual(['POST /accesstoken/get', 'GET /settlement/v1/ledgers?settlesForRecipientHandles=api%3A123455']);
    expect(paths.filter((p) => p.includes('/dates/2026-11-01'))).toHaveLength(2);
    expect(paths.at(-1)).toBe('GET /report/v2/ledgers/302321/funds/dates/2026-11-04');
    expect(vipps.requests.filter((r) => r.path.startsWith('/report')).every((r) => r.headers.authorization?.startsWith('Bearer ey') && r.headers['ocp-apim-subscription-key'] === keys.subscriptionKey)).toBe(true);
  });

  it('reads a bounded window of ledger dates when the start date is years back, never before the API has data', async () => {
    const before = vipps.requests.length;
    const api = new VippsAcquirer({ credentials: keys, baseUrl: vipps.url, today: () => '2026-11-05', maxDays: 10 });
    expect(await api.listPayouts('2000-01-01')).toHaveLength(2);
    const dates = vipps.requests.slice(before).flatMap((r) => /\/dates\/(.+)$/.exec(r.path)?.[1] ?? []);
    expect(dates[0]).toBe('2026-10-26');
    expect(dates.at(-1)).toBe('2026-11-04');
    const early = new VippsAcquirer({ credentials: keys, baseUrl: vipps.url, today: () => '2020-05-03' });
    const n = vipps.requests.length;
    await early.listPayouts('2019-01-01');
    expect(vipps.requests.slice(n).flatMap((r) => /\/dates\/(.+)$/.exec(r.path)?.[1] ?? [])[0]).toBe('2020-05-01');
  });

  it('names refused keys as a credentials problem, and an answer of the wrong shape as such', async () => {
    const wrong = new VippsAcquirer({ credentials: { ...keys, clientSecret: 'nope' }, baseUrl: vipps.url, today: () => '2026-11-05' });
    await expect(wrong.listPayouts('2026-11-01')).rejects.toBeInstanceOf(AcquirerCredentialsError);
    const api = new VippsAcquirer({ credentials: keys, baseUrl: vipps.url, today: () => '2026-11-05' });
    vipps.failNext({ status: 503 });
    await expect(api.listPayouts('2026-11-01')).rejects.toThrow(/unavailable for now \(HTTP 503/);
    const odd = await startVippsServer(keys, { ledgerId: '1', currency: 'NOK', closedThrough: '2026-11-01', funds: { '2026-11-01': [{ entryType: 'capture', amount: '100' }] } });
    try {
      const err = await new VippsAcquirer({ credentials: keys, baseUrl: odd.url, today: () => '2026-11-02' }).listPayouts('2026-11-01').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AcquirerAnswerError);
      expect((err as Error).message).toMatch(/items\.0\.ledgerDate|items\.0\.amount/);
    } finally {
      await odd.close();
    }
  });
});
