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
});
