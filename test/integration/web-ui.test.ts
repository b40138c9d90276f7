import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the Temporal Web UI', () => {
  it('lists a failed order when an operator filters BookingStatus="failed" and its order number', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('UI-7', 10_000, { orderNumber: '#7007', payment: { method: 'giftcard-x', amount: 10_000 } }));
    await api.orderReaches('UI-7', 'failed');
    await api.sendOrder(cardOrder('UI-8', 10_000, { orderNumber: '#7008' }));
    await api.orderReaches('UI-8', 'booked');

    const page = await browser.newPage();
    const query = `BookingStatus="failed" AND ShopId="${shop.shopId}" AND OrderNumber="#7007"`;
    const workflowId = `order/${shop.shopId}/UI-7`;
    // Visibility is eventually consistent: reload until the list shows the order.
    let found = false;
    for (let i = 0; i < 20 && !found; i++) {
      await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
      found = await page
        .getByText(workflowId)
        .first()
        .waitFor({ timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
    }
    await page.screenshot({ path: 'test-results/temporal-ui-failed-orders.png', fullPage: true }).catch(() => undefined);
    expect(found).toBe(true);
    expect(await page.getByText(`order/${shop.shopId}/UI-8`).count()).toBe(0);
    await page.close();
  });

  it("shows an operator a failed order's summary, error and fix on its page, and its booking after a restart", async () => {
    const shop = await h.createShop({ name: 'Nordlys Keramik', mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('UI-9', 10_000, { orderNumber: '#7009', payment: { method: 'giftcard-x', amount: 10_000 } }));
    await api.orderReaches('UI-9', 'failed');

    const page = await browser.newPage();
    const url = `${inject('temporalUiUrl')}/namespaces/default/workflows/${encodeURIComponent(`order/${shop.shopId}/UI-9`)}`;
    /** The workflow's User Metadata tab as a person reads it: the summary and current details render in frames. */
    const metadataText = async () => {
      await page.goto(url);
      await page.getByText('User Metadata', { exact: true }).first().click();
      await page.getByText('Current Details').first().waitFor({ timeout: 10_000 });
      return framesText();
    };
    /** A completed run's details come from a query the worker answers by replaying it: they may render late. */
    const framesText = async () => (await Promise.all(page.frames().map((f) => f.locator('body').innerText({ timeout: 3_000 }).catch(() => '')))).join('\n');
    const metadataShows = async (...wanted: string[]) => {
      let text = '';
      for (let i = 0; i < 10; i++) {
        text = await metadataText().catch(() => '');
        for (let look = 0; look < 20 && !wanted.every((w) => text.includes(w)); look++) {
          await page.waitForTimeout(500);
          text = await framesText();
        }
        if (wanted.every((w) => text.includes(w))) return text;
      }
      return text;
    };
    // What this is (order number and shop name, not ids alone), its state, the error and its fix.
    const failed = await metadataShows('Order #7009 · Nordlys Keramik', 'failed', 'unmapped_payment_method', 'Fix: Add the payment method to the mapping');
    await page.screenshot({ path: 'test-results/temporal-ui-failed-order.png', fullPage: true }).catch(() => undefined);
    expect(failed).toContain('Order #7009 · Nordlys Keramik');
    expect(failed).toMatch(/order #7009 \(UI-9\) of shop shop_\w+: failed/);
    expect(failed).toContain('Error unmapped_payment_method: The order was paid with a payment method that is not mapped');
    expect(failed).toContain('Fix: Add the payment method to the mapping under paymentMethods');

    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, 'giftcard-x': { acquirer: 'nets', receivableAccount: '5815' } } };
    expect((await api.call('PUT', '/v1/mapping', mapping)).statusCode).toBe(200);
    expect((await api.call('POST', '/v1/orders/UI-9/restart')).statusCode).toBe(202);
    await api.orderReaches('UI-9', 'booked');
    const booked = await metadataShows('of shop', ': booked');
    await page.screenshot({ path: 'test-results/temporal-ui-booked-order.png', fullPage: true }).catch(() => undefined);
    expect(booked).toMatch(/order #7009 \(UI-9\) of shop shop_\w+: booked/);
    expect(booked).not.toContain('unmapped_payment_method');
    await page.close();
  });
});
