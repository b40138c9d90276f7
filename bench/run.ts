/**
 * npm run bench — drives the real API, worker and Temporal dev server (PostgreSQL from DATABASE_URL) and prints:
 * orders booked per second for 1 and 20 ledgers, webhook-accepted and webhook→booked latencies under a paced load,
 * the serialization efficiency per ledger, peak RSS of the worker and the API, and the same 20-ledger run against the
 * baseline of one global posting queue, one posting at a time (how the existing tools queue). Each runs twice: with
 * the local ledger, and with e-conomic-shaped ledger servers that take BENCH_LATENCY_MS per call, as a hosted
 * accounting API does. Writes bench/results.json.
 *
 * BENCH_ORDERS (default 2000) orders per scenario (BENCH_BASELINE_ORDERS for the baseline, default the same),
 * BENCH_RATE (default 200) webhooks per second,
 * BENCH_LATENCY_MS (default 50), BENCH_LEDGERS (default "local,latency": which ledger kinds to run),
 * BENCH_PORT (default 3900): the API's port (the floor's API takes the next one),
 * BENCH_SCENARIOS (default "plan,floor,one,twenty,baseline,hostile": which to run; a partial run writes bench/results-partial.json);
 * "hostile" is the hostile-tenant run (bench/hostile.ts): one shop floods orders while another books normally.
 * BENCH_SCENARIOS=sales-page (not in the default) measures the shop owner's sales page with 2,000 orders in the shop
 * (bench/sales-page.ts).
 * BENCH_SCENARIOS=webhook-accept (not in the default) measures how fast signed Shopify webhooks are answered at BENCH_RATE
 * while the relay hands them over and they book (bench/webhook-accept.ts; BENCH_ACCEPT_ORDERS, default 600).
 * "floor" (bench/floor/) runs a bare workflow per order, started by signal-with-start from a Fastify route, one INSERT,
 * driven the same way; every scenario reports its CPU per booked order per process, history events and workflow tasks
 * per order, PostgreSQL commits per order (bench/cost.ts) and its ratio to the floor's CPU.
 * BENCH_SCENARIOS=month-burst,open-orders (not in the default): issue 16's month-shaped burst, each order sent pending, paid
 * and fulfilled (bench/month-burst.ts: time to the first voucher, workflow task timeouts), and the worker's memory with
 * BENCH_OPEN_ORDERS (default 10,000) orders waiting (bench/open-orders.ts); each restarts the worker first.
 * BENCH_HISTORY_DETAIL=1 adds what the histories hold per booked order, by workflow type (bench/history-detail.ts);
 * BENCH_WORKER_NODE_OPTIONS goes into the worker's NODE_OPTIONS only (profiling: bench/worker-profile.cjs).
 * "plan" times planning one payout of BENCH_PAYOUT_LINES (default 800,000) lines in a process of its own
 * (bench/payout-plan.ts): matching, planning in parts, and the process's peak memory.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { bookingEvents, orders, postings } from '../db/schema';
import { economicProducts, ECONOMIC_TOKENS, startFakeEconomic, type FakeEconomic } from '../test/support/fake-ledgers/economic';
import { buildWebApp } from '../src/main/web-app-build';
import { salesPageBench, type SalesPageResult } from './sales-page';
import { hostileTenant, type HostileResult } from './hostile';
import { webhookAcceptBench, type WebhookAcceptResult } from './webhook-accept';
import { benchOrder, createShop, percentile, resultsJson, type ScenarioResult } from './shared';
import { printCosts, sample, startCostMeter, workerPolling, type OrderCost } from './cost';
import { floorScenario } from './floor/floor-scenario';
import { printHistoryDetail } from './history-detail';
import { ledgerTaskQueue, workflowIds } from '../workflows/definitions';
import { burstScenarios } from './burst-scenarios';
import { peakRssMiB, startStack, type Stack } from './stack';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
/** The baseline posts one at a time: its rate is steady after the first few postings, so fewer orders measure it too. */
const BASELINE_ORDERS = Number(process.env.BENCH_BASELINE_ORDERS ?? ORDERS);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const KINDS = (process.env.BENCH_LEDGERS ?? 'local,latency').split(',') as ('local' | 'latency')[];
const ALL_SCENARIOS = ['plan', 'floor', 'one', 'twenty', 'baseline', 'hostile'] as const;
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? ALL_SCENARIOS.join(',')).split(','));
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The API's port; the floor's API takes the next one. Another bench on this machine needs another. */
const PORT = Number(process.env.BENCH_PORT ?? 3900);

interface Result extends ScenarioResult, Partial<OrderCost> {
  /** CPU per booked order over the floor's in the same run; null without the floor. */
  ratioToFloor?: number | null;
  /** The same with PostgreSQL as the bench database's backends only (bench/cost.ts). */
  ratioToFloorWithBackends?: number | null;
}

/**
 * Webhooks over a bounded pool of keep-alive connections, as a platform's delivery workers send them: when the API
 * falls behind, requests wait in line (and the wait counts in their accept latency) instead of piling up sockets.
 */
const webhookAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function postJson(url: string, apiKey: string, body: unknown, agent: http.Agent = webhookAgent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Busy time in calls over the span from the first call's start to the last call's end: 1 = never idle. */
function callEfficiency(calls: { start: number; end: number }[]): number {
  if (calls.length === 0) return 0;
  const busy = calls.reduce((t, c) => t + (c.end - c.start), 0);
  return busy / (Math.max(...calls.map((c) => c.end)) - Math.min(...calls.map((c) => c.start)));
}

/**
 * Where the ledger sat idle: each gap between one call's end and the next call's start, summed by the pair of calls
 * around it. The biggest pairs show which step of ours (between a batch's postings, between batches) the lock waits on.
 */
function idleProfile(calls: { start: number; end: number; call: string }[], top = 6): string[] {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const span = sorted.length ? Math.max(...sorted.map((c) => c.end)) - sorted[0]!.start : 0;
  const gaps = new Map<string, { n: number; ms: number }>();
  for (let i = 1; i < sorted.length; i++) {
    const idle = sorted[i]!.start - sorted[i - 1]!.end;
    if (idle <= 0) continue;
    const key = `${sorted[i - 1]!.call} → ${sorted[i]!.call}`;
    const g = gaps.get(key) ?? { n: 0, ms: 0 };
    g.n++;
    g.ms += idle;
    gaps.set(key, g);
  }
  return [...gaps.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, top)
    .map(([key, g]) => `${((100 * g.ms) / span).toFixed(1).padStart(5)} % of the span idle  ${String(g.n).padStart(5)} × ${(g.ms / g.n).toFixed(1)} ms  ${key}`);
}

async function scenario(stack: Stack, name: string, ledgers: number, kind: 'local' | 'latency', count = ORDERS): Promise<Result> {
  const since = new Date();
  const shops: { shopId: string; apiKey: string }[] = [];
  const servers: FakeEconomic[] = [];
  for (let i = 0; i < ledgers; i++) {
    const shop = await createShop(stack, `${name} ${i}`);
    shops.push(shop);
    if (kind === 'latency') {
      // One hosted ledger per shop, each answering after LATENCY_MS like an accounting API across the internet.
      const server = await startFakeEconomic({ latencyMs: LATENCY_MS });
      servers.push(server);
      const connected = await fetch(`${stack.api}/v1/ledger/connection`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          system: 'e-conomic',
          credentials: ECONOMIC_TOKENS,
          settings: { journalNumber: 1, layoutNumber: 19, paymentTermsNumber: 1, customerGroupNumber: 1, customerMode: 'per_customer', products: economicProducts, baseUrl: server.url },
        }),
      });
      if (!connected.ok) throw new Error(`connecting the ledger answered ${connected.status}: ${await connected.text()}`);
      // The setup check's calls are not postings.
      server.http.calls.length = 0;
    }
  }
  // Measured from a worker that has bundled its workflows and polls, to the last order booked (bench/cost.ts).
  await workerPolling(stack.temporal, stack.worker.pid!, [stack.taskQueue, ledgerTaskQueue(stack.taskQueue)]);
  const meter = await startCostMeter({ api: stack.apiProcess.pid!, worker: stack.worker.pid!, temporal: stack.temporalPid }, stack.databaseUrl);
  const sentAt = new Map<string, number>();
  const accept: number[] = [];
  const t0 = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const shop = shops[i % ledgers]!;
    const orderId = `${name}-${i}`;
    const total = 1_000 + (i % 50) * 100;
    const body = benchOrder(orderId, total, `#${i}`);
    const start = Date.now();
    sentAt.set(orderId, start);
    sends.push(
      postJson(`${stack.api}/v1/webhooks/orders`, shop.apiKey, body).then(({ status, text }) => {
        if (status !== 202) throw new Error(`webhook answered ${status}: ${text}`);
        accept.push(Date.now() - start);
      }),
    );
  }
  await Promise.all(sends);

  const shopIds = shops.map((s) => s.shopId);
  let booked = 0;
  let lastReport = 0;
  let polls = 0;
  while (booked < count) {
    polls++;
    const [row] = await stack.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(inArray(orders.shopId, shopIds), eq(orders.status, 'booked')));
    booked = row!.n;
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      const secs = (Date.now() - t0) / 1000;
      console.log(`  ${name}: ${booked}/${count} booked after ${secs.toFixed(0)} s (${(booked / secs).toFixed(1)}/s)`);
    }
    if (Date.now() - t0 > 3_600_000) throw new Error(`${name}: only ${booked} of ${count} booked after an hour`);
    if (booked < count) await new Promise((r) => setTimeout(r, 500));
  }
  const sampled = sample([...Array(count).keys()]).map((i) => workflowIds.order(shops[i % ledgers]!.shopId, `${name}-${i}`));
  const cost = await meter.stop({ orders: count, benchQueries: polls, temporal: stack.temporal, workflowIds: sampled });
  await printHistoryDetail(stack.temporal, { scenario: name, since, sampledOrders: sampled, orders: count });

  const rows = await stack.db.db
    .select({ orderId: orders.orderId, ledgerId: orders.ledgerId, bookedAt: orders.updatedAt })
    .from(orders)
    .where(inArray(orders.shopId, shopIds));
  const bookedLatency = rows.map((r) => r.bookedAt.getTime() - sentAt.get(r.orderId)!);
  const end = Math.max(...rows.map((r) => r.bookedAt.getTime()));

  // Time inside the lock per posting: from the posting activity's start (its "posting" event) to its payment record.
  const inside = await stack.db.db
    .select({
      ledgerId: postings.ledgerId,
      start: sql<string>`min(${bookingEvents.at})`,
      end: sql<string>`max(${postings.createdAt})`,
      busy: sql<number>`sum(extract(epoch from (${postings.createdAt} - ${bookingEvents.at})) * 1000)`,
    })
    .from(postings)
    .innerJoin(bookingEvents, and(eq(bookingEvents.subjectId, postings.reference), eq(bookingEvents.status, 'posting'), inArray(bookingEvents.shopId, shopIds)))
    .where(and(eq(postings.kind, 'payment'), inArray(postings.orderId, rows.map((r) => r.orderId))))
    .groupBy(postings.ledgerId);
  // With a hosted ledger, the calls themselves as its server saw them; with the local ledger, the posting spans.
  const efficiency =
    kind === 'latency' ? servers.map((s) => callEfficiency(s.http.calls)) : inside.map((l) => Number(l.busy) / (Date.parse(l.end) - Date.parse(l.start)));
  if (kind === 'latency' && ledgers === 1) {
    console.log(`  ${name}: where the ledger sat idle (gaps between calls, by the calls around them)`);
    for (const line of idleProfile(servers[0]!.http.calls)) console.log(`    ${line}`);
  }
  await Promise.all(servers.map((s) => s.close()));

  return {
    scenario: name,
    ledger: kind === 'latency' ? `e-conomic +${LATENCY_MS} ms` : 'local',
    ledgers,
    orders: count,
    ordersPerSecond: Number((count / ((end - t0) / 1000)).toFixed(2)),
    acceptP50Ms: percentile(accept, 50),
    acceptP99Ms: percentile(accept, 99),
    bookedP50Ms: percentile(bookedLatency, 50),
    bookedP99Ms: percentile(bookedLatency, 99),
    serializationEfficiency: Number((efficiency.reduce((a, b) => a + b, 0) / Math.max(1, efficiency.length)).toFixed(3)),
    workerPeakRssMiB: peakRssMiB(stack.worker.pid),
    apiPeakRssMiB: peakRssMiB(stack.apiProcess.pid),
    ...cost,
  };
}

/** bench/payout-plan.ts in a node process of its own, so the peak memory it reports is the planning's. */
function payoutPlan(): Record<string, number> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL('./payout-plan.ts', import.meta.url).pathname], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const figures = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
  console.log(`payout planning: ${figures.lines} lines against ${figures.documents} open invoices in ${figures.parts} parts: matched in ${figures.matchMs} ms, planned in ${figures.planMs} ms; peak RSS ${figures.peakRssMiB} MiB (${figures.rssBeforeMiB} MiB of it the payout and invoices)`);
  return figures;
}

async function main() {
  console.log(`ledgerbridge bench: ${ORDERS} orders per scenario (baseline ${BASELINE_ORDERS}) at ${RATE} webhooks/s; ledgers: ${KINDS.join(', ')} (${LATENCY_MS} ms per hosted call)`);
  // The sales page is served by the API process from dist/app.
  if (SCENARIOS.has('sales-page')) {
    // Vite's build sets NODE_ENV=production in this process, which the API and worker started below would inherit.
    const nodeEnv = process.env.NODE_ENV;
    await buildWebApp();
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const plan = SCENARIOS.has('plan') ? payoutPlan() : undefined;
  const stack = await startStack({ port: PORT, databaseUrl });
  const results: Result[] = [];
  const ratios: Record<string, number> = {};
  let salesPage: SalesPageResult | undefined;
  let hostile: HostileResult | undefined;
  let webhookAccept: WebhookAcceptResult | undefined;
  const issue16: Awaited<ReturnType<typeof burstScenarios>> = {};
  try {
    if (SCENARIOS.has('floor')) results.push(await floorScenario(stack, postJson, { orders: ORDERS, rate: RATE, port: PORT + 1 }));
    for (const kind of ['one', 'twenty', 'baseline'].some((name) => SCENARIOS.has(name)) ? KINDS : []) {
      const tag = kind === 'latency' ? `-${LATENCY_MS}ms` : '';
      await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'ledger' });
      if (SCENARIOS.has('one')) results.push(await scenario(stack, `one-ledger${tag}`, 1, kind));
      if (SCENARIOS.has('twenty')) results.push(await scenario(stack, `twenty-ledgers${tag}`, 20, kind));
      if (!SCENARIOS.has('baseline')) continue;
      await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'global' });
      results.push(await scenario(stack, `baseline-global-queue${tag}`, 20, kind, BASELINE_ORDERS));
      if (SCENARIOS.has('twenty')) ratios[kind] = Number((results.at(-2)!.ordersPerSecond / results.at(-1)!.ordersPerSecond).toFixed(2));
    }
    if (SCENARIOS.has('sales-page')) salesPage = await salesPageBench(stack);
    if (SCENARIOS.has('webhook-accept')) {
      await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'ledger' });
      webhookAccept = await webhookAcceptBench(stack);
    }
    if (SCENARIOS.has('hostile')) {
      await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'ledger' });
      hostile = await hostileTenant(stack, postJson);
    }
    Object.assign(issue16, await burstScenarios(stack, SCENARIOS, postJson));
  } finally {
    await stack.stop();
  }
  const floor = results.find((r) => r.scenario === 'floor')?.cpuMsPerOrder;
  for (const r of results) {
    r.ratioToFloor = floor && r.cpuMsPerOrder ? Number((r.cpuMsPerOrder.total / floor.total).toFixed(2)) : null;
    r.ratioToFloorWithBackends = floor && r.cpuMsPerOrder ? Number((r.cpuMsPerOrder.totalWithBackends / floor.totalWithBackends).toFixed(2)) : null;
  }
  if (results.length) console.table(results.map(({ cpuMsPerOrder: _cpu, ...r }) => r));
  printCosts(results);
  if (salesPage) {
    console.table([salesPage]);
    console.log(`sales page, ${salesPage.orders} orders in the shop: first page shown after ${salesPage.firstPageColdMs} ms (empty browser cache), ${salesPage.firstPageMedianMs} ms median (max ${salesPage.firstPageMaxMs}) with the app's files cached; the API's page ${salesPage.apiMedianMs} ms median`);
  }
  if (webhookAccept) {
    const w = webhookAccept;
    console.log(
      `webhook accept: ${w.orders} signed Shopify webhooks at ${w.rate}/s answered in p50 ${w.acceptP50Ms} ms, p99 ${w.acceptP99Ms} ms (max ${w.acceptMaxMs}; target p99 < 50 ms); ` +
        `at the last answer ${w.pendingAtLastAnswer} hand-offs pending and ${w.bookedAtLastAnswer} booked; all handed over after ${w.allHandedOverAfterMs} ms, all booked after ${w.allBookedAfterMs} ms`,
    );
  }
  for (const [kind, ratio] of Object.entries(ratios)) console.log(`${kind} ledger, 20 ledgers: per-ledger queues vs. one global queue: ${ratio}× the throughput`);
  if (hostile) {
    console.log(
      `hostile tenant: shop A's booking p50 ${hostile.idleP50Ms} ms idle (max ${hostile.idleMaxMs}), ${hostile.floodP50Ms} ms while shop B floods ${hostile.flood} orders ` +
        `(max ${hostile.floodMaxMs}): ${hostile.ratio}× idle (target ≤ 2×); B's orders still pending as A's booked: ${hostile.bPendingAtProbes.join(', ')}`,
    );
  }
  const complete = ALL_SCENARIOS.every((name) => SCENARIOS.has(name));
  writeFileSync(
    new URL(complete ? './results.json' : './results-partial.json', import.meta.url),
    resultsJson({ at: new Date().toISOString(), payoutPlan: plan, orders: ORDERS, baselineOrders: BASELINE_ORDERS, rate: RATE, latencyMs: LATENCY_MS, results, perLedgerVsGlobalQueue: ratios, hostileTenant: hostile, salesPage, webhookAccept, ...issue16 }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
