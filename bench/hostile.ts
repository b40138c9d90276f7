/**
 * The hostile-tenant scenario (issue 17, point 7): shop B uploads a large settlement file, starts as many payouts as
 * its work limits let it (lists of WORK_PER_REQUEST until RUNNING_WORK_PER_SHOP answers 429) and floods the webhook
 * with orders, while shop A books one order at a time, as a normal shop does. Prints A's webhook→booked latency idle
 * (B quiet) and under B's attack, and how many of B's orders were still pending each time one of A's booked: the
 * attack is only a test of fairness while it lasts.
 *
 * BENCH_FLOOD (default 300) orders from B, BENCH_PROBES (default 8) orders from A, one after another, in each phase;
 * BENCH_UPLOAD_ROWS (default 150,000, about 11 MB) sales in B's QuickPay file, in BENCH_UPLOAD_PAYOUTS (default 150)
 * settlements; B's payout lists carry BENCH_PAYOUT_LINES (default 50) unknown sales each. BENCH_UPLOAD_ROWS=0 and
 * BENCH_PAYOUT_LISTS=0 leave the file or the payouts out (the flood alone, as before).
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import http from 'node:http';
import { orders, payouts, settlementUploads } from '../db/schema';
import { workflowIds } from '../workflows/definitions';
import proto from '@temporalio/proto';
import { benchOrder, createShop, median } from './shared';
import type { Stack } from './stack';

const FLOOD = Number(process.env.BENCH_FLOOD ?? 300);
const PROBES = Number(process.env.BENCH_PROBES ?? 8);
const UPLOAD_ROWS = Number(process.env.BENCH_UPLOAD_ROWS ?? 150_000);
const UPLOAD_PAYOUTS = Number(process.env.BENCH_UPLOAD_PAYOUTS ?? 150);
const PAYOUT_LISTS = Number(process.env.BENCH_PAYOUT_LISTS ?? 10);
const PAYOUT_LINES = Number(process.env.BENCH_PAYOUT_LINES ?? 50);

export interface HostileResult {
  flood: number;
  probes: number;
  idleP50Ms: number;
  idleMaxMs: number;
  floodP50Ms: number;
  floodMaxMs: number;
  /** Flood p50 over idle p50: the target is at most 2. */
  ratio: number;
  /** B's orders not yet booked when each of A's flood-phase orders booked. */
  bPendingAtProbes: number[];
  /** B's settlement file: its size, and its status when A's last probe booked. */
  upload: { bytes: number; payouts: number; statusAtLastProbe: string } | null;
  /** Payouts B's lists started (the rest were refused 429 by its work limits), and how many were finished at A's last probe. */
  payoutsStarted: number;
  payoutsRefused: number;
}

/** A QuickPay (Clearhaus) settlement file: `rows` sales of nobody's orders in `settlements` payouts (as large-settlements.test.ts). */
function quickpayFile(rows: number, settlements: number): string {
  const header = 'settlement_id,payout_date,type,transaction_id,order_id,currency,amount,fee,processed_at';
  const lines = Array.from({ length: rows }, (_, i) => `s-${i % settlements},2026-11-06,sale,qp-${i},ext-${i},DKK,10000,100,2026-11-02`);
  return [header, ...lines].join('\n');
}

/** A list of `count` canonical payouts of `lines` unknown card sales each, as POST /v1/acquirers/:id/payouts takes it. */
function payoutList(prefix: string, count: number, lines: number) {
  return Array.from({ length: count }, (_, p) => ({
    payoutId: `${prefix}-${p}`,
    currency: 'DKK',
    paidOutAt: '2026-11-06',
    netAmount: lines * 9_900,
    lines: Array.from({ length: lines }, (_, l) => ({ type: 'payment', amount: 10_000, fee: 100, currency: 'DKK', transactionId: `${prefix}-${p}-${l}`, date: '2026-11-02' })),
  }));
}

/** The five longest gaps between consecutive events of a workflow's history, each with the events around it. */
async function historyGaps(stack: Stack, workflowId: string): Promise<string[]> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  const events = (history.events ?? []).map((e) => ({ at: Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6), type: String(proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', '') }));
  const gaps = events.slice(1).map((e, i) => ({ ms: e.at - events[i]!.at, from: events[i]!.type, to: e.type }));
  return gaps
    .sort((x, y) => y.ms - x.ms)
    .slice(0, 5)
    .map((g) => `${String(g.ms).padStart(7)} ms  ${g.from} → ${g.to}`);
}

type Post = (url: string, key: string, body: unknown, agent: http.Agent) => Promise<{ status: number; text: string }>;

export async function hostileTenant(stack: Stack, post: Post): Promise<HostileResult> {
  // Each shop sends from its own machine: A's webhooks never wait in line behind B's in our own HTTP client.
  const agents = { a: new http.Agent({ keepAlive: true, maxSockets: 4 }), b: new http.Agent({ keepAlive: true, maxSockets: 64 }) };
  const a = await createShop(stack, 'hostile-bench A (books normally)');
  const b = await createShop(stack, 'hostile-bench B (floods)');

  const send = async (s: { apiKey: string }, orderId: string) => {
    const agent = s === a ? agents.a : agents.b;
    const { status, text } = await post(`${stack.api}/v1/webhooks/orders`, s.apiKey, benchOrder(orderId, 1_000 + (orderId.length % 50) * 100), agent);
    if (status !== 202) throw new Error(`webhook for ${orderId} answered ${status}: ${text}`);
  };
  const uploadStatus = async (id: string) => {
    const [row] = await stack.db.db.select({ status: settlementUploads.status, lines: settlementUploads.linesRead }).from(settlementUploads).where(eq(settlementUploads.id, id));
    return `${row?.status} (${row?.lines ?? 0} lines read)`;
  };
  const payoutStatuses = async (shopId: string) => {
    const rows = await stack.db.db.select({ status: payouts.status, n: sql<number>`count(*)::int` }).from(payouts).where(eq(payouts.shopId, shopId)).groupBy(payouts.status);
    return rows.map((r) => `${r.n} ${r.status}`).join(', ') || 'none';
  };
  const pendingOf = async (shopId: string) => {
    const [row] = await stack.db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(eq(orders.shopId, shopId), ne(orders.status, 'booked')));
    return row!.n;
  };
  const accepted: number[] = [];
  /** One of A's orders, from sending its webhook to its booking (the row's update time, not our polling). */
  const bookOne = async (orderId: string): Promise<number> => {
    const sentAt = Date.now();
    await send(a, orderId);
    accepted.push(Date.now() - sentAt);
    for (;;) {
      const [row] = await stack.db.db
        .select({ status: orders.status, at: orders.updatedAt })
        .from(orders)
        .where(and(eq(orders.shopId, a.shopId), eq(orders.orderId, orderId)));
      if (row?.status === 'booked') return row.at.getTime() - sentAt;
      if (Date.now() - sentAt > 600_000) throw new Error(`A's order ${orderId} not booked after 10 minutes (status ${row?.status})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const connect = async (source: 'json' | 'quickpay') => {
    const { status, text } = await post(`${stack.api}/v1/acquirers`, b.apiKey, { acquirer: 'nets', source }, agents.b);
    if (status !== 201) throw new Error(`connecting B's ${source} acquirer answered ${status}: ${text}`);
    return (JSON.parse(text) as { connectionId: string }).connectionId;
  };
  const bFiles = await connect('quickpay');
  const bPayouts = await connect('json');

  // Warm up: the first booking of a shop starts its ledger workflow and fills caches.
  await bookOne('warm-a');
  await send(b, 'warm-b');

  accepted.length = 0;
  const idle: number[] = [];
  for (let i = 0; i < PROBES; i++) idle.push(await bookOne(`idle-${i}`));
  console.log(`  hostile: A idle ${idle.map((ms) => `${ms} ms`).join(', ')}`);

  // B's attack. First its file (one unit of B's running work; read by a worker activity, its payouts started 25 at a
  // time), then payout lists of 100 (WORK_PER_REQUEST) until RUNNING_WORK_PER_SHOP refuses them, then the orders.
  let upload: { id: string; bytes: number } | null = null;
  if (UPLOAD_ROWS > 0) {
    const file = quickpayFile(UPLOAD_ROWS, UPLOAD_PAYOUTS);
    const res = await fetch(`${stack.api}/v1/acquirers/${bFiles}/settlements`, { method: 'POST', headers: { authorization: `Bearer ${b.apiKey}`, 'content-type': 'text/csv' }, body: file });
    if (res.status !== 202) throw new Error(`B's settlement file answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    upload = { id: ((await res.json()) as { uploadId: string }).uploadId, bytes: Buffer.byteLength(file) };
  }
  let payoutsStarted = 0;
  let payoutsRefused = 0;
  for (let l = 0; l < PAYOUT_LISTS; l++) {
    const { status, text } = await post(`${stack.api}/v1/acquirers/${bPayouts}/payouts`, b.apiKey, { payouts: payoutList(`list-${l}`, 100, PAYOUT_LINES) }, agents.b);
    if (status === 202) payoutsStarted += 100;
    else if (status === 429) payoutsRefused += 100;
    else throw new Error(`B's payout list ${l} answered ${status}: ${text.slice(0, 500)}`);
  }
  console.log(`  hostile: B uploaded ${upload ? `${(upload.bytes / 1024 / 1024).toFixed(1)} MiB (${UPLOAD_ROWS} sales in ${UPLOAD_PAYOUTS} payouts)` : 'no file'}, started ${payoutsStarted} payouts in lists (${payoutsRefused} refused 429)`);
  // B's flood: all at once, as fast as the API takes them (64 connections), not awaited before A books.
  const flooding = Promise.all(Array.from({ length: FLOOD }, (_, i) => send(b, `flood-${i}`)));
  // A starts once B's first webhooks are in, so it books into B's backlog, not before it.
  while ((await pendingOf(b.shopId)) < Math.min(FLOOD, 50)) await new Promise((r) => setTimeout(r, 20));
  const acceptedIdle = accepted.splice(0);
  const underFlood: number[] = [];
  const bPending: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    underFlood.push(await bookOne(`flood-${i}`));
    bPending.push(await pendingOf(b.shopId));
  }
  const uploadAtLastProbe = upload ? await uploadStatus(upload.id) : null;
  const payoutsAtLastProbe = await payoutStatuses(b.shopId);
  await flooding;
  // Where A's slowest booking waited: the gaps in its workflow's history (queue waits vs. work).
  const slowest = underFlood.indexOf(Math.max(...underFlood));
  console.log(`  hostile: where A's slowest order (flood-${slowest}, ${underFlood[slowest]} ms) waited, the longest steps of its history:`);
  for (const line of await historyGaps(stack, workflowIds.order(a.shopId, `flood-${slowest}`))) console.log(`    ${line}`);
  console.log(`  hostile: A under B's flood of ${FLOOD} ${underFlood.map((ms) => `${ms} ms`).join(', ')}; B pending then ${bPending.join(', ')}`);
  console.log(`  hostile: at A's last probe B's file was ${uploadAtLastProbe ?? '-'}, B's payouts ${payoutsAtLastProbe}`);
  console.log(`  hostile: A's webhooks accepted in ${acceptedIdle.join(', ')} ms idle, ${accepted.join(', ')} ms under the flood`);
  agents.a.destroy();
  agents.b.destroy();
  // Let B's backlog drain so later scenarios start quiet.
  const t0 = Date.now();
  while ((await pendingOf(b.shopId)) > 0 && Date.now() - t0 < 1_800_000) await new Promise((r) => setTimeout(r, 1_000));
  console.log(`  hostile: B's flood booked ${((Date.now() - t0) / 1000).toFixed(0)} s after A's last probe; B's file then ${upload ? await uploadStatus(upload.id) : '-'}, its payouts ${await payoutStatuses(b.shopId)}`);
  const rows = await stack.db.db.select({ n: sql<number>`count(*)::int` }).from(orders).where(inArray(orders.shopId, [b.shopId]));
  if (rows[0]!.n !== FLOOD + 1) throw new Error(`B has ${rows[0]!.n} orders, expected ${FLOOD + 1}`);

  return {
    flood: FLOOD,
    probes: PROBES,
    idleP50Ms: median(idle),
    idleMaxMs: Math.max(...idle),
    floodP50Ms: median(underFlood),
    floodMaxMs: Math.max(...underFlood),
    ratio: Number((median(underFlood) / Math.max(1, median(idle))).toFixed(2)),
    bPendingAtProbes: bPending,
    upload: upload ? { bytes: upload.bytes, payouts: UPLOAD_PAYOUTS, statusAtLastProbe: uploadAtLastProbe! } : null,
    payoutsStarted,
    payoutsRefused,
  };
}
