/**
 * Issue 16's month-shaped burst: BENCH_BURST_ORDERS (default 600) orders, each sent three times as it changes in the
 * shop (pending, paid, fulfilled, a second apart, each with its own updatedAt) through the generic webhook, BENCH_RATE
 * (default 200) webhooks a second in all. Targets: the first voucher in the ledger within 5 s of the first bookable
 * (paid) webhook, and no workflow task timed out in any workflow of the run (each one is a task redone after 10 s).
 * Also reports the time until all are booked, workflow task failures, history events per order workflow, and the
 * worker's CPU per order (what a smaller workflow cache costs in replays shows here).
 */
import { and, count, eq, inArray, min } from 'drizzle-orm';
import proto, { type temporal } from '@temporalio/proto';
import { orders, vouchers } from '../db/schema';
import { benchOrder, shopTemplate } from './shared';
import { cpuMs } from './proc';
import type { Stack } from './stack';

const ORDERS = Number(process.env.BENCH_BURST_ORDERS ?? 600);
const RATE = Number(process.env.BENCH_RATE ?? 200);
/** How the order changes in the shop, a second apart; the shop books paid and fulfilled orders. */
const STATUSES = ['pending', 'paid', 'fulfilled'] as const;
const { EventType, TimeoutType } = proto.temporal.api.enums.v1;

export interface MonthBurstResult {
  orders: number;
  webhooks: number;
  rate: number;
  /** From sending the first paid webhook to the first voucher stored in the ledger (target ≤ 5,000). */
  firstVoucherAfterMs: number;
  /** From sending the first webhook to the last order booked. */
  allBookedAfterMs: number;
  /** WorkflowTaskTimedOut events in all workflows started in the run (target 0), and of them schedule-to-start ones. */
  workflowTaskTimeouts: number;
  workflowTaskScheduleToStartTimeouts: number;
  workflowTaskFailures: number;
  workflows: number;
  historyEventsPerOrder: number;
  workerCpuMsPerOrder: number;
  /** The worker's WORKER_MAX_CACHED_WORKFLOWS in the run ("default": the SDK's). */
  maxCachedWorkflows: string;
}

export type Post = (url: string, key: string, body: unknown) => Promise<{ status: number; text: string }>;

/** Each order's three snapshots in the order a shop sends them: order i changes at i/(RATE/3) s, and 1 s and 2 s later. */
function schedule(): { at: number; order: number; status: (typeof STATUSES)[number] }[] {
  const perSecond = RATE / STATUSES.length;
  return Array.from({ length: ORDERS }, (_, i) => STATUSES.map((status, step) => ({ at: (1000 * i) / perSecond + 1000 * step, order: i, status })))
    .flat()
    .sort((a, b) => a.at - b.at);
}

/** Counts task timeouts and failures in the history of every workflow started since `since`. */
async function workflowTaskTrouble(stack: Stack, since: Date) {
  const trouble = { workflows: 0, timeouts: 0, scheduleToStart: 0, failures: 0, orderEvents: 0, orderWorkflows: 0 };
  const runs = stack.temporal.workflow.list({ query: `StartTime >= "${since.toISOString()}"` });
  for await (const { workflowId, history } of runs.intoHistories({ concurrency: 10 })) {
    const events = (history as temporal.api.history.v1.IHistory).events ?? [];
    trouble.workflows++;
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) trouble.failures++;
      if (e.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) continue;
      trouble.timeouts++;
      if (e.workflowTaskTimedOutEventAttributes?.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) trouble.scheduleToStart++;
    }
    if (workflowId.startsWith('order/')) {
      trouble.orderWorkflows++;
      trouble.orderEvents += events.length;
    }
  }
  return trouble;
}

export async function monthBurstBench(stack: Stack, post: Post): Promise<MonthBurstResult> {
  const mapping = { ...shopTemplate.mapping, readyStatuses: ['paid', 'fulfilled'] };
  const created = await fetch(`${stack.api}/v1/admin/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...shopTemplate, name: 'Month burst', mapping }),
  });
  const shop = (await created.json()) as { shopId: string; apiKey: string };
  const db = stack.db.db;
  const cpuBefore = cpuMs(stack.worker.pid);
  const since = new Date(Date.now() - 1000);
  const t0 = Date.now();
  let firstBookableAt = 0;
  const sends: Promise<void>[] = [];
  for (const { at, order, status } of schedule()) {
    const wait = t0 + at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (status !== 'pending' && !firstBookableAt) firstBookableAt = Date.now();
    const body = { ...benchOrder(`burst-${order}`, 1_000 + (order % 50) * 100, `#B${order}`), status, updatedAt: new Date(Date.UTC(2026, 10, 10, 10, 0, STATUSES.indexOf(status))).toISOString() };
    sends.push(
      post(`${stack.api}/v1/webhooks/orders`, shop.apiKey, body).then(({ status: code, text }) => {
        if (code !== 202) throw new Error(`webhook answered ${code}: ${text}`);
      }),
    );
  }
  await Promise.all(sends);

  // The shop's ledger: vouchers carry the ledger's id, the orders name it.
  let firstVoucherAt = 0;
  for (let booked = 0, lastReport = Date.now(); booked < ORDERS; ) {
    if (!firstVoucherAt) {
      const [row] = await db.select({ ledgerId: orders.ledgerId }).from(orders).where(eq(orders.shopId, shop.shopId)).limit(1);
      const [first] = row ? await db.select({ at: min(vouchers.createdAt) }).from(vouchers).where(eq(vouchers.ledgerId, row.ledgerId)) : [];
      firstVoucherAt = first?.at?.getTime() ?? 0;
    }
    booked = (await db.select({ n: count() }).from(orders).where(and(eq(orders.shopId, shop.shopId), inArray(orders.status, ['booked']))))[0]!.n;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(`  month burst: ${booked}/${ORDERS} booked after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    if (Date.now() - t0 > 3_600_000) throw new Error(`month burst: only ${booked} of ${ORDERS} booked after an hour`);
    if (booked < ORDERS) await new Promise((r) => setTimeout(r, 250));
  }
  const allBookedAt = Date.now();
  const workerCpu = cpuMs(stack.worker.pid) - cpuBefore;
  const trouble = await workflowTaskTrouble(stack, since);
  const result: MonthBurstResult = {
    orders: ORDERS,
    webhooks: ORDERS * STATUSES.length,
    rate: RATE,
    firstVoucherAfterMs: firstVoucherAt - firstBookableAt,
    allBookedAfterMs: allBookedAt - t0,
    workflowTaskTimeouts: trouble.timeouts,
    workflowTaskScheduleToStartTimeouts: trouble.scheduleToStart,
    workflowTaskFailures: trouble.failures,
    workflows: trouble.workflows,
    historyEventsPerOrder: Number((trouble.orderEvents / Math.max(1, trouble.orderWorkflows)).toFixed(1)),
    workerCpuMsPerOrder: Math.round(workerCpu / ORDERS),
    maxCachedWorkflows: process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 'default',
  };
  console.log(
    `month burst: ${result.orders} orders × 3 snapshots at ${RATE}/s: first voucher ${result.firstVoucherAfterMs} ms after the first paid webhook (target ≤ 5,000); ` +
      `all booked after ${result.allBookedAfterMs} ms; workflow task timeouts ${result.workflowTaskTimeouts} (${result.workflowTaskScheduleToStartTimeouts} schedule-to-start; target 0), ` +
      `failures ${result.workflowTaskFailures}, in ${result.workflows} workflows; ${result.historyEventsPerOrder} history events per order; worker CPU ${result.workerCpuMsPerOrder} ms per order`,
  );
  return result;
}
