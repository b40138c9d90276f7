import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ledgerAccounts, shops } from '../../db/schema';
import { shopClient } from '../support/api';
import { accessibilityViolations, screenshot, signIn } from '../support/browser';
import { ECONOMIC_TOKENS, economicProducts, startFakeEconomic } from '../support/fake-ledgers/economic';
import { danishMapping } from '../support/fixtures';
import type { Harness } from '../support/harness';
import { useAppStack } from '../support/app-stack';
import { createPerson, type Person } from '../support/people';

let h: Harness;
let browser: Browser;
let baseUrl: string;
useAppStack((stack) => ({ h, browser, baseUrl } = stack));

/** The step's card, once its heading names it. */
async function openStep(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Setup steps' }).getByRole('link', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { name: new RegExp(`Step \\d of 5: ${name}`) }).waitFor();
}

/** Each of the six templates, as a person picks it from the ledger's chart. */
const templates = [
  ['Goods, Domestic', '1010', 'S25'],
  ['Goods, EU', '1020', 'EU0'],
  ['Goods, Outside EU', '1030', 'EXP0'],
  ['Shipping, Domestic', '1110', 'S25'],
  ['Shipping, EU', '1120', 'EU0'],
  ['Shipping, Outside EU', '1130', 'EXP0'],
] as const;

describe('the setup page', () => {
  let owner: Person;
  let shopId: string;

  it('guides an owner with no shop from creating it through the five steps, and shows what is saved after a reload', async () => {
    owner = await createPerson(h, { merchant: 'Setup Merchant ApS', role: 'owner' });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    await signIn(page, baseUrl, owner.email, owner.password);

    // No shop yet: the owner creates one and lands on its setup.
    await page.getByRole('heading', { name: 'Create your shop' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-0-create-shop');
    await page.getByLabel('Shop name').fill('Setup Test Shop');
    await page.getByLabel('Currency of the books').selectOption('DKK');
    await page.getByRole('button', { name: 'Create the shop' }).click();
    await page.getByRole('heading', { name: 'Step 1 of 5: Connect the ledger' }).waitFor();
    const [shop] = await h.db.select({ id: shops.id }).from(shops).where(eq(shops.name, 'Setup Test Shop'));
    shopId = shop!.id;
    expect(page.url()).toContain('/app/setup');

    // Step 1: the local ledger; the setup check waits for a mapping.
    await page.getByLabel('Accounting system').selectOption('local');
    await page.getByRole('button', { name: 'Use the local ledger' }).click();
    await page.getByRole('status').getByText('Connected: Local ledger (built in).').waitFor();
    await page.getByText('Save the enrichment templates (step 2)').waitFor();
    // Each system says which keys it takes and where to find them; secrets are password fields, never filled back.
    await page.getByLabel('Accounting system').selectOption('e-conomic');
    await page.getByText('the Agreement Grant Token appears when you add the app under Settings → Apps').waitFor();
    expect(await page.getByLabel('Agreement Grant Token').getAttribute('type')).toBe('password');
    await page.getByLabel('Journal (daybook) number').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-1-ledger-economic-form');
    await page.getByLabel('Accounting system').selectOption('local');
    await screenshot(page, 'setup-1-ledger');

    // Step 2: the six templates from the ledger's chart. Left without a rounding account, the API's reason shows there.
    await openStep(page, 'Enrichment templates');
    for (const [name, account, vat] of templates) {
      await page.getByLabel(`${name}: account`).selectOption(account);
      await page.getByLabel(`${name}: VAT code`).selectOption(vat);
    }
    // The dropdowns hold the ledger's accounts by number and name.
    expect(await page.getByLabel('Goods, Domestic: account').locator('option:checked').textContent()).toBe('1010 — Sales of goods, domestic');
    for (const code of ['S25', 'EU0', 'EXP0']) await page.getByLabel(`${code}: output VAT account`).selectOption('7230');
    expect(await page.getByLabel('S25: rate in percent').inputValue()).toBe('25');
    await page.getByLabel('Customer receivables').selectOption('5600');
    await page.getByLabel('Bank').selectOption('5820');
    await page.getByLabel('Acquirer fees').selectOption('3630');
    await page.getByLabel('Error account').selectOption('5890');
    expect(await page.getByLabel('Home country of the company').inputValue()).toBe('DK');
    await page.getByRole('button', { name: 'Save the templates' }).click();
    const rounding = page.locator('.field', { has: page.getByLabel('Rounding', { exact: true }) });
    await rounding.locator('.field-error').waitFor();
    expect(await page.getByLabel('Rounding', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'setup-2-templates-refused');
    await page.getByLabel('Rounding', { exact: true }).selectOption('3690');
    await page.getByRole('button', { name: 'Save the templates' }).click();
    await page.getByRole('status').getByText('The templates are saved.').waitFor();
    await page.getByRole('link', { name: /Enrichment templates\s*Done/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-2-templates');

    // Step 3: visa is paid out by Nets, its claim held on the Nets receivable.
    await openStep(page, 'Payment methods');
    await page.getByLabel('Payment method 1', { exact: true }).fill('visa');
    await page.getByLabel('Acquirer of payment method 1').fill('nets');
    await page.getByLabel('Receivable account of payment method 1').selectOption('5815');
    await page.getByRole('button', { name: 'Save the payment methods' }).click();
    await page.getByRole('status').getByText('The payment methods are saved.').waitFor();
    await page.getByLabel('nets: fee account').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-3-methods');

    // Step 4: Shopify; the webhook address to copy appears once the secret is saved.
    await openStep(page, 'Sales channel');
    await page.getByLabel('Webshop platform').selectOption('shopify');
    await page.getByLabel('Webhook secret').fill('shpss_setup_secret_1234');
    await page.getByRole('button', { name: 'Save the channel' }).click();
    await page.getByRole('status').getByText('The channel is saved.').waitFor();
    const address = page.getByLabel('Webhook address');
    await address.waitFor();
    expect(await address.inputValue()).toBe(`${baseUrl}/v1/channels/shopify/${shopId}`);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${baseUrl}/v1/channels/shopify/${shopId}`);
    expect(await page.getByLabel('Webhook secret').inputValue()).toBe('');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-4-channel');

    // Step 5: Nets, whose payouts come as settlement files here.
    await openStep(page, 'Acquirers');
    await page.getByText('Your payment methods name these acquirers: nets.').waitFor();
    await page.getByLabel('Acquirer', { exact: true }).fill('nets');
    await page.getByLabel('Payouts come from').selectOption('generic');
    await page.getByText('upload its CSV settlement file on the Payouts page').waitFor();
    await page.getByRole('button', { name: 'Connect the acquirer' }).click();
    await page.getByRole('status').getByText('The acquirer is connected.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-5-acquirers');

    // What the API holds is what was picked.
    const [saved] = await h.db.select({ mapping: shops.mapping }).from(shops).where(eq(shops.id, shopId));
    expect(saved!.mapping).toMatchObject({
      homeCountry: 'DK',
      readyStatuses: ['paid'],
      goods: { domestic: { account: '1010', vatCode: 'S25' }, eu: { account: '1020', vatCode: 'EU0' }, outsideEu: { account: '1030', vatCode: 'EXP0' } },
      shipping: { domestic: { account: '1110', vatCode: 'S25' }, eu: { account: '1120', vatCode: 'EU0' }, outsideEu: { account: '1130', vatCode: 'EXP0' } },
      vatCodes: { S25: { rate: 25, account: '7230' }, EU0: { rate: 0, account: '7230' }, EXP0: { rate: 0, account: '7230' } },
      paymentMethods: { visa: { acquirer: 'nets', receivableAccount: '5815' } },
      accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690' },
    });

    // A reload shows the saved values, step by step.
    await page.goto(`${baseUrl}/app/setup?step=templates`);
    await page.getByRole('heading', { name: 'Step 2 of 5: Enrichment templates' }).waitFor();
    for (const [name, account, vat] of templates) {
      await expect.poll(() => page.getByLabel(`${name}: account`).inputValue()).toBe(account);
      expect(await page.getByLabel(`${name}: VAT code`).inputValue()).toBe(vat);
    }
    expect(await page.getByLabel('Rounding', { exact: true }).inputValue()).toBe('3690');
    await page.goto(`${baseUrl}/app/setup?step=methods`);
    await expect.poll(() => page.getByLabel('Payment method 1', { exact: true }).inputValue()).toBe('visa');
    expect(await page.getByLabel('Acquirer of payment method 1').inputValue()).toBe('nets');
    expect(await page.getByLabel('Receivable account of payment method 1').inputValue()).toBe('5815');
    await page.goto(`${baseUrl}/app/setup?step=channel`);
    await page.getByText('Orders come from Shopify.').waitFor();
    expect(await page.getByLabel('Webshop platform').inputValue()).toBe('shopify');

    // An account removed from the ledger: the setup check names it, and the local ledger creates it on request.
    const [ledger] = await h.db.select({ id: shops.ledgerId }).from(shops).where(eq(shops.id, shopId));
    await h.db.delete(ledgerAccounts).where(and(eq(ledgerAccounts.ledgerId, ledger!.id!), eq(ledgerAccounts.number, '5815')));
    await page.goto(`${baseUrl}/app/setup?step=ledger`);
    await page.getByText('Accounts: 5815').waitFor();
    await page.getByRole('link', { name: /Connect the ledger\s*To do/ }).waitFor();
    await screenshot(page, 'setup-1-ledger-missing');
    await page.getByRole('button', { name: 'Create the missing accounts' }).click();
    await page.getByText('Created 1 account: 5815.').waitFor();
    await page.getByText('Every account and VAT code the mapping names exists in the ledger.').waitFor();
    await page.getByRole('link', { name: /Connect the ledger\s*Done/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-1-ledger-checked');
    await context.close();
  });

  it('shows a bookkeeper every step read-only', async () => {
    const bookkeeper = await createPerson(h, { merchantId: owner.merchantId, role: 'bookkeeper' });
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, baseUrl, bookkeeper.email, bookkeeper.password);
    await page.goto(`${baseUrl}/app/setup?step=templates`);
    await page.getByText('Only an owner can change the setup.').waitFor();
    await expect.poll(() => page.getByLabel('Goods, Domestic: account').inputValue()).toBe('1010');
    expect(await page.getByLabel('Goods, Domestic: account').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save the templates' }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'setup-readonly-templates');
    await page.goto(`${baseUrl}/app/setup?step=ledger`);
    await page.getByText('An owner runs the setup check against the ledger.').waitFor();
    expect(await page.getByLabel('Accounting system').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /Connect|Use the local ledger/ }).count()).toBe(0);
    await page.goto(`${baseUrl}/app/setup?step=methods`);
    await expect.poll(() => page.getByLabel('Payment method 1', { exact: true }).inputValue()).toBe('visa');
    expect(await page.getByLabel('Payment method 1', { exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'setup-readonly-methods');
    await context.close();
  });

  it('reads back a ledger connection and a channel without their secrets, and lists the ledger system’s chart', async () => {
    const fake = await startFakeEconomic();
    try {
      const shop = await h.createShop({ mapping: danishMapping, ledger: { currency: 'DKK' } });
      const api = shopClient(h, shop.apiKey);
      expect((await api.call('GET', '/v1/ledger/connection')).json()).toEqual({ system: 'local', settings: null, credentialsSaved: false });
      const local = (await api.call('GET', '/v1/ledger/accounts')).json();
      expect(local.createsAccounts).toBe(true);
      expect(local.accounts).toContainEqual({ number: '5815', name: 'Receivable Nets' });
      expect(local.vatCodes).toContainEqual({ code: 'S25', rate: 25, name: null });

      const settings = { journalNumber: 1, layoutNumber: 19, paymentTermsNumber: 1, customerGroupNumber: 1, customerMode: 'per_customer', products: economicProducts, baseUrl: fake.url };
      const put = await api.call('PUT', '/v1/ledger/connection', { system: 'e-conomic', credentials: ECONOMIC_TOKENS, settings });
      expect(put.statusCode, put.body).toBe(200);
      const view = await api.call('GET', '/v1/ledger/connection');
      expect(view.json()).toMatchObject({ system: 'e-conomic', settings: { journalNumber: 1, products: economicProducts }, credentialsSaved: true });
      for (const secret of Object.values(ECONOMIC_TOKENS)) expect(view.body).not.toContain(secret);
      const chart = (await api.call('GET', '/v1/ledger/accounts')).json();
      expect(chart).toMatchObject({ system: 'e-conomic', createsAccounts: false });
      expect(chart.accounts.map((a: { number: string }) => a.number)).toEqual(expect.arrayContaining(['1010', '5600', '5815', '7230']));
      expect(chart.vatCodes).toContainEqual({ code: 'S25', rate: 25, name: 'Salgsmoms 25%' });

      expect((await api.call('GET', '/v1/channel')).json()).toEqual({ platform: null, webhookUrl: null, storeUrl: null, restApi: { configured: false }, secretSaved: false });
      const secret = 'shpss_read_back_secret_99';
      expect((await api.call('PUT', '/v1/channel', { platform: 'shopify', secret })).statusCode).toBe(200);
      const channel = await api.call('GET', '/v1/channel');
      expect(channel.json()).toEqual({ platform: 'shopify', webhookUrl: `/v1/channels/shopify/${shop.shopId}`, storeUrl: null, restApi: { configured: false }, secretSaved: true });
      expect(channel.body).not.toContain(secret);
    } finally {
      await fake.close();
    }
  });
});
