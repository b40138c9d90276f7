import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, screenshot } from '../support/browser';
import { useAppStack } from '../support/app-stack';

let browser: Browser;
let baseUrl: string;
useAppStack((stack) => ({ browser, baseUrl } = stack));

describe('the web app under /app', () => {
  it('serves the app for any of its paths, so a bookmarked page reloads, with a strict content security policy', async () => {
    for (const path of ['/app/', '/app/sales', '/app/payouts/c1/p1']) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<div id="root">');
    }
    expect((await fetch(`${baseUrl}/`, { redirect: 'manual' })).headers.get('location')).toBe('/app/');
    expect((await fetch(`${baseUrl}/app/assets/missing.js`)).status).toBe(404);
    // The app's script goes compressed to a browser that accepts it (compressed at build, not per request).
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${baseUrl}/app/`)).text())![1];
    const plain = await fetch(`${baseUrl}${script}`, { headers: { 'accept-encoding': 'identity' } });
    const packed = await fetch(`${baseUrl}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(packed.headers.get('content-encoding')).toBe('br');
    expect(Number(packed.headers.get('content-length'))).toBeLessThan(Number(plain.headers.get('content-length')) / 2);
    expect(await packed.text()).toBe(await plain.text());
    // The API is still the API: an unknown /v1 route answers JSON, not the app.
    const api = await fetch(`${baseUrl}/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sends a person who is not signed in to the sign-in page, labelled for screen readers, in their language', async () => {
    const context = await browser.newContext({ locale: 'da-DK' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/app/sales`);
    await page.getByRole('heading', { name: 'Log ind' }).waitFor();
    expect(page.url()).toBe(`${baseUrl}/app/sign-in`);
    await expect(page.getByLabel('Adgangskode').getAttribute('type')).resolves.toBe('password');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-da');
    await context.close();
  });
});
