/**
 * Issue 16's worker memory with open orders: BENCH_OPEN_ORDERS (default 10,000) orders sent as pending at BENCH_RATE,
 * a status the shop does not book, so each order's workflow waits (for a later snapshot, or until its wait runs out).
 * Once every one has written its waiting status and the worker has gone quiet, reads the worker's VmRSS and VmHWM.
 * Target: < 500 MB. The worker keeps up to WORKER_MAX_CACHED_WORKFLOWS workflows in memory per task queue.
 */
import { and, countDistinct, eq } from 'drizzle-orm';
import { bookingEvents } from '../db/schema';
import { benchOrder, createShop } from './shared';
import { memoryMiB, quiet } from './proc';
import type { Post } from './month-burst';
import type { Stack } from './stack';

const OPEN = Number(process.env.BENCH_OPEN_ORDERS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);

export interface OpenOrdersResult {
  openOrders: number;
  /** From the first webhook until every order's workflow had written its waiting status. */
  allWaitingAfterMs: number;
  /** The worker before the first webhook (started, workflows bundled, idle), and once all wait and it is idle. */
  workerRssBeforeMiB: number;
  workerRssMiB: number;
  workerPeakRssMiB: number;
  /** (RSS − RSS before) / open orders. */
  rssPerOpenWorkflowMiB: number;
  maxCachedWorkflows: string;
}

export async function openOrdersBench(stack: Stack, post: Post): Promise<OpenOrdersResult> {
  const shop = await createShop(stack, 'Open orders');
    const before = memoryMiB(stack.worker.pid);
  const t0 = Date.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < OPEN; i++) {
    const wait = t0 + (i * 1000) / RATE - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = { ...benchOrder(`open-${i}`, 1_000 + (i % 50) * 100, `#O${i}`), status: 'pending' };
    sends.push(
      post(`${stack.api}/v1/webhooks/orders`, shop.apiKey, body).then(({ status, text }) => {
        if (status !== 202) throw new Error(`webhook answered ${status}: ${text}`);
      }),
    );
    // Settles the sent ones now and then, so that 10,000 pending promises do not pile up.
    if (sends.length >= 1000) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);

  const waiting = async () =>
    (
      await stack.db.db
        .select({ n: countDistinct(bookingEvents.subjectId) })
        .from(bookingEvents)
        .where(and(eq(bookingEvents.shopId, shop.shopId), eq(bookingEvents.subject, 'order'), eq(bookingEvents.status, 'waiting')))
    )[0]!.n;
  for (let n = 0, lastReport = Date.now(); n < OPEN; ) {
    n = await waiting();
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(`  open orders: ${n}/${OPEN} waiting after ${((Date.now() - t0) / 1000).toFixed(0)} s; worker RSS ${memoryMiB(stack.worker.pid).rss.toFixed(0)} MiB`);
    }
    if (Date.now() - t0 > 3_600_000) throw new Error(`open orders: only ${n} of ${OPEN} waiting after an hour`);
    if (n < OPEN) await new Promise((r) => setTimeout(r, 1000));
  }
  const allWaitingAfterMs = Date.now() - t0;
  await quiet(stack.worker.pid, 300_000);
  const after = memoryMiB(stack.worker.pid);
  const result: OpenOrdersResult = {
    openOrders: OPEN,
    allWaitingAfterMs,
    workerRssBeforeMiB: Math.round(before.rss),
    workerRssMiB: Math.round(after.rss),
    workerPeakRssMiB: Math.round(after.hwm),
    rssPerOpenWorkflowMiB: Number(((after.rss - before.rss) / OPEN).toFixed(3)),
    maxCachedWorkflows: process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 'default',
  };
  console.log(
    `open orders: ${OPEN} orders waiting (all after ${allWaitingAfterMs} ms); worker RSS ${result.workerRssMiB} MiB (peak ${result.workerPeakRssMiB}; ${result.workerRssBeforeMiB} before), ` +
      `${result.rssPerOpenWorkflowMiB} MiB per open workflow; target < 500 MB; cache ${result.maxCachedWorkflows}`,
  );
  return result;
}
