import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClearhausAcquirer } from '../../../src/adapters/acquirers/clearhaus/clearhaus-acquirer';
import { settlementSchema } from '../../../src/adapters/acquirers/clearhaus/report';
import { AcquirerCredentialsError } from '../../../src/adapters/acquirers/port';
import { clearhausTransaction, startClearhausServer, type ClearhausSettlement } from '../../support/fake-acquirers/clearhaus';
import type { FakeServer } from '../../support/fake-acquirers/http';
import { netOfLines } from './helpers';

const CLIENT = { clientId: 'c6b1f0d2-2a8e-4c1b-9f5e-0d9a7c3b2e11', clientSecret: 'kq3vXb0V4rL2nC8sYp1wZt6uHe9mJd5a' };
const settlement: ClearhausSettlement = {
  id: 'b6d0e2a4-1c3f-5e7a-9b8d-0f2e4c6a8b10',
  settled: true,
  currency: 'DKK',
  period: { start_date: '2026-11-01', end_date: '2026-11-03' },
  payout: { amount: 23_930, date: '2026-11-05', reference_number: '73423589061', descriptor: 'CH2000001 2026-11-05' },
  summary: { sales: 30_000, credits: 0, refunds: -2_500, chargebacks: -1_000, fees: -1_370, other_postings: -200, net: 24_930 },
  reserve: { amount: 1_000, date: '2027-02-03', reference_number: '73423589064', descriptor: 'CH2000001 2027-02-03' },
  other_postings: [{ date: '2026-11-03', text: 'Chargeback handling', amount: -200 }],
  transactions: [
    clearhausTransaction('tx-1', 'capture', 10_000, 290, 'Q1', '2026-11-02T10:00:00Z'),
    clearhausTransaction('tx-2', 'capture', 20_000, 580, 'Q2', '2026-11-02T11:00:00Z'),
    clearhausTransaction('tx-3', 'refund', 2_500, 0, 'Q1', '2026-11-03T09:00:00Z'),
  ],
};

let clearhaus: FakeServer;
beforeAll(async () => {
  clearhaus = await startClearhausServer(CLIENT, [
    settlement,
    { ...settlement, id: 'open', settled: false },
    { ...settlement, id: 'odd', payout: { ...settlement.payout as object, date: '2026-11-06' }, transactions: [clearhausTransaction('tx-9', 'installment', 100, 0, 'Q9', '2026-11-04T09:00:00Z')] },
  ], 2);
});
afterAll(() => clearhaus?.close());

describe('Clearhaus Merchant API', () => {
  it("keeps its own documented arithmetic: summary.net less the reserve is the payout (the reference's example)", () => {
    const example = settlementSchema.omit({ _links: true }).parse(JSON.parse(readFileSync(new URL('../../fixtures/vendors/clearhaus/settlement.json', import.meta.url), 'utf8')));
    const s = example.summary;
    expect(s.sales + s.credits + s.refunds + s.chargebacks + s.fees + s.other_postings).toBe(s.net);
    expect(s.net - example.reserve!.amount).toBe(example.payout!.amount);
  });

  it('lists settled settlements as payouts and itemizes one: transactions, chargebacks, other postings, fees and the reserve', async () => {
    const api = new ClearhausAcquirer({ credentials: CLIENT, baseUrl: clearhaus.url, acquirer: 'quickpay' });
    expect(await api.listPayouts('2026-11-01')).toEqual([
      { payoutId: settlement.id, paidOutAt: '2026-11-05', netAmount: 23_930, currency: 'DKK' },
      { payoutId: 'odd', paidOutAt: '2026-11-06', netAmount: 23_930, currency: 'DKK' },
    ]);
    const p = await api.fetchPayout(settlement.id);
    expect(p.lines.map((l) => [l.type, l.amount, l.fee, l.orderReference ?? l.description])).toEqual([
      ['payment', 10_000, 290, 'Q1'],
      ['payment', 20_000, 580, 'Q2'],
      ['refund', -2_500, 0, 'Q1'],
      ['chargeback', -1_000, 0, `chargebacks of settlement ${settlement.id} (Clearhaus disputes)`],
      ['adjustment', -200, 0, 'Chargeback handling'],
      ['fee', -500, 0, 'fees not charged on a transaction (scheme, service, wire transfer …)'],
      ['adjustment', -1_000, 0, 'rolling reserve withheld until 2027-02-03'],
    ]);
    expect(netOfLines(p)).toBe(p.netAmount);
    expect(clearhaus.requests.filter((r) => r.path.endsWith('/transactions'))).toHaveLength(2);
  });

  it('names a transaction type it does not know on the payout, and refused client credentials as a credentials problem', async () => {
    const api = new ClearhausAcquirer({ credentials: CLIENT, baseUrl: clearhaus.url });
    await api.listPayouts('2026-11-06');
    expect((await api.fetchPayout('odd')).unknownEntries).toEqual([{ lineNo: 1, entryType: 'installment' }]);
    await expect(new ClearhausAcquirer({ credentials: { ...CLIENT, clientSecret: 'wrong' }, baseUrl: clearhaus.url }).listPayouts('2026-11-01')).rejects.toBeInstanceOf(AcquirerCredentialsError);
  });
});
