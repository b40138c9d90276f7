import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { count as rows, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shops } from '../../db/schema';
import { shopClient } from '../support/api';
import { changedTables, snapshotter, type Snapshot } from '../support/db-snapshot';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { operationsOf, requestsFor, shortly, type FuzzRequest, type Operation } from '../support/fuzz-requests';
import { eventually, startHarness, type Harness } from '../support/harness';
import { createPerson, signIn, type Signed } from '../support/people';
import { deepJsonText, garbageJson, hostileText, valid, type JsonSchema } from '../support/schema-fuzz';

/**
 * Thousands of malformed requests against every route of the OpenAPI document, through the real API, database and
 * Temporal: never a 5xx, every refusal in the stable error shape, and a refusal writes nothing.
 */

type Shop = Awaited<ReturnType<Harness['createShop']>>;
const SHOPIFY_SECRET = 'shpss_fuzz_5c1e0a7d9b3f4e21';
const WOO_SECRET = 'wc_fuzz_8d2b6f1e4a7c9035';

let h: Harness;
let shop: Shop; // every route's resources live here
let victim: Shop; // the admin routes rotate this one's keys
let shopifyShop: Shop;
let wooShop: Shop;
let ops: Operation[];
let session: Signed;
const connections = { json: '', quickpay: '', generic: '' };
let snap: { take(): Promise<Snapshot> };
/** The database as the previous input left it: nothing else writes to these shops while the worker is stopped. */
let last: Snapshot;
const statuses = new Map<string, Map<number, number>>();
let inputs = 0;

beforeAll(async () => {
  h = await startHarness();
  // The shop's owner, signed in: the merchant's routes (people, shops) are fuzzed through the session.
  const owner = await createPerson(h, { merchant: 'Fuzz ApS', role: 'owner' });
  session = await signIn(h, owner);
  [shop, victim, shopifyShop, wooShop] = await Promise.all([
    h.createShop({ mapping: danishMapping, merchantId: owner.merchantId }),
    h.createShop(),
    h.createShop({ mapping: danishMapping }),
    h.createShop({ mapping: danishMapping }),
  ]);
  const api = shopClient(h, shop.apiKey);
  await api.sendOrder(cardOrder('F-1', 10_000));
  await api.orderReaches('F-1', 'booked');
  await api.sendRefund(refundOf('F-R1', 'F-1', 2_000));
  await api.refundReaches('F-R1', 'booked');
  for (const source of ['json', 'quickpay', 'generic'] as const) {
    connections[source] = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source })).json().connectionId;
  }
  await api.call('PUT', `/v1/acquirers/${connections.generic}/csv-mapping`, {
    delimiter: ';',
    columns: { payoutId: 'payout', type: 'type', amount: 'amount', date: 'date' },
    types: { SALE: 'payment', FEE: 'fee' },
    currency: 'DKK',
  });
  await api.call('POST', `/v1/acquirers/${connections.json}/payouts`, {
    payouts: [{ payoutId: 'F-PO', currency: 'DKK', paidOutAt: '2026-11-04', netAmount: 10_000, lines: [{ type: 'payment', amount: 10_000, currency: 'DKK', transactionId: 'txn-F-1', date: '2026-11-02' }] }],
  });
  await eventually(async () => ((await api.call('GET', `/v1/payouts/${connections.json}/F-PO`)).json().status === 'booked' ? true : undefined));
  await shopClient(h, shopifyShop.apiKey).call('PUT', '/v1/channel', { platform: 'shopify', secret: SHOPIFY_SECRET });
  await shopClient(h, wooShop.apiKey).call('PUT', '/v1/channel', { platform: 'woocommerce', secret: WOO_SECRET });
  // From here on every database write comes from the request under test: without a worker, an input the API
  // accepts starts a booking that waits, instead of writing while the next input's snapshot is taken. The intake
  // relay stops too: it would hand a stored delivery over (and delete its hand-off) during the next input.
  await h.stopWorker();
  await h.stopRelay();
  snap = await snapshotter(h.db, [shop, victim, shopifyShop, wooShop].map((s) => s.shopId));
  last = await snap.take();
  ops = operationsOf((await h.app.inject({ method: 'GET', url: '/docs/json' })).json());
}, 180_000);

afterAll(async () => {
  const table = [...statuses].map(([route, byStatus]) => `${route.padEnd(52)} ${[...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  console.log(`API fuzz: ${inputs} inputs\n${table.join('\n')}`);
  await h?.close();
});

const count = (route: string, status: number) => {
  inputs++;
  const byStatus = statuses.get(route) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  statuses.set(route, byStatus);
};

/** A refusal in the one error shape: a stable code, a message, and for invalid input each field's path. */
function expectErrorShape(res: { statusCode: number; body: string }, what: string) {
  let body: { error?: { code?: unknown; message?: unknown; issues?: { path: unknown; message: unknown }[] } };
  try {
    body = JSON.parse(res.body);
  } catch {
    throw new Error(`${what}: ${res.statusCode} with a body that is not JSON: ${res.body.slice(0, 200)}`);
  }
  expect(body.error?.code, `${what}: ${res.body.slice(0, 300)}`).toMatch(/^[A-Za-z0-9_]+$/);
  expect(typeof body.error?.message, what).toBe('string');
  if (body.error?.code === 'invalid_request') {
    expect(body.error.issues?.length, `${what}: validation error without issues`).toBeGreaterThan(0);
    for (const issue of body.error.issues!) expect(issue.path, what).toMatch(/^(body|querystring|params|headers)\b/);
  }
}

/**
 * Sends one input and checks the answer against the database: `allowed` names the tables an input may change even
 * when refused (none, unless said).
 */
async function probe(route: string, req: { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer }, allowed: string[] = []) {
  const before = last;
  const res = await h.app.inject({ method: req.method as 'POST', url: req.url, headers: req.headers, payload: req.payload });
  const after = (last = await snap.take());
  count(route, res.statusCode);
  const what = `${req.method} ${req.url.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, what).toBeLessThan(500);
  const changed = changedTables(before, after).filter((t) => !allowed.includes(t));
  if (res.statusCode >= 400) {
    expectErrorShape(res, what);
    expect(changed, `${what} wrote to`).toEqual([]);
  }
  return { res, changed, what };
}

function nameIn(payload: FuzzRequest['payload']): string | undefined {
  try {
    const name = (JSON.parse(String(payload)) as { name?: unknown } | null)?.name;
    return typeof name === 'string' && !name.includes('\u0000') ? name : undefined;
  } catch {
    return undefined;
  }
}
const shopsNamed = async (name: string) => (await h.db.select({ n: rows() }).from(shops).where(eq(shops.name, name)))[0]!.n;

/** Our ids for path parameters, so that the handler behind the validation runs too. */
const known = (): Record<string, string[]> => ({
  orderId: ['F-1'],
  refundId: ['F-R1'],
  connectionId: Object.values(connections),
  payoutId: ['F-PO'],
  shopId: [victim.shopId],
});

/** Routes whose valid input reaches an outside system: only invalid input is sent there. */
const reachesOutside = new Set(['PUT /v1/ledger/connection']);
const signedRoute = 'POST /v1/channels/{platform}/{shopId}';

describe('every route of the OpenAPI document, fuzzed', () => {
  it('answers malformed bodies, queries and path parameters with a 4xx in the error shape, never a 5xx, and writes nothing when it refuses', async () => {
    const fuzzed = ops.filter((op) => op.body || op.params.length > 0).filter((op) => `${op.method} ${op.path}` !== signedRoute);
    expect(fuzzed.length).toBeGreaterThan(25);
    expect(ops.map((op) => `${op.method} ${op.path}`)).toContain(signedRoute); // fuzzed on its own below
    for (const op of fuzzed) {
      const route = `${op.method} ${op.path}`;
      const arb = requestsFor(op, {
        auth: op.path.startsWith('/v1/admin') ? h.adminKey : /^\/v1\/(people|shops)\b/.test(op.path) ? session.headers() : shop.apiKey,
        known: known(),
        hostileValid: !reachesOutside.has(route),
      });
      await fc.assert(
        fc.asyncProperty(arb, async (req: FuzzRequest) => {
          // A new shop is outside the snapshot's shops: a refused one is looked for by its name.
          const name = route === 'POST /v1/admin/shops' ? nameIn(req.payload) : undefined;
          const before = name === undefined ? 0 : await shopsNamed(name);
          const { res, what } = await probe(route, req);
          if (name !== undefined && res.statusCode >= 400) expect(await shopsNamed(name), `${what} created a shop`).toBe(before);
          if (req.expect === 'reject') expect(res.statusCode, `${req.label}: ${what}`).toBeGreaterThanOrEqual(400);
          if (req.schemaInvalid) {
            expect(res.statusCode, `${req.label}: ${what}`).toBe(400);
            expect(res.json().error.code, what).toBe('invalid_request');
          }
        }),
        { numRuns: op.body ? 120 : 50, endOnFailure: true },
      );
    }
  }, 300_000);
});

/** A delivery to /v1/channels/:platform/:shopId, signed (or not) the way the platform does. */
interface Delivery {
  platform: string;
  shopId: string;
  topic: string;
  body: Buffer;
  signature: 'valid' | 'missing' | 'other-secret' | 'garbage' | 'other-body' | 'hex' | 'twice';
  /** garbage: nothing that maps to an order. fixture: a real payload with hostile text in it. */
  kind: 'garbage' | 'fixture';
}

const fixtureJson = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/channels/${path}`, import.meta.url), 'utf8'));
const platforms = {
  shopify: { secret: SHOPIFY_SECRET, header: 'x-shopify-hmac-sha256', topics: ['orders/create', 'orders/paid', 'orders/updated', 'refunds/create', 'orders/cancelled'], fixtures: ['shopify/order-dk-discount-giftcard.json', 'shopify/refund-partial.json'] },
  woocommerce: { secret: WOO_SECRET, header: 'x-wc-webhook-signature', topics: ['order.created', 'order.updated', 'order.restored', 'order.deleted'], fixtures: ['woocommerce/order-dk-coupon-fee.json'] },
} as const;

/** Puts hostile text at a string leaf of a payload, chosen by `pick`. */
function plant(value: unknown, pick: number, text: string): unknown {
  const leaves: [Record<string, unknown>, string][] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string') leaves.push([node as Record<string, unknown>, k]);
      else walk(v);
    }
  };
  const copy = structuredClone(value);
  walk(copy);
  const [node, key] = leaves[pick % leaves.length]!;
  node[key] = text;
  return copy;
}

function deliveries(): fc.Arbitrary<Delivery> {
  const target = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(['shopify', shopifyShop.shopId], ['woocommerce', wooShop.shopId]) },
    fc.constantFrom(['shopify', wooShop.shopId], ['woocommerce', shop.shopId], ['shopify', 'shop_unknown'], ['magento', shopifyShop.shopId], ['shopify', 'x'.repeat(101)]),
  );
  const garbage = fc.oneof(
    garbageJson.map((v) => Buffer.from(JSON.stringify(v) ?? '')),
    deepJsonText.map((t) => Buffer.from(t)),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    hostileText.map((t) => Buffer.from(t)),
    fc.record({ order_id: fc.oneof(fc.integer(), hostileText), id: fc.oneof(fc.integer(), hostileText), refund_line_items: garbageJson }).map((v) => Buffer.from(JSON.stringify(v))),
  );
  const body = fc.oneof(
    { weight: 3, arbitrary: garbage.map((b) => ({ body: b, kind: 'garbage' as const })) },
    fc
      .tuple(fc.constantFrom(...platforms.shopify.fixtures, ...platforms.woocommerce.fixtures), fc.nat(), hostileText)
      .map(([path, pick, text]) => ({ body: Buffer.from(JSON.stringify(plant(fixtureJson(path), pick, text))), kind: 'fixture' as const })),
  );
  const topic = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...platforms.shopify.topics, ...platforms.woocommerce.topics) }, fc.string({ unit: 'grapheme-ascii', maxLength: 40 }));
  const signature = fc.oneof(
    { weight: 5, arbitrary: fc.constant('valid' as const) },
    fc.constantFrom('missing', 'other-secret', 'garbage', 'other-body', 'hex', 'twice') as fc.Arbitrary<Delivery['signature']>,
  );
  return fc.tuple(target, body, topic, signature).map(([[platform, shopId], b, t, s]) => ({ platform: platform!, shopId: shopId!, topic: t, signature: s, ...b }));
}

const describeDelivery = (d: Delivery) =>
  Object.defineProperty(d, fc.toStringMethod, { value: () => `${d.kind} signed ${d.signature} to ${d.platform}/${d.shopId.slice(0, 40)} topic ${JSON.stringify(d.topic)}: ${JSON.stringify(d.body.toString().slice(0, 300))}` });

function send(d: Delivery) {
  const p = platforms[d.platform as keyof typeof platforms] ?? platforms.shopify;
  const hmac = (secret: string, body: Buffer | string, enc: 'base64' | 'hex' = 'base64') => createHmac('sha256', secret).update(body).digest(enc);
  const signatures: Record<Delivery['signature'], string | string[] | undefined> = {
    valid: hmac(p.secret, d.body),
    missing: undefined,
    'other-secret': hmac(`${p.secret}x`, d.body),
    garbage: 'c2lnbmF0dXJl',
    'other-body': hmac(p.secret, Buffer.concat([d.body, Buffer.from(' ')])),
    hex: hmac(p.secret, d.body, 'hex'),
    twice: [hmac(p.secret, d.body), hmac(p.secret, d.body)],
  };
  const headers: Record<string, string | string[]> = {
    'content-type': 'application/json',
    'x-shopify-topic': d.topic,
    'x-shopify-webhook-id': randomUUID(),
    'x-wc-webhook-topic': d.topic,
    'x-wc-webhook-delivery-id': randomUUID(),
  };
  const signature = signatures[d.signature];
  if (signature !== undefined) headers[p.header] = signature;
  return { method: 'POST', url: `/v1/channels/${encodeURIComponent(d.platform)}/${encodeURIComponent(d.shopId)}`, headers: headers as Record<string, string>, payload: d.body, label: `signed ${d.signature}` };
}

describe('signed webhooks', () => {
  it('refuse a bad or missing signature with 401 storing nothing; take validly signed garbage as a rejected delivery with a reason, never an order', async () => {
    const configured = new Set([`shopify/${shopifyShop.shopId}`, `woocommerce/${wooShop.shopId}`]);
    await fc.assert(
      fc.asyncProperty(deliveries().map(describeDelivery), async (d) => {
        const signedForThisShop = d.signature === 'valid' && configured.has(`${d.platform}/${d.shopId}`);
        // Validly signed garbage leaves its raw delivery, settled with a reason; nothing else.
        const { res, changed, what } = await probe(signedRoute, send(d), signedForThisShop && d.kind === 'garbage' ? ['channel_events'] : []);
        if (!signedForThisShop) {
          expect([400, 401, 404, 414], what).toContain(res.statusCode);
          if (configured.has(`${d.platform}/${d.shopId}`)) expect(res.json().error.code, what).toBe('bad_signature');
          expect(changed, `${what} wrote to`).toEqual([]);
          return;
        }
        if (d.kind === 'garbage') {
          expect(changed.filter((t) => t !== 'channel_events'), `${what} wrote to`).toEqual([]);
          if (res.statusCode === 202) {
            expect(['rejected', 'ignored'], what).toContain(res.json().outcome);
            expect(res.json().reason, what).toMatch(/\S/);
          } else {
            expect([200, 409], what).toContain(res.statusCode);
          }
        }
      }),
      { numRuns: 500, endOnFailure: true },
    );
    // No delivery is left half-handled: each one stored was settled, with a reason unless accepted.
    const events = await eventsOf([shopifyShop.shopId, wooShop.shopId]);
    expect(events.filter((e) => e.outcome === 'received')).toEqual([]);
    expect(events.filter((e) => e.outcome !== 'accepted' && !e.reason)).toEqual([]);
  }, 300_000);
});

async function eventsOf(shopIds: string[]) {
  const rows = [];
  for (const id of shopIds) {
    const api = shopClient(h, id === shopifyShop.shopId ? shopifyShop.apiKey : wooShop.apiKey);
    rows.push(...(await api.call('GET', '/v1/channel/events?limit=500')).json().events);
  }
  return rows as { outcome: string; reason: string | null }[];
}

describe('the generic webhooks', () => {
  it('refuse orders and refunds without a valid shop key with 401, storing nothing', async () => {
    const orderSchema = ops.find((o) => o.path === '/v1/webhooks/orders')!.body as JsonSchema;
    const refundSchema = ops.find((o) => o.path === '/v1/webhooks/refunds')!.body as JsonSchema;
    const authorization = fc.oneof(
      fc.constantFrom(undefined, 'Bearer', 'Bearer ', `Basic ${Buffer.from(`x:${shop.apiKey}`).toString('base64')}`, shop.apiKey, `Bearer ${h.adminKey}`, `Bearer ${shop.apiKey}x`, `Bearer ${shop.apiKey.slice(0, -1)}`, `Bearer ${shop.apiKey} ${shop.apiKey}`),
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((k) => `Bearer lb_${k}`),
    );
    const request = fc
      .tuple(
        fc.oneof(
          fc.tuple(fc.constant('/v1/webhooks/orders'), valid(orderSchema)),
          fc.tuple(fc.constant('/v1/webhooks/refunds'), valid(refundSchema)),
          fc.tuple(fc.constantFrom('/v1/webhooks/orders', '/v1/webhooks/refunds'), garbageJson),
        ),
        authorization,
      )
      .map(([[url, body], auth]) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (auth !== undefined) headers.authorization = auth;
        return shortly({ method: 'POST', url, headers, payload: JSON.stringify(body) ?? '', label: 'without a valid key' });
      });
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const { res, what } = await probe(req.url === '/v1/webhooks/orders' ? 'POST /v1/webhooks/orders' : 'POST /v1/webhooks/refunds', req);
        expect(res.statusCode, what).toBe(401);
        expect(res.json().error.code, what).toBe('unauthorized');
      }),
      { numRuns: 300, endOnFailure: true },
    );
  }, 120_000);
});
