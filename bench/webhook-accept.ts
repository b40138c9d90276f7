/**
 * Issue 16's target: a signed Shopify webhook is accepted (answered 202) in p99 < 50 ms at 200 webhooks/s, while the
 * backlog books. Sends BENCH_ACCEPT_ORDERS (default 600) orders/paid deliveries at BENCH_RATE through the API
 * process; the worker's intake relay hands them to Temporal meanwhile. Reports the answer's latency, how far the
 * relay was behind when the last webhook was answered, and when all were handed over and booked.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { and, count, eq, inArray } from 'drizzle-orm';
import { intakeHandoffs, orders } from '../db/schema';
import { percentile, shopTemplate } from './shared';
import type { Stack } from './stack';

const ORDERS = Number(process.env.BENCH_ACCEPT_ORDERS ?? 600);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECRET = 'shpss_bench0123456789abcdef0123456789';
const order = JSON.parse(readFileSync(new URL('../test/fixtures/channels/shopify/order-dk-discount-giftcard.json', import.meta.url), 'utf8'));

export interface WebhookAcceptResult {
  orders: number;
  rate: number;
  acceptP50Ms: number;
  acceptP99Ms: number;
  acceptMaxMs: number;
  /** Hand-offs still pending, and orders booked, when the last webhook was answered. */
  pendingAtLastAnswer: number;
  bookedAtLastAnswer: number;
  allHandedOverAfterMs: number;
  allBookedAfterMs: number;
}

/** Keep-alive connections, as Shopify's delivery workers hold them. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function deliver(url: string, raw: string, webhookId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(raw),
          'x-shopify-topic': 'orders/paid',
          'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw).digest('base64'),
          'x-shopify-webhook-id': webhookId,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(raw);
  });
}

export async function webhookAcceptBench(stack: Stack): Promise<WebhookAcceptResult> {
  const admin = { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' };
  const mapping = { ...shopTemplate.mapping, paymentMethods: { ...shopTemplate.mapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } } };
  const shop = (await (await fetch(`${stack.api}/v1/admin/shops`, { method: 'POST', headers: admin, body: JSON.stringify({ ...shopTemplate, name: 'Webhook accept', mapping }) })).json()) as { shopId: string; apiKey: string };
  const channel = await fetch(`${stack.api}/v1/channel`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ platform: 'shopify', secret: SECRET }),
  });
  if (!channel.ok) throw new Error(`PUT /v1/channel answered ${channel.status}`);
  const url = `${stack.api}/v1/channels/shopify/${shop.shopId}`;
  const db = stack.db.db;
  const pending = async () => (await db.select({ n: count() }).from(intakeHandoffs).where(eq(intakeHandoffs.shopId, shop.shopId)))[0]!.n;
  const booked = async () => (await db.select({ n: count() }).from(orders).where(and(eq(orders.shopId, shop.shopId), inArray(orders.status, ['booked']))))[0]!.n;

  const accept: number[] = [];
  const t0 = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const wait = t0 + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const raw = JSON.stringify({ ...order, id: 9_000_000 + i, name: `#B${i}`, order_number: 10_000 + i });
    const start = Date.now();
    sends.push(
      deliver(url, raw, `bench-${i}`).then((status) => {
        if (status !== 202) throw new Error(`webhook answered ${status}`);
        accept.push(Date.now() - start);
      }),
    );
  }
  await Promise.all(sends);
  const pendingAtLastAnswer = await pending();
  const bookedAtLastAnswer = await booked();
  let handedAt = 0;
  for (;;) {
    if (!handedAt && (await pending()) === 0) handedAt = Date.now();
    if ((await booked()) === ORDERS) break;
    if (Date.now() - t0 > 1_800_000) throw new Error(`only ${await booked()} of ${ORDERS} booked after 30 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    orders: ORDERS,
    rate: RATE,
    acceptP50Ms: percentile(accept, 50),
    acceptP99Ms: percentile(accept, 99),
    acceptMaxMs: Math.max(...accept),
    pendingAtLastAnswer,
    bookedAtLastAnswer,
    allHandedOverAfterMs: (handedAt || Date.now()) - t0,
    allBookedAfterMs: Date.now() - t0,
  };
}
