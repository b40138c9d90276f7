import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** A trial of about five seconds. */
const shortTrial = { mode: 'draft', trialDays: 5 / 86_400 };

const graduationState = (api: ReturnType<typeof shopClient>, state: string) =>
  eventually(async () => {
    const res = await api.call('GET', '/v1/ledger/graduation');
    return res.statusCode === 200 && res.json().state === state ? res.json() : undefined;
  }, 30_000, `graduation ${state}`);

describe('graduation from drafts to auto-post', () => {
  it('graduates after a clean trial; drafts from the trial stay drafts until the owner books them', async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: shortTrial });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('T1', 10_000));
    const drafted = await api.orderReaches('T1', 'drafted');
    expect(drafted.documents.invoice).toMatch(/^draft:/);
    expect(drafted.documents.payment).toBeNull();

    const view = await graduationState(api, 'graduated');
    expect(view.failedPostingsInTrial).toBe(0);
    expect((await api.call('GET', '/v1/ledger')).json().mode).toBe('auto');

    await api.sendOrder(cardOrder('T2', 5_000));
    await api.orderReaches('T2', 'booked');
    expect((await api.order('T1'))?.status).toBe('drafted');

    expect((await api.call('POST', '/v1/orders/T1/book-draft')).statusCode).toBe(202);
    const booked = await api.orderReaches('T1', 'booked');
    expect(booked.documents.invoice).toMatch(/^\d+$/);
    const journal = await api.journal();
    expect(journal.filter((v) => v.state === 'booked').map((v) => v.number)).toEqual([1, 2, 3, 4]);
  });

  it('stays on drafts after a trial with a failed posting, until the owner approves', async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: shortTrial });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('F1', 10_000, { payment: { method: 'klarna', amount: 10_000 } }));
    await api.orderReaches('F1', 'failed');

    const view = await graduationState(api, 'awaiting_approval');
    expect(view.failedPostingsInTrial).toBeGreaterThan(0);
    expect((await api.call('GET', '/v1/ledger')).json().mode).toBe('draft');

    expect((await api.call('POST', '/v1/ledger/graduation/approve', {})).statusCode).toBe(202);
    await graduationState(api, 'graduated');
    expect((await api.call('GET', '/v1/ledger')).json().mode).toBe('auto');
  });
});
