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

  it('during the trial shows the failures so far, the day it switches and that it will wait for approval; approve takes no body and offers to book the drafts', async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: { mode: 'draft', trialDays: 14 } });
    const api = shopClient(h, shop.apiKey);
    const clean = (await graduationState(api, 'trial'));
    expect(clean).toMatchObject({ failedPostingsInTrial: 0, switchesBy: 'itself', switchesAt: clean.trialEndsAt, draftsToBook: 0 });
    expect(Date.parse(clean.trialEndsAt) - Date.parse(clean.trialStartedAt)).toBe(14 * 86_400_000);

    await api.sendOrder(cardOrder('D1', 10_000));
    await api.sendOrder(cardOrder('D2', 4_000));
    await api.sendOrder(cardOrder('K1', 10_000, { payment: { method: 'klarna', amount: 10_000 } }));
    await api.orderReaches('D1', 'drafted');
    await api.orderReaches('D2', 'drafted');
    await api.orderReaches('K1', 'failed');

    const view = (await api.call('GET', '/v1/ledger/graduation')).json();
    expect(view).toMatchObject({ state: 'trial', failedPostingsInTrial: 1, switchesAt: clean.trialEndsAt, switchesBy: 'approval', draftsToBook: 2 });
    expect(view.next).toContain(clean.trialEndsAt.slice(0, 10));

    // As curl -X POST sends it: no body, no content type; and as many clients do: an empty JSON body.
    const approved = await h.app.inject({ method: 'POST', url: '/v1/ledger/graduation/approve', headers: { authorization: `Bearer ${shop.apiKey}` } });
    expect(approved.statusCode, approved.body).toBe(202);
    expect(approved.json()).toEqual({ accepted: true, draftsToBook: 2, bookDrafts: 'POST /v1/ledger/drafts/book' });
    await graduationState(api, 'graduated');

    const book = await h.app.inject({
      method: 'POST',
      url: '/v1/ledger/drafts/book',
      headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
    });
    expect(book.statusCode, book.body).toBe(202);
    expect(book.json()).toEqual({ matched: 2, signalled: 2, more: 0 });
    await api.orderReaches('D1', 'booked');
    await api.orderReaches('D2', 'booked');
    expect((await api.call('GET', '/v1/ledger/graduation')).json()).toMatchObject({ state: 'graduated', switchesBy: null, draftsToBook: 0 });
  });
});
