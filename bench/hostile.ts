/**
 * The hostile-tenant scenario (issue 17, point 7): shop B floods the webhook with orders while shop A books one order
 * at a time, as a normal shop does. Prints A's webhook→booked latency idle (B quiet) and under B's flood, and how many
 * of B's orders were still pending each time one of A's booked: the flood is only a test of fairness while it lasts.
 *
 * BENCH_FLOOD (default 300) orders from B, BENCH_PROBES (default 8) orders from A, one after another, in each phase.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import http from 'node:http';
import { orders } from '../db/schema';
import { workflowIds } from '../workflows/definitions';
import proto from '@temporalio/proto';
import { benchOrder, createShop, median } from './shared';
import type { Stack } from './stack';

const FLOOD = Number(process.env.BENCH_FLOOD ?? 300);
const PROBES = Number(process.env.BENCH_PROBES ?? 8);

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

  // Warm up: the first booking of a shop starts its ledger workflow and fills caches.
  await bookOne('warm-a');
  await send(b, 'warm-b');

  accepted.length = 0;
  const idle: number[] = [];
  for (let i = 0; i < PROBES; i++) idle.push(await bookOne(`idle-${i}`));
  console.log(`  hostile: A idle ${idle.map((ms) => `${ms} ms`).join(', ')}`);

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
  await flooding;
  // Where A's slowest booking waited: the gaps in its workflow's history (queue waits vs. work).
  const slowest = underFlood.indexOf(Math.max(...underFlood));
  console.log(`  hostile: where A's slowest order (flood-${slowest}, ${underFlood[slowest]} ms) waited, the longest steps of its history:`);
  for (const line of await historyGaps(stack, workflowIds.order(a.shopId, `flood-${slowest}`))) console.log(`    ${line}`);
  console.log(`  hostile: A under B's flood of ${FLOOD} ${underFlood.map((ms) => `${ms} ms`).join(', ')}; B pending then ${bPending.join(', ')}`);
  console.log(`  hostile: A's webhooks accepted in ${acceptedIdle.join(', ')} ms idle, ${accepted.join(', ')} ms under the flood`);
  agents.a.destroy();
  agents.b.destroy();
  // Let B's backlog drain so later scenarios start quiet.
  const t0 = Date.now();
  while ((await pendingOf(b.shopId)) > 0 && Date.now() - t0 < 1_800_000) await new Promise((r) => setTimeout(r, 1_000));
  console.log(`  hostile: B's flood booked ${((Date.now() - t0) / 1000).toFixed(0)} s after A's last probe`);
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
  };
}
