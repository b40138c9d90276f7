import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { accessibilityViolations, screenshot, signIn } from '../support/browser';
import { SHOPIFY_TOKEN, shopifyOrderFrom, shopifyRefundFor, startFakeShopify, type FakeShopify } from '../support/fake-channels/shopify';
import { cardOrder, danishMapping } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { useAppStack } from '../support/app-stack';
import { createPerson, type Person } from '../support/people';

let h: Harness;
let browser: Browser;
let baseUrl: string;
let store: FakeShopify;
useAppStack((stack) => ({ h, browser, baseUrl } = stack));
beforeAll(async () => {
  store = await startFakeShopify();
});
afterAll(async () => {
  await store?.close();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const klarna = (id: string, amount: number) => ({ method: 'klarna', transactionId: `txn-${id}`, amount });

async function pageOf(person: Person, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, baseUrl, person.email, person.password);
  return page;
}

// Merchant A's shop (overview) and merchant B's (history): the operator test looks at both.
let shopA: { shopId: string; name: string; merchant: string };
let shopB: { shopId: string; name: string; merchant: string };
// Other test files create shops of the same names in the same database, and the operator sees every shop: each
// merchant here has a name of its own, so a row is found by shop and merchant.
const run = Math.random().toString(36).slice(2, 6);
const merchantA = `Nordlys ApS ${run}`;
const merchantB = `Fjord Tekstil AS ${run}`;
let ownerB: Person;

describe('the overview, history, report and operator pages', () => {
  it('an owner sees the failed sale linked to the sales list, the trial in words, books the drafts, approves, and sees the acquirer balance', async () => {
    const owner = await createPerson(h, { merchant: merchantA, role: 'owner' });
    const shop = await h.createShop({ name: 'Nordlys Keramik', merchantId: owner.merchantId, mapping: danishMapping, ledger: { mode: 'draft' } });
    shopA = { shopId: shop.shopId, name: 'Nordlys Keramik', merchant: merchantA };
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('A1', 10_000, { createdAt: `${day(-6)}T10:00:00Z` }));
    await api.sendOrder(cardOrder('A2', 20_000, { createdAt: `${day(-4)}T10:00:00Z` }));
    await api.sendOrder(cardOrder('A3', 5_000, { createdAt: `${day(-4)}T11:00:00Z`, payment: klarna('A3', 5_000) }));
    await api.orderReaches('A1', 'drafted');
    await api.orderReaches('A2', 'drafted');
    await api.orderReaches('A3', 'failed');
    const trialEndsAt = (await api.call('GET', '/v1/ledger/graduation')).json().trialEndsAt as string;
    const endDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(trialEndsAt));

    const page = await pageOf(owner);
    const failed = page.getByRole('link', { name: '1 sale or refund failed' });
    await failed.waitFor();
    expect(await failed.getAttribute('href')).toBe('/app/sales?status=failed');
    const line = page.locator('.graduation-line');
    await line.waitFor();
    expect(await line.textContent()).toBe(`Invoices stay drafts until ${endDay}; 1 failed so far, so it then waits for your approval before switching to automatic posting.`);
    await page.getByText('2 invoices wait as drafts for review.').waitFor();
    await page.getByRole('progressbar', { name: 'Monthly posting quota used' }).or(page.getByText(/postings? this month; the ledger has no monthly limit/)).first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'overview-trial');

    // Book the drafts: the button goes away by itself once they are booked.
    await page.getByRole('button', { name: 'Book all 2 drafts' }).click();
    await page.getByRole('status').filter({ hasText: 'Booking 2 drafts…' }).waitFor();
    await api.orderReaches('A1', 'booked');
    await api.orderReaches('A2', 'booked');
    await page.getByRole('button', { name: /Book all/ }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Approve now' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved: new invoices are posted automatically from now on.' }).waitFor();
    await page.getByText(/invoices are posted automatically\.$/).waitFor();

    // A payout settles A1; the chart's table says the receivable equals what is not paid out yet.
    const conn = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;
    const line1 = { type: 'payment', amount: 10_000, fee: 1_000, currency: 'DKK', transactionId: 'txn-A1', date: day(-6) };
    expect((await api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: [{ payoutId: 'PO-1', currency: 'DKK', paidOutAt: day(-2), netAmount: 9_000, lines: [line1] }] })).statusCode).toBe(202);
    await api.payoutReaches(conn, 'PO-1', 'booked');
    await page.reload();
    const recent = page.getByRole('table', { name: 'Recent payouts' });
    await recent.getByRole('cell', { name: 'DKK 90.00' }).waitFor();
    const nets = page.getByRole('table', { name: /^nets on / });
    await nets.waitFor();
    // Intl puts a no-break space between currency and amount.
    expect(await nets.getByRole('row', { name: /Receivable in the ledger/ }).textContent()).toMatch(/DKK\s200\.00$/);
    expect(await nets.getByRole('row', { name: /Payments not yet paid out/ }).textContent()).toMatch(/DKK\s200\.00$/);
    await nets.getByText('Balanced').waitFor();
    await page.locator('.recharts-line').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'overview');
    await page.context().close();
  });

  it('an owner fetches the history with a progress bar that moves, marks all of it, and activates automatic transfer', async () => {
    ownerB = await createPerson(h, { merchant: merchantB, role: 'owner' });
    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } } };
    const shop = await h.createShop({ name: 'Fjord Tekstil', merchantId: ownerB.merchantId, mapping, transfer: 'held' });
    shopB = { shopId: shop.shopId, name: 'Fjord Tekstil', merchant: merchantB };
    const api = shopClient(h, shop.apiKey);
    // The store as backfill.test.ts sets it up: 30 orders, the first with a refund; slow pages so the run is seen running.
    const history = Array.from({ length: 30 }, (_, i) => shopifyOrderFrom(i + 1));
    history[0]!.refunds = [shopifyRefundFor(history[0]!, 9_100_000)];
    store.seed(...history);
    const connected = await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: 'shpss_0123456789abcdef0123456789abcdef', storeUrl: store.url, api: { accessToken: SHOPIFY_TOKEN } });
    expect(connected.statusCode, connected.body).toBe(200);
    store.http.inject({ slowMs: 2500 }, { path: /orders\.json/, times: 1 });

    const page = await pageOf(ownerB);
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByText('Automatic transfer is off', { exact: false }).waitFor();
    await page.getByLabel('Since').fill('2026-03-01');
    await page.getByRole('button', { name: 'Fetch history' }).click();
    const bar = page.getByRole('progressbar', { name: 'History fetched' });
    await page.getByRole('status').filter({ hasText: /^Reading store page 1: 0 orders, 0 refunds, 0 payouts registered so far\./ }).waitFor();
    expect(await bar.getAttribute('aria-valuenow')).toBe('1');
    await screenshot(page, 'history-running');
    // The page follows the run by itself: no reload.
    await page.getByRole('status').filter({ hasText: 'Done: 30 orders, 1 refund, 0 payouts registered. Nothing was posted.' }).waitFor({ timeout: 120_000 });
    expect(await bar.getAttribute('aria-valuenow')).toBe('3');

    // Select all: every registered order, not only the rows on screen.
    const all = page.getByLabel('Select all (30 orders, 0 payouts)');
    await all.waitFor();
    await all.check();
    expect(await page.getByRole('checkbox', { name: `Select order ${history[7]!.name as string}` }).isChecked()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'history-done');
    await page.getByRole('button', { name: 'Transfer 30 to the ledger' }).click();
    await page.getByRole('status').filter({ hasText: '30 marked: they are being posted now.' }).waitFor();
    await page.getByText('Nothing is waiting: no registered orders or payouts.').waitFor();

    await page.getByText('the history fetched above is not posted unless you mark it', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Activate automatic transfer' }).click();
    await page.getByText(/^Automatic transfer is on since /).waitFor();
    expect((await api.call('GET', '/v1/transfer')).json().transfer).toBe('automatic');
    await api.orderReaches(String(history[29]!.id), 'booked', 120_000);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'history-activated');
    await page.context().close();
  }, 300_000);

  it('a bookkeeper sees the balance report in Danish and downloads it as CSV for a Nordic spreadsheet and as JSON', async () => {
    const owner = await createPerson(h, { merchant: 'Havblik ApS', role: 'owner' });
    const bookkeeper = await createPerson(h, { merchantId: owner.merchantId, role: 'bookkeeper' });
    const shop = await h.createShop({ name: 'Havblik', merchantId: owner.merchantId, mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('R1', 123_450));
    await api.sendOrder(cardOrder('R2', 10_000));
    await api.orderReaches('R1', 'booked');
    await api.orderReaches('R2', 'booked');

    const page = await pageOf(bookkeeper);
    await page.getByLabel('Language').selectOption('da');
    await page.getByRole('link', { name: 'Rapport' }).click();
    // Each page loads on first use; the overview (with its own From/To) stays until the report has arrived.
    await page.getByRole('heading', { name: 'Afstemningsrapport', level: 1 }).waitFor();
    await page.getByLabel('Fra').fill('2026-11-01');
    await page.getByLabel('Til').fill('2026-11-30');
    const totals = page.getByRole('table', { name: /1\. nov\. 2026/ });
    await totals.getByRole('row', { name: /Bogførte fakturaer/ }).filter({ hasText: '1.334,50 kr.' }).waitFor();

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Hent CSV (regneark)' }).click()]);
    expect(csv.suggestedFilename()).toBe('balance-2026-11-01-2026-11-30.csv');
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff); // the byte order mark a spreadsheet needs to read UTF-8
    const rows = text.slice(1).split(/\r?\n/);
    expect(rows[0]).toBe('section;item;count;amount (DKK);detail');
    expect(rows).toContain('orders;invoices booked;2;1334,50;');
    expect(rows).toContain('payments;registered;2;1334,50;');
    await page.getByRole('status').filter({ hasText: 'balance-2026-11-01-2026-11-30.csv er hentet.' }).waitFor();

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Hent JSON' }).click()]);
    const report = JSON.parse(await readFile((await json.path())!, 'utf8'));
    expect(report).toMatchObject({ currency: 'DKK', period: { from: '2026-11-01', to: '2026-11-30' }, ordersBooked: { count: 2, amount: 133_450 } });
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'report-da');
    await page.context().close();
  });

  it("an operator sees both merchants' shops with what is stuck and the Temporal UI's list; a merchant's person sees neither the page nor another merchant's shop", async () => {
    const operator = await createPerson(h, { role: 'operator' });
    const page = await pageOf(operator);
    await page.getByRole('link', { name: 'Operator' }).click();
    const table = page.getByRole('table', { name: 'Stuck bookings per shop' });
    const rowA = table.getByRole('row', { name: new RegExp(`^${shopA.name} ${shopA.merchant}`) });
    const rowB = table.getByRole('row', { name: new RegExp(`^${shopB.name} ${shopB.merchant}`) });
    await rowA.waitFor();
    await rowB.waitFor();
    const failedA = rowA.getByRole('link', { name: `1 Failed in ${shopA.name}: open in the Temporal UI` });
    const href = new URL((await failedA.getAttribute('href'))!);
    expect(`${href.origin}${href.pathname}`).toBe('http://localhost:8233/namespaces/default/workflows');
    expect(href.searchParams.get('query')).toBe(`BookingStatus="failed" AND ShopId="${shopA.shopId}"`);
    expect(await rowB.getByRole('link', { name: `All workflows of ${shopB.name} in the Temporal UI` }).getAttribute('href')).toContain(encodeURIComponent(`ShopId="${shopB.shopId}"`));
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'operator');
    await page.context().close();

    // Merchant B's owner: no operator link, the page refuses, and the admin route answers nothing of A's.
    const pageB = await pageOf(ownerB);
    expect(await pageB.getByRole('link', { name: 'Operator' }).count()).toBe(0);
    await pageB.goto(`${baseUrl}/app/operator`);
    await pageB.getByText('This page is for operators.').waitFor();
    expect(await pageB.content()).not.toContain(shopA.name);
    const res = await pageB.request.get(`${baseUrl}/v1/admin/attention`);
    expect([401, 403]).toContain(res.status());
    expect(await res.text()).not.toContain(shopA.shopId);
    const own = await pageB.request.get(`${baseUrl}/v1/overview`, { headers: { 'x-shop-id': shopA.shopId } });
    expect(own.status()).toBe(404);
    await pageB.context().close();
  });
});
