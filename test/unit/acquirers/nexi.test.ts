import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NexiAcquirer } from '../../../src/adapters/acquirers/nexi/nexi-acquirer';
import { AcquirerCredentialsError } from '../../../src/adapters/acquirers/port';
import { startNexiServer, type NexiPayout } from '../../support/fake-acquirers/nexi';
import type { FakeServer } from '../../support/fake-acquirers/http';
import { netOfLines } from './helpers';

const KEY = 'live-secret-key-1f1b2c3d4e5f46a7b8c9d0e1f2a3b4c5';
const doc = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/vendors/nexi/${name}`, import.meta.url), 'utf8'));
const details = doc('payout-details.json') as NexiPayout & { numberOfPaymentActions?: number };
delete details.numberOfPaymentActions;

const many: NexiPayout = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  reference: 'NEXI 8812003',
  date: '2026-11-06',
  currency: 'DKK',
  amount: 150 * 1_000 - 150 * 20 - 500,
  paymentActions: [
    ...Array.from({ length: 150 }, (_, i) => ({ id: `c${i}`, paymentId: `pay-${i}`, paymentAction: 'Charge', paymentMethod: 'Visa', paymentType: 'CARD', timestamp: '2026-11-04T10:00:00Z', reference: `o-${i}`, amount: 1_000, currency: 'DKK', fee: 20 })),
    { id: 'r1', paymentId: 'pay-3', paymentAction: 'Refund', paymentMethod: 'Visa', paymentType: 'CARD', timestamp: '2026-11-05T10:00:00Z', reference: 'o-3', amount: 500, currency: 'DKK', fee: 0 },
  ],
};

let nexi: FakeServer;
beforeAll(async () => {
  nexi = await startNexiServer(KEY, [details, many, { ...many, id: 'odd', date: '2026-11-07', paymentActions: [{ ...many.paymentActions[0]!, paymentAction: 'Chargeback' }] }]);
});
afterAll(() => nexi?.close());

describe('Nexi Reporting API client', () => {
  it('lists payouts by date range and itemizes one by its payment actions (the documented fields)', async () => {
    const api = new NexiAcquirer({ apiKey: KEY, baseUrl: nexi.url, today: () => '2026-11-06' });
    expect(await api.listPayouts('2026-11-01')).toEqual([
      { payoutId: details.id, paidOutAt: '2026-11-04', netAmount: 29_130, currency: 'DKK' },
      { payoutId: many.id, paidOutAt: '2026-11-06', netAmount: many.amount, currency: 'DKK' },
    ]);
    const p = await api.fetchPayout(details.id);
    expect(p).toMatchObject({ acquirer: 'nets', payoutId: details.id, paidOutAt: '2026-11-04', netAmount: 29_130 });
    expect(p.lines).toEqual([
      { lineNo: 1, type: 'payment', amount: 10_000, fee: 290, currency: 'DKK', transactionId: '0262a3f1e9a04c7c8c2b1d0e5f6a7b81', orderReference: 'S1', paymentMethod: 'dankort', date: '2026-11-02' },
      { lineNo: 2, type: 'payment', amount: 20_000, fee: 580, currency: 'DKK', transactionId: '9a1b2c3d4e5f60718293a4b5c6d7e8f9', orderReference: 'S2', paymentMethod: 'visa', date: '2026-11-02' },
    ]);
    expect(netOfLines(p)).toBe(p.netAmount);
    expect(nexi.requests.every((r) => r.headers.authorization === KEY)).toBe(true);
  });

  it('reads every page of payment actions, refunds as money going back', async () => {
    const api = new NexiAcquirer({ apiKey: KEY, baseUrl: nexi.url });
    const p = await api.fetchPayout(many.id);
    expect(p.lines).toHaveLength(151);
    expect(p.lines.at(-1)).toMatchObject({ type: 'refund', amount: -500, fee: 0, orderReference: 'o-3' });
    expect(netOfLines(p)).toBe(p.netAmount);
    expect(p.unknownEntries).toBeUndefined();
  });

  it('names a payment action it does not know on the payout, and refused keys as a credentials problem', async () => {
    const p = await new NexiAcquirer({ apiKey: KEY, baseUrl: nexi.url }).fetchPayout('odd');
    expect(p.unknownEntries).toEqual([{ lineNo: 1, entryType: 'Chargeback' }]);
    await expect(new NexiAcquirer({ apiKey: 'wrong-key-000000', baseUrl: nexi.url }).listPayouts('2026-11-01')).rejects.toBeInstanceOf(AcquirerCredentialsError);
  });
});
