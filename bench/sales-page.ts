/**
 * BENCH_SCENARIOS=sales-page npm run bench — how long the sales page takes to show its first page when the shop has
 * BENCH_SALES_ORDERS (default 2,000) orders, among BENCH_SALES_OTHER_ORDERS (default 20,000) of ten other shops in the
 * same database: Chromium, signed in as the shop's owner, from navigating to /app/sales until the table shows its
 * first page of rows; and the API's GET /v1/orders?sort=newest&limit=50 alone.
 *
 * The orders are written straight into the database as booking leaves them (the orders row with its vouchers, its
 * invoice and payment postings and a three-step timeline), not booked through the workflows: the page reads only
 * these rows, and booking 22,000 orders first would take this machine half an hour.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { bookingEvents, orders, postings } from '../db/schema';
import { launchBrowser, signIn } from '../test/support/browser';
import { median, shopTemplate } from './shared';
import type { Stack } from './stack';

const SHOP_ORDERS = Number(process.env.BENCH_SALES_ORDERS ?? 2000);
const OTHER_ORDERS = Number(process.env.BENCH_SALES_OTHER_ORDERS ?? 20000);
const RUNS = Number(process.env.BENCH_SALES_RUNS ?? 7);

export interface SalesPageResult {
  orders: number;
  otherShopsOrders: number;
  /** Navigation to /app/sales until the first page's rows show, the first time (nothing cached). */
  firstPageColdMs: number;
  /** The same, with the app's files in the browser cache: median and slowest of the runs after the first. */
  firstPageMedianMs: number;
  firstPageMaxMs: number;
  /** GET /v1/orders?sort=newest&limit=50 (total and facets included): median and slowest of 20. */
  apiMedianMs: number;
  apiMaxMs: number;
}

async function call<T>(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Orders of one shop as its bookings leave them: most booked with two vouchers, some failed, a few queued. */
async function seed(stack: Stack, shop: { shopId: string; ledgerId: string }, count: number, prefix: string) {
  const day = (i: number) => new Date(Date.UTC(2026, 10, 1) + Math.floor((i * 30 * 86_400_000) / count)).toISOString();
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    const docs = [];
    const events = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const orderId = `${prefix}${i}`;
      const total = 1_000 + (i % 50) * 100;
      const status = i % 100 === 7 ? 'failed' : i % 200 === 3 ? 'queued' : 'booked';
      const snapshot = {
        orderId,
        orderNumber: `#${10_000 + i}`,
        status: 'paid',
        createdAt: day(i),
        currency: 'DKK',
        customer: { name: 'Bench Customer' },
        deliveryCountry: 'DK',
        lines: [{ kind: 'goods', description: 'Mug', quantity: 1, unitPrice: total, vatRate: 25 }],
        total,
        payment: { method: status === 'failed' ? 'klarna' : 'visa', transactionId: `t-${orderId}`, amount: total },
      };
      const booked = status === 'booked';
      rows.push({
        shopId: shop.shopId,
        orderId,
        orderNumber: snapshot.orderNumber,
        ledgerId: shop.ledgerId,
        status,
        errorCode: status === 'failed' ? 'unmapped_payment_method' : null,
        errorDetails: status === 'failed' ? { method: 'klarna' } : null,
        currency: 'DKK',
        total,
        orderStatus: 'paid',
        snapshot,
        invoiceVoucherNumber: booked ? String(2 * i + 1) : null,
        paymentVoucherNumber: booked ? String(2 * i + 2) : null,
      });
      if (booked) {
        for (const kind of ['invoice', 'payment'] as const) {
          docs.push({ ledgerId: shop.ledgerId, kind, reference: orderId, documentId: randomBytes(4).toString('hex'), voucherNumber: String(2 * i + (kind === 'invoice' ? 1 : 2)), state: 'booked', amount: total, currency: 'DKK', orderId, orderNumber: snapshot.orderNumber });
        }
      }
      for (const step of booked ? ['queued', 'posting', 'booked'] : [status]) events.push({ shopId: shop.shopId, subject: 'order', subjectId: orderId, status: step, reason: null });
    }
    await stack.db.db.insert(orders).values(rows);
    if (docs.length) await stack.db.db.insert(postings).values(docs);
    await stack.db.db.insert(bookingEvents).values(events);
  }
  await stack.db.db.execute(sql`analyze`);
}

export async function salesPageBench(stack: Stack): Promise<SalesPageResult> {
  const admin = { authorization: `Bearer ${stack.adminKey}` };
  const { merchantId } = await call<{ merchantId: string }>(`${stack.api}/v1/admin/merchants`, { method: 'POST', headers: admin, body: { name: 'Bench Merchant ApS' } });
  const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'bench password 2026';
  const { resetLink } = await call<{ resetLink: string }>(`${stack.api}/v1/admin/merchants/${merchantId}/people`, { method: 'POST', headers: admin, body: { email, name: 'Bench Owner', role: 'owner' } });
  await call(`${stack.api}/v1/session/password`, { method: 'POST', body: { token: new URL(resetLink).searchParams.get('token'), password } });
  const shop = await call<{ shopId: string; ledgerId: string; apiKey: string }>(`${stack.api}/v1/admin/shops`, { method: 'POST', headers: admin, body: { ...shopTemplate, name: 'Bench shop', merchantId } });
  console.log(`  sales page: seeding ${SHOP_ORDERS} orders in the shop and ${OTHER_ORDERS} in ten others`);
  await seed(stack, shop, SHOP_ORDERS, 'S-');
  for (let s = 0; s < 10; s++) {
    const other = await call<{ shopId: string; ledgerId: string }>(`${stack.api}/v1/admin/shops`, { method: 'POST', headers: admin, body: { ...shopTemplate, name: `Other ${s}` } });
    await seed(stack, other, OTHER_ORDERS / 10, `X${s}-`);
  }

  const api: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const page = await call<{ orders: unknown[]; total: number }>(`${stack.api}/v1/orders?sort=newest&limit=50`, { headers: { authorization: `Bearer ${shop.apiKey}` } });
    api.push(performance.now() - t0);
    if (page.total !== SHOP_ORDERS || page.orders.length !== 50) throw new Error(`the list answered ${page.orders.length} of ${page.total}`);
  }

  const browser = await launchBrowser();
  const times: number[] = [];
  try {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, stack.api, email, password);
    // The first run after sign-in fetches the page's files from the browser cache the sign-in filled; a fresh context
    // (empty cache, the session cookie copied) measures the cold one.
    const cold = await browser.newContext({ locale: 'en-GB', storageState: await context.storageState() });
    const coldPage = await cold.newPage();
    const measure = async (p: typeof page) => {
      const t0 = performance.now();
      await p.goto(`${stack.api}/app/sales`);
      // The first page is shown when its 50th row is.
      await p.getByRole('table', { name: 'Orders, newest first' }).getByRole('row').nth(50).waitFor({ timeout: 30_000 });
      return performance.now() - t0;
    };
    times.push(await measure(coldPage));
    await cold.close();
    for (let i = 0; i < RUNS; i++) times.push(await measure(page));
  } finally {
    await browser.close();
  }
  const warm = times.slice(1);
  return {
    orders: SHOP_ORDERS,
    otherShopsOrders: OTHER_ORDERS,
    firstPageColdMs: Math.round(times[0]!),
    firstPageMedianMs: Math.round(median(warm)),
    firstPageMaxMs: Math.round(Math.max(...warm)),
    apiMedianMs: Number(median(api).toFixed(1)),
    apiMaxMs: Number(Math.max(...api).toFixed(1)),
  };
}
