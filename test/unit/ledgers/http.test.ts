import { describe, expect, it } from 'vitest';
import { HttpClient, lineQuantity, referenceTag, referenceUuid, vendorLines } from '../../../src/adapters/ledgers/http';
import { parseRetryAfter } from '../../../src/adapters/retry-after';
import { LedgerTransientError } from '../../../src/adapters/ledgers/port';
import { BookingError } from '../../../src/domain/errors';

const client = (respond: () => Response | Promise<Response>, over: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({
    vendor: 'Test',
    baseUrl: 'http://ledger.invalid',
    timeoutMs: 200,
    headers: () => ({ authorization: 'Bearer sekret-token' }),
    rejection: (res) => new BookingError('ledger_rejected', { status: res.status }),
    fetch: (async () => respond()) as typeof fetch,
    ...over,
  });

describe('the shared HTTP helper', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-04T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 04 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 04 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('2.0', now)).toBe(2_000); // Shopify's fractions, not a date in 2000
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('maps statuses: 401/403 credentials, 429 transient or quota, 5xx/409 transient, others to the vendor mapping', async () => {
    const answer = (status: number, headers: Record<string, string> = {}, body = '{"message":"x"}') => client(() => new Response(body, { status, headers }));
    await expect(answer(403).request('GET', '/a')).rejects.toMatchObject({ code: 'ledger_credentials_rejected' });
    const limited = await answer(429, { 'retry-after': '2' }).request('GET', '/a').catch((e) => e);
    expect(limited).toBeInstanceOf(LedgerTransientError);
    expect(limited.retryAfterMs).toBe(2_000);
    const quota = client(() => new Response('{"message":"daily limit"}', { status: 429 }), { isQuota: () => true });
    await expect(quota.request('GET', '/a')).rejects.toMatchObject({ code: 'quota_exhausted', details: { vendorMessage: 'daily limit' } });
    await expect(answer(503).request('GET', '/a')).rejects.toBeInstanceOf(LedgerTransientError);
    await expect(answer(409).request('POST', '/a')).rejects.toBeInstanceOf(LedgerTransientError);
    await expect(answer(422).request('POST', '/a')).rejects.toMatchObject({ code: 'ledger_rejected', details: { status: 422 } });
    expect((await answer(404).request('GET', '/a', { allow: [404] })).status).toBe(404);
  });

  it('turns network failures and timeouts into transient errors that do not carry the credentials', async () => {
    const down = client(() => Promise.reject(new TypeError('fetch failed')));
    const e = await down.request('GET', '/a').catch((x) => x);
    expect(e).toBeInstanceOf(LedgerTransientError);
    expect(e.message).not.toContain('sekret');
    const slow = client(() => new Promise<Response>(() => {}), {
      fetch: ((_u: unknown, init?: RequestInit) =>
        new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch,
    });
    await expect(slow.request('GET', '/a')).rejects.toThrow(/no answer within 200 ms/);
  });

  it('rejects an answer of an unexpected shape as ledger_rejected', async () => {
    const { z } = await import('zod');
    const c = client(() => new Response('{"id":"not-a-number"}', { status: 200 }));
    await expect(c.json(z.object({ id: z.number() }), 'GET', '/a')).rejects.toMatchObject({ code: 'ledger_rejected', details: { reason: 'unexpected response to GET /a' } });
  });

  it('tags references by kind and derives a stable UUID from them', () => {
    expect(referenceTag('invoice', '1001')).toBe('lb:inv:1001');
    expect(referenceTag('payment', '1001')).not.toBe(referenceTag('invoice', '1001'));
    const u = referenceUuid('credit_note', 'R1');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(referenceUuid('credit_note', 'R1')).toBe(u);
    expect(referenceUuid('credit_note', 'R2')).not.toBe(u);
  });

  it('keeps invoice line totals exact: uneven unit prices become 1 × total', () => {
    expect(lineQuantity(30_000, 3, 'Mug')).toEqual({ quantity: 3, unitPrice: 10_000, description: 'Mug' });
    expect(lineQuantity(10_000, 3, 'Mug')).toEqual({ quantity: 1, unitPrice: 10_000, description: '3 × Mug' });
    expect(lineQuantity(1_250, 0.5, 'Cheese')).toEqual({ quantity: 1, unitPrice: 1_250, description: '0.5 × Cheese' });
  });
});

describe('lines for a ledger that adds VAT itself', () => {
  const line = (net: number, vat: number, vatRate = 25) => ({ description: 'Tee', quantity: 1, account: '1010', vatCode: vatRate ? 'S25' : '', vatRate, net, vat });

  it("sends the net lines alone when the vendor's VAT per line comes to the shop's total", () => {
    expect(vendorLines({ lines: [line(8_000, 2_000)], total: 10_000, roundingAccount: '3690' })).toEqual([
      { quantity: 1, unitPrice: 8_000, description: 'Tee', account: '1010', vatCode: 'S25', vatRate: 25 },
    ]);
  });

  it("adds a rounding line when the vendor's VAT on the net price is an øre away from the VAT inside the gross price", () => {
    // 0.12 incl. 25 %: VAT 0.02 (0.024), net 0.10; the vendor adds 25 % of 0.10 = 0.025 → 0.03 and would bill 0.13.
    const lines = vendorLines({ lines: [line(10, 2), line(5_000, 0, 0)], total: 5_012, roundingAccount: '3690' });
    expect(lines.at(-1)).toEqual({ quantity: 1, unitPrice: -1, description: 'Rounding', account: '3690', vatCode: undefined });
    const vendorTotal = lines.reduce((a, l) => a + l.unitPrice * l.quantity + (l.vatCode ? Math.round((l.unitPrice * l.quantity) / 4) : 0), 0);
    expect(vendorTotal).toBe(5_012);
  });

  it("keeps the plan's own rounding (a shop total that differs from its lines) in the same line", () => {
    expect(vendorLines({ lines: [line(8_000, 2_000)], total: 10_001, roundingAccount: '3690' }).at(-1)).toMatchObject({ unitPrice: 1, account: '3690' });
  });
});
