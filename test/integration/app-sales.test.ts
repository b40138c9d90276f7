import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { accessibilityViolations, screenshot, signIn } from '../support/browser';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { useAppStack } from '../support/app-stack';
import { createPerson } from '../support/people';

/** The sales and refunds pages of the shop owner's app (issue 14), driven in Chromium as a person uses them. */
let h: Harness;
let browser: Browser;
let baseUrl: string;
useAppStack((stack) => ({ h, browser, baseUrl } = stack));

const klarna = { acquirer: 'klarna', receivableAccount: '5815' };
const paidWith = (method: string, total: number, id: string) => ({ payment: { method, transactionId: `txn-${id}`, amount: total } });
const dkk = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'DKK' }).format(minor / 100);

async function openSales(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sales and refunds' }).click();
  return page.getByRole('table', { name: 'Orders, newest first' });
}

describe('sales and refunds', () => {
  it('shows an owner a booked order with its vouchers and a failed one with its fix; restarting it from the table turns it booked without a reload', async () => {
    const owner = await createPerson(h, { role: 'owner', merchant: 'Nordlys Keramik ApS' });
    const shop = await h.createShop({ name: 'Nordlys Keramik', merchantId: owner.merchantId, mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('1001', 12_345, { createdAt: '2026-11-02T10:00:00Z' }));
    await api.orderReaches('1001', 'booked');
    await api.sendOrder(cardOrder('1002', 5_000, { createdAt: '2026-11-03T10:00:00Z', ...paidWith('klarna', 5_000, '1002') }));
    await api.orderReaches('1002', 'failed');
    await api.sendRefund(refundOf('R-1', '1001', 2_345));
    await api.refundReaches('R-1', 'booked');

    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, baseUrl, owner.email, owner.password);
    const table = await openSales(page);
    const booked = table.getByRole('row').filter({ hasText: 'Order #1001' });
    const failed = table.getByRole('row').filter({ hasText: 'Order #1002' });
    await booked.getByText('Booked').waitFor();
    await expect(booked.textContent()).resolves.toContain('Invoice 1 · Payment 2');
    await expect(booked.textContent()).resolves.toContain(dkk(12_345));
    await failed.getByText('Failed').waitFor();
    await expect(failed.textContent()).resolves.toContain('Add the payment method to the mapping under paymentMethods');
    // Newest first: the failed order of 3 November above the booked one of 2 November.
    await expect(table.getByRole('link').allTextContents()).resolves.toEqual(['Order #1002', 'Order #1001']);
    await page.getByText('1–2 of 2').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sales-list');

    // The owner maps the payment method (through the API here), then ticks the order and restarts it.
    const mapped = await api.call('PUT', '/v1/mapping', { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, klarna } });
    expect(mapped.statusCode, mapped.body).toBe(200);
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    await failed.getByRole('checkbox', { name: 'Select Order #1002' }).check();
    await page.getByRole('region', { name: 'Selected' }).getByText('1 selected on this page.').waitFor();
    await screenshot(page, 'sales-selected');
    await page.getByRole('button', { name: 'Restart 1 failed' }).click();
    await failed.getByText('Booked').waitFor({ timeout: 60_000 });
    // Its invoice (3) was booked before the payment failed; 4 and 5 went to the refund's credit note and payment.
    await expect(failed.textContent()).resolves.toContain('Invoice 3 · Payment 6');
    await page.getByRole('status').filter({ hasText: 'Done: 1 handled' }).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Restart' }).getAttribute('aria-valuenow')).toBe('1');
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sales-restarted');

    // The filters: failed ones are gone, the search finds one order.
    await page.getByLabel('State').selectOption('failed');
    await table.getByText('No orders match the filter.').waitFor();
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Order number').fill('1001');
    await table.getByRole('link').filter({ hasText: 'Order #1002' }).waitFor({ state: 'detached' });
    await page.getByText('1–1 of 1').waitFor();

    // The order's page: its documents and its timeline.
    await table.getByRole('link', { name: 'Order #1001' }).click();
    await page.getByRole('heading', { name: 'Order #1001' }).waitFor();
    const documents = page.getByRole('table', { name: 'Documents' });
    await expect(documents.getByRole('row', { name: /Invoice/ }).textContent()).resolves.toContain('1');
    await expect(documents.getByRole('row', { name: /Invoice/ }).textContent()).resolves.toContain('Booked');
    const timeline = page.getByRole('region', { name: 'Timeline' }).getByRole('listitem');
    await timeline.filter({ hasText: 'Booked' }).waitFor();
    const steps = await timeline.allTextContents();
    // Queued until the ledger's batch answers (the batch writes no status of its own), then booked.
    expect(steps.map((s) => ['Queued', 'Posting', 'Booked'].find((state) => s.includes(state)))).toEqual(['Queued', 'Booked']);
    await page.getByRole('region', { name: 'Refunds' }).getByRole('link', { name: 'R-1' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sales-order');

    // Refunds likewise: listed with their order, and a page of their own.
    await page.getByRole('region', { name: 'Refunds' }).getByRole('link', { name: 'R-1' }).click();
    await page.getByRole('heading', { name: 'Refund R-1 of order #1001' }).waitFor();
    await expect(page.getByRole('table', { name: 'Documents' }).textContent()).resolves.toContain('Credit note');
    await page.getByRole('link', { name: 'Back to sales and refunds' }).click();
    const refunds = page.getByRole('table', { name: 'Refunds, newest first' });
    await refunds.getByRole('row').filter({ hasText: 'Refund R-1 of order #1001' }).getByText('Booked').waitFor();
    await expect(refunds.textContent()).resolves.toContain(dkk(2_345));
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sales-refunds');
    await context.close();
  });

  it('shows a viewer the failed order and its fix, and no action to take', async () => {
    const viewer = await createPerson(h, { role: 'viewer', merchant: 'Fjord Tekstil AS' });
    const shop = await h.createShop({ name: 'Fjord Tekstil', merchantId: viewer.merchantId, mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('2001', 7_500, paidWith('paypal', 7_500, '2001')));
    await api.orderReaches('2001', 'failed');

    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, baseUrl, viewer.email, viewer.password);
    const table = await openSales(page);
    await table.getByRole('row').filter({ hasText: 'Order #2001' }).getByText('Failed').waitFor();
    expect(await table.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Restart/ }).count()).toBe(0);
    await table.getByRole('link', { name: 'Order #2001' }).click();
    await page.getByText('The order was paid with a payment method that is not mapped to an acquirer.').waitFor();
    await page.getByText('Add the payment method to the mapping under paymentMethods', { exact: false }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Restart' }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sales-order-viewer');
    // The API refuses the viewer too: hiding the button is not the only guard.
    const refused = await page.evaluate(async (shopId) => {
      const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
      const res = await fetch('/v1/orders/2001/restart', { method: 'POST', headers: { 'x-shop-id': shopId, 'x-csrf-token': session.csrfToken } });
      return res.status;
    }, shop.shopId);
    expect(refused).toBe(403);
    await context.close();
  });
});
