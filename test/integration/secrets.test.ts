import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalDataConverter } from '../../src/temporal/data-converter';
import { bulkTaskQueue, ledgerTaskQueue, workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { shopRowsText } from '../support/db-snapshot';
import { DANDOMAIN_KEY, dandomainOrderFrom, startFakeDandomain, type FakeDandomain } from '../support/fake-channels/dandomain';
import { ECONOMIC_TOKENS, economicProducts, startFakeEconomic, type FakeEconomic } from '../support/fake-ledgers/economic';
import { danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';
import { decodedText, leakedIn, rawText } from '../support/secret-scan';
import { startStripeServer, type StripeServer } from '../support/stripe-server';

/**
 * A shop with every kind of secret books an order and a refund through signed Shopify webhooks, on an e-conomic
 * ledger, with a Stripe connection fetching payouts, while the payload codec is on. Then no secret may be found in
 * any workflow history of the run (raw as the server keeps it, and decoded as the application reads it), in the
 * API's or the worker's log, in what the Temporal Web UI serves, or in clear in the database; and the business data is
 * ciphertext in Temporal.
 */

const PAYLOAD_KEY = randomBytes(32).toString('base64');
const SHOPIFY_SECRET = `shpss_${randomBytes(16).toString('hex')}`;
const SHOPIFY_TOKEN = `shpat_${randomBytes(16).toString('hex')}`;
const STRIPE_KEY = `rk_test_${randomBytes(16).toString('hex')}`;
/** In the Shopify order, so in the booking's payloads: the order line's title and the customer's email. */
const BUSINESS_DATA = { 'order line title': 'Uldsokker', 'customer email': 'mette.hansen@example.dk' };

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/channels/shopify/${name}`, import.meta.url), 'utf8'));
const order = fixture('order-dk-discount-giftcard.json');
const refund = fixture('refund-partial.json');

/** What the API and the worker logged, as text: each worker entry as printed, and its strings and bytes as text. */
const logs: { source: 'api' | 'worker'; text: string }[] = [];
let h: Harness;
/** This run's workflows: bookings on its task queue, ledgers on the ledgers' own, payouts and files on bulk work's. */
const ourQueues = () => `TaskQueue="${h.taskQueue}" OR TaskQueue="${ledgerTaskQueue(h.taskQueue)}" OR TaskQueue="${bulkTaskQueue(h.taskQueue)}"`;
let stripe: StripeServer;
let economic: FakeEconomic;
let dandomain: FakeDandomain;
let polledShopId = '';
let shop: Awaited<ReturnType<Harness['createShop']>>;
let connectionId = '';
let secrets: Record<string, string>;
type Execution = { workflowId: string; runId: string };
let executions: Execution[] = [];

/** Delivers a payload as Shopify does, signed with the channel's secret. */
function deliver(topic: string, payload: unknown, webhookId: string) {
  const raw = JSON.stringify(payload);
  return h.app.inject({
    method: 'POST',
    url: `/v1/channels/shopify/${shop.shopId}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(raw).digest('base64'),
      'x-shopify-webhook-id': webhookId,
    },
    payload: raw,
  });
}

beforeAll(async () => {
  stripe = await startStripeServer(STRIPE_KEY, { payouts: [], balanceTransactions: {} });
  economic = await startFakeEconomic();
  h = await startHarness({
    dataConverter: temporalDataConverter({ PAYLOAD_KEY, PAYLOAD_KEYS: undefined }),
    stripeBaseUrl: stripe.url,
    logs: (source, entry) => logs.push({ source, text: typeof entry === 'string' ? entry : `${inspect(entry, { depth: null })}\n${rawText(entry)}` }),
  });
  const mapping = {
    ...danishMapping,
    paymentMethods: { ...danishMapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } },
  };
  shop = await h.createShop({ mapping });
  const api = shopClient(h, shop.apiKey);
  const ledger = await api.call('PUT', '/v1/ledger/connection', {
    system: 'e-conomic',
    credentials: ECONOMIC_TOKENS,
    settings: { journalNumber: 1, layoutNumber: 19, paymentTermsNumber: 1, customerGroupNumber: 1, customerMode: 'per_customer', products: economicProducts, baseUrl: economic.url },
  });
  expect(ledger.statusCode, ledger.body).toBe(200);
  const channel = await api.call('PUT', '/v1/channel', {
    platform: 'shopify',
    secret: SHOPIFY_SECRET,
    storeUrl: 'https://kaffekopper.myshopify.com',
    api: { accessToken: SHOPIFY_TOKEN },
  });
  expect(channel.statusCode, channel.body).toBe(200);
  const acquirer = await api.call('POST', '/v1/acquirers', { acquirer: 'stripe', source: 'stripe', apiKey: STRIPE_KEY });
  expect(acquirer.statusCode, acquirer.body).toBe(201);
  connectionId = acquirer.json().connectionId;

  expect((await deliver('orders/paid', order, 'wh-order')).json()).toMatchObject({ outcome: 'accepted' });
  await api.orderReaches(String(order.id), 'booked', 90_000);
  expect((await deliver('refunds/create', refund, 'wh-refund')).json()).toMatchObject({ outcome: 'accepted' });
  await api.refundReaches(String(refund.id), 'booked', 90_000);
  expect((await api.call('POST', `/v1/acquirers/${connectionId}/fetch`)).statusCode).toBe(202);
  await eventually(async () => (stripe.requests.some((r) => r.headers.authorization === `Bearer ${STRIPE_KEY}`) ? true : undefined), 60_000, 'Stripe asked with the key');
  // A Dandomain shop, whose key travels in the URL path of every poll.
  dandomain = await startFakeDandomain();
  dandomain.seed(dandomainOrderFrom(1, Date.now() - 60_000));
  const polledShop = await h.createShop({ mapping: { ...mapping, readyStatuses: ['Nye'] } });
  polledShopId = polledShop.shopId;
  const polled = await shopClient(h, polledShop.apiKey).call('PUT', '/v1/channel', { platform: 'dandomain', storeUrl: dandomain.url, apiKey: DANDOMAIN_KEY });
  expect(polled.statusCode, polled.body).toBe(200);

  secrets = {
    'shop API key': shop.apiKey,
    'shop webhook secret': shop.webhookSecret!,
    'Shopify webhook secret': SHOPIFY_SECRET,
    'Shopify access token': SHOPIFY_TOKEN,
    'e-conomic app secret token': ECONOMIC_TOKENS.appSecretToken,
    'e-conomic agreement grant token': ECONOMIC_TOKENS.agreementGrantToken,
    'Stripe key': STRIPE_KEY,
    'Dandomain API key': DANDOMAIN_KEY,
    'admin key': h.adminKey,
    PAYLOAD_KEY,
    CREDENTIALS_KEY: h.credentialsKey,
  };
  // Every workflow this test ran, once visibility shows them all closed or settled: the booking's order, refund and
  // ledger, and the Stripe fetch started by the schedule.
  const wanted = [workflowIds.order(shop.shopId, String(order.id)), workflowIds.refund(shop.shopId, String(refund.id)), workflowIds.ledger(shop.ledgerId)];
  executions = await eventually(
    async () => {
      const found: (Execution & { type: string; status: string })[] = [];
      for await (const w of h.client.workflow.list({ query: ourQueues() })) found.push({ workflowId: w.workflowId, runId: w.runId, type: w.type, status: w.status.name });
      const fetched = ['fetchPayoutsWorkflow', 'pollDandomainWorkflow'].every((type) => found.some((w) => w.type === type && w.status === 'COMPLETED'));
      return fetched && wanted.every((id) => found.some((w) => w.workflowId === id)) ? found : undefined;
    },
    60_000,
    'the test’s workflows in visibility',
  );
}, 240_000);

afterAll(async () => {
  await h?.client.schedule.getHandle(workflowIds.fetchPayouts(connectionId)).delete().catch(() => undefined);
  await h?.client.schedule.getHandle(workflowIds.pollDandomain(polledShopId)).delete().catch(() => undefined);
  await dandomain?.close();
  await h?.close();
  await economic?.close();
  await stripe?.close();
});

/** Every event of a run, page by page, as the server sends it: payloads as stored, encrypted or not. */
async function rawHistory({ workflowId, runId }: Execution): Promise<unknown[]> {
  const events: unknown[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await h.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** GET on the Temporal Web UI's own JSON API, which its pages are built from. */
async function ui(path: string, query: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${inject('temporalUiUrl')}/api/v1/namespaces/default/${path}?${new URLSearchParams(query)}`);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(200);
  return body;
}

describe('secrets, with the payload codec on', () => {
  it('appear in no workflow history of the run, neither raw nor decoded, nor in the payout schedule', async () => {
    expect(executions.length).toBeGreaterThanOrEqual(4);
    for (const execution of executions) {
      const events = await rawHistory(execution);
      expect(events.length).toBeGreaterThan(0);
      const raw = rawText(events);
      const decoded = await decodedText(h.client, events);
      expect(leakedIn(raw, secrets), `${execution.workflowId} raw`).toEqual([]);
      expect(leakedIn(decoded, secrets), `${execution.workflowId} decoded`).toEqual([]);
      expect(decoded, `${execution.workflowId} has undecodable payloads`).not.toContain('"undecodable"');
    }
    const schedule = await h.client.workflowService.describeSchedule({ namespace: 'default', scheduleId: workflowIds.fetchPayouts(connectionId) });
    expect(rawText(schedule)).toContain('fetchPayoutsWorkflow');
    expect(leakedIn(rawText(schedule), secrets)).toEqual([]);
    expect(leakedIn(await decodedText(h.client, schedule), secrets)).toEqual([]);
  });

  it('keep the business data encrypted in the history while the booking stays searchable by BookingStatus', async () => {
    const booking = executions.find((e) => e.workflowId === workflowIds.order(shop.shopId, String(order.id)))!;
    const events = await rawHistory(booking);
    // The application reads the order's line and customer; the server holds only ciphertext.
    const decoded = await decodedText(h.client, events);
    for (const [what, text] of Object.entries(BUSINESS_DATA)) expect(decoded, `${what} decoded`).toContain(text);
    expect(leakedIn(rawText(events), BUSINESS_DATA)).toEqual([]);
    expect(rawText(events)).toContain('binary/encrypted');

    const found = [];
    for await (const w of h.client.workflow.list({ query: `BookingStatus="booked" AND ShopId="${shop.shopId}"` })) found.push(w.workflowId);
    expect(found).toContain(booking.workflowId);
  });

  it('are not served by the Temporal Web UI, which shows only ciphertext but still filters bookings', async () => {
    const listed = await ui('workflows', { query: ourQueues() });
    for (const { workflowId } of executions) expect(listed).toContain(workflowId);
    const served = [listed];
    for (const { workflowId, runId } of executions) {
      const history = await ui(`workflows/${encodeURIComponent(workflowId)}/history`, { 'execution.runId': runId });
      expect(history).toContain('"events"');
      served.push(history);
    }
    served.push(await ui(`schedules/${encodeURIComponent(workflowIds.fetchPayouts(connectionId))}`));
    const text = served.join('\n');
    expect(leakedIn(text, secrets)).toEqual([]);
    expect(leakedIn(text, BUSINESS_DATA)).toEqual([]);

    const filtered = await ui('workflows', { query: `BookingStatus="booked" AND ShopId="${shop.shopId}"` });
    expect(filtered).toContain(workflowIds.order(shop.shopId, String(order.id)));
  });

  it('are stored hashed or sealed: the database holds none of them in clear', async () => {
    const text = await shopRowsText(h.db, [shop.shopId]);
    // The shop's rows are there: its raw webhook deliveries, the booked order, the sealed keys.
    for (const seen of [shop.shopId, 'orders/paid', String(order.id), 'v1:']) expect(text).toContain(seen);
    expect(leakedIn(text, secrets)).toEqual([]);
  });

  it('appear in neither the API’s nor the worker’s log', () => {
    const text = logs.map((l) => l.text).join('\n');
    // The logs were captured at their most verbose: requests with their URLs, workflow activations, activity steps.
    expect(logs.filter((l) => l.source === 'api').length).toBeGreaterThan(10);
    expect(logs.filter((l) => l.source === 'worker').length).toBeGreaterThan(10);
    expect(text).toContain(`/v1/channels/shopify/${shop.shopId}`);
    expect(leakedIn(text, secrets)).toEqual([]);
  });
});
