import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../app/src/format';
import { shopClient } from '../support/api';
import { accessibilityViolations, screenshot, signIn } from '../support/browser';
import { bookDanishExportSales, settlementFile } from '../support/danish-export';
import { danishMapping } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { useAppStack } from '../support/app-stack';
import { createPerson, type Person } from '../support/people';

let h: Harness;
let browser: Browser;
let baseUrl: string;
useAppStack((stack) => ({ h, browser, baseUrl } = stack));

// The settlement files test/integration/payouts.test.ts books: a shop's own Danish-style export of Nets payouts, read
// with its saved column mapping (examples/settlements), and the same export with an impossible date on line 4.
const settlements = settlementFile;
/** Money as the page shows it in English (Intl's no-break spaces included). */
const dkk = (minor: number) => formatMoney(minor, 'DKK', 'en-GB');

/** A shop of the person's merchant with the sales the Danish export settles booked, and its Nets file connection. */
async function shopWithBookedSales(owner: Person) {
  const shop = await h.createShop({ name: 'Nordlys Keramik', mapping: danishMapping, merchantId: owner.merchantId });
  const api = shopClient(h, shop.apiKey);
  // Connecting the acquirer is the setup page's work; here it is done with the shop's key.
  return { ...shop, api, ...(await bookDanishExportSales(api)) };
}

/** Drops a file on the zone as a person dragging it from their file manager would. */
async function dropFile(page: Page, name: string, text: string) {
  // Runs in the page: the test's own lib has no DOM types, so the browser's constructors are named here.
  type BrowserGlobals = { DataTransfer: new () => { items: { add(file: unknown): void } }; File: new (parts: string[], name: string, opts: { type: string }) => unknown };
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const { DataTransfer, File } = globalThis as unknown as BrowserGlobals;
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'text/csv' }));
      return dt;
    },
    { name, text },
  );
  await page.dispatchEvent('[data-testid=settlement-dropzone]', 'drop', { dataTransfer });
}

const payoutRow = (page: Page, payoutId: string) => page.getByRole('table', { name: /^Payouts/ }).getByRole('row').filter({ has: page.getByRole('link', { name: payoutId, exact: true }) });

describe('the payouts pages', () => {
  it('an owner uploads a settlement file, sees its payouts reach booked and opens one into its lines and the orders they settled', async () => {
    const owner = await createPerson(h, { role: 'owner' });
    const shop = await shopWithBookedSales(owner);
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, baseUrl, owner.email, owner.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payouts' }).click();
    await page.getByRole('heading', { name: 'Payouts', level: 1 }).waitFor();
    await page.getByText('No payouts yet.').waitFor();
    await expect(page.getByLabel('Acquirer connection').inputValue()).resolves.toBe(shop.connectionId);

    // A malformed file, chosen with the file picker (the keyboard's way): refused whole, naming its line and why.
    await page.getByLabel('Or choose a file').setInputFiles({ name: 'danish-export-corrupt.csv', mimeType: 'text/csv', buffer: Buffer.from(settlements('danish-export-corrupt.csv')) });
    const refusal = page.getByRole('alert').filter({ hasText: 'refused' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('danish-export-corrupt.csv was refused at line 4:');
    expect(await refusal.innerText()).toContain('Transaction date "31.11.2026" is not a real date');
    expect(await refusal.innerText()).toContain('Nothing of the file was booked.');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'payouts-refused-file');

    // The good file, dropped on the zone: read, and its two payouts appear and reach their states without a reload.
    await dropFile(page, 'danish-export.csv', settlements('danish-export.csv'));
    await page.getByRole('status').filter({ hasText: 'danish-export.csv is read: 2 payouts (2 new)' }).waitFor();
    await expect(refusal.count()).resolves.toBe(0);
    const booked = payoutRow(page, '8812001');
    await booked.getByText('Booked').waitFor();
    expect(await booked.getByRole('cell').nth(3).innerText()).toBe(dkk(95_600));
    const failed = payoutRow(page, '8812002');
    await failed.getByText('Failed').waitFor();
    expect(await failed.innerText()).toContain(formatMoney(5_885, 'EUR', 'en-GB'));
    expect(await failed.innerText()).toContain('the acquirer gave no exchange rate for this payout');
    await failed.getByRole('button', { name: 'Restart payout 8812002' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'payouts-list');

    // Filtered to the failed ones.
    await page.getByLabel('State').selectOption('failed');
    await page.getByRole('table', { name: 'Payouts: Failed' }).waitFor();
    await payoutRow(page, '8812001').waitFor({ state: 'detached' });
    await expect(payoutRow(page, '8812002').count()).resolves.toBe(1);
    await page.getByLabel('State').selectOption('all');

    // The booked payout's page: every line with the order it settled, fees, the bank line, the error account's line and why.
    await payoutRow(page, '8812001').getByRole('link', { name: '8812001' }).click();
    await page.getByRole('heading', { name: /^Payout 8812001/, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'How it is booked' }).waitFor();
    const booking = page.getByRole('table', { name: "The payout's voucher, summed" });
    const bookingRow = async (label: string) => (await booking.getByRole('row', { name: new RegExp(`^${label}`) }).innerText()).split('\t').map((s) => s.trim());
    expect(await bookingRow('Paid out to the bank')).toEqual(['Paid out to the bank', 'Account 5820', dkk(95_600)]);
    expect(await bookingRow('Fees kept by the acquirer')).toEqual(['Fees kept by the acquirer', 'Account 3630', dkk(6_900)]);
    expect(await bookingRow('3 payments and refunds settled')).toEqual(['3 payments and refunds settled', "The acquirer's receivable", dkk(132_500)]);
    expect(await bookingRow('1 line to the error account')).toEqual(['1 line to the error account', 'Account 5890', dkk(-30_000)]);
    const errorLines = page.getByRole('list').filter({ hasText: 'Line 5' });
    expect(await errorLines.innerText()).toBe(`Line 5 (${dkk(-30_000)}) chargeback: no booked payment of this acquirer with transaction 0262a3f1e9a04c7c8c2b1d0e5f6a7b90, or order reference 998, so nobody can say which sale it disputes`);

    const lines = page.getByRole('table', { name: "The payout's lines and what each settled" });
    const line = (n: number) => lines.getByRole('row').filter({ has: page.getByRole('cell', { name: String(n), exact: true }) });
    await expect(line(2).getByRole('link', { name: 'Order #1001' }).getAttribute('href')).resolves.toBe('/app/sales/orders/1001');
    expect(await line(2).innerText()).toContain(dkk(10_000));
    expect(await line(2).innerText()).toContain('matched by transaction');
    await expect(line(3).getByRole('link', { name: 'Order #1002' }).getAttribute('href')).resolves.toBe('/app/sales/orders/1002');
    expect(await line(3).innerText()).toContain(dkk(125_000));
    expect(await line(3).innerText()).toContain(dkk(1_875));
    await expect(line(4).getByRole('link', { name: 'Refund R-1001' }).getAttribute('href')).resolves.toBe('/app/sales/refunds/R-1001');
    await expect(line(4).getByRole('link', { name: 'Order #1001' }).getAttribute('href')).resolves.toBe('/app/sales/orders/1001');
    expect(await line(4).innerText()).toContain(dkk(-2_500));
    expect(await line(5).innerText()).toContain('Error account');
    expect(await line(6).innerText()).toContain(dkk(4_900));
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'payout-page');

    // In Danish, money reads as Danish money.
    await page.getByLabel('Language').selectOption('da');
    await page.getByRole('heading', { name: 'Sådan er den bogført' }).waitFor();
    expect((await page.getByRole('table', { name: 'Udbetalingens bilag, summeret' }).getByRole('row', { name: /^Udbetalt til banken/ }).innerText()).replace(/\s+/g, ' ')).toContain('956,00 kr.');
    await screenshot(page, 'payout-page-da');
    await page.getByLabel('Sprog').selectOption('en');

    // The failed payout's page says why and what to do, and restarts it.
    await page.goto(`${baseUrl}/app/payouts/${shop.connectionId}/8812002`);
    await page.getByRole('heading', { name: /^Payout 8812002/ }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'What to do:' }).waitFor();
    await page.getByRole('button', { name: 'Restart' }).click();
    await page.getByRole('status').filter({ hasText: 'Payout 8812002 restarted.' }).waitFor();
    await page.getByText('Not matched yet').first().waitFor();
    await screenshot(page, 'payout-page-failed');
    await context.close();
  });

  it('a viewer sees the payouts and their lines but no upload, restart or book', async () => {
    const owner = await createPerson(h, { role: 'owner' });
    const shop = await shopWithBookedSales(owner);
    const upload = await h.app.inject({
      method: 'POST',
      url: `/v1/acquirers/${shop.connectionId}/settlements`,
      headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' },
      payload: settlements('danish-export.csv'),
    });
    expect(upload.statusCode, upload.body).toBe(202);
    await shop.api.payoutReaches(shop.connectionId, '8812002', 'failed');

    const viewer = await createPerson(h, { role: 'viewer', merchantId: owner.merchantId });
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, baseUrl, viewer.email, viewer.password);
    await page.goto(`${baseUrl}/app/payouts`);
    await payoutRow(page, '8812002').getByText('Failed').waitFor();
    await expect(page.getByRole('heading', { name: 'Upload a settlement file' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /Restart|Book/ }).count()).resolves.toBe(0);
    await page.goto(`${baseUrl}/app/payouts/${shop.connectionId}/8812002`);
    await page.getByRole('alert').filter({ hasText: 'What to do:' }).waitFor();
    await expect(page.getByRole('button', { name: /Restart|Book/ }).count()).resolves.toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
  it('a bookkeeper pages through held-back payouts and books one, which turns Booked without a reload', async () => {
    const owner = await createPerson(h, { role: 'owner' });
    // Automatic transfer not activated: payouts are registered and held back until someone books them.
    const shop = await h.createShop({ name: 'Fjord Kaffe', mapping: danishMapping, merchantId: owner.merchantId, transfer: 'held' });
    const api = shopClient(h, shop.apiKey);
    const connectionId = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;
    const ids = Array.from({ length: 27 }, (_, i) => `H-${String(i + 1).padStart(2, '0')}`);
    const line = { type: 'payment', amount: 1_000, fee: 10, currency: 'DKK', transactionId: 'txn-unknown', date: '2026-11-02' };
    const posted = await api.call('POST', `/v1/acquirers/${connectionId}/payouts`, { payouts: ids.map((payoutId) => ({ payoutId, currency: 'DKK', paidOutAt: '2026-11-04', netAmount: 990, lines: [line] })) });
    expect(posted.statusCode, posted.body).toBe(202);
    for (const id of ids) await api.payoutReaches(connectionId, id, 'registered');

    const bookkeeper = await createPerson(h, { role: 'bookkeeper', merchantId: owner.merchantId });
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, baseUrl, bookkeeper.email, bookkeeper.password);
    await page.goto(`${baseUrl}/app/payouts?state=registered`);
    // A bookkeeper may upload: the upload is there (this shop has no file connection yet, so it says where to add one).
    await page.getByRole('heading', { name: 'Upload a settlement file' }).waitFor();
    await page.getByText("None of the shop's acquirer connections takes settlement files.").waitFor();
    const table = page.getByRole('table', { name: 'Payouts: Held back' });
    await payoutRow(page, 'H-25').waitFor();
    await expect(table.getByRole('row').count()).resolves.toBe(26); // the heading row and 25 payouts
    await page.getByRole('button', { name: 'Next' }).click();
    await payoutRow(page, 'H-27').waitFor();
    await expect(table.getByRole('row').count()).resolves.toBe(3);
    expect(await page.getByText('Page 2').count()).toBe(1);
    await page.getByRole('button', { name: 'Previous' }).click();
    await payoutRow(page, 'H-01').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    await payoutRow(page, 'H-27').getByRole('link', { name: 'H-27' }).click();
    await page.getByRole('heading', { name: /^Payout H-27/ }).getByText('Held back').waitFor();
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Payout H-27 is sent to the ledger.' }).waitFor();
    await page.getByRole('heading', { name: /^Payout H-27/ }).getByText('Booked').waitFor();
    // Nothing matched its line: the error account took it, with the reason.
    await page.getByRole('heading', { name: 'How it is booked' }).waitFor();
    expect(await page.getByRole('list').filter({ hasText: 'Line 1' }).innerText()).toMatch(/payment: no open invoice payment with transaction txn-unknown/);
    await expect(page.getByRole('button', { name: 'Book', exact: true }).count()).resolves.toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
