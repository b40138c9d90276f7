import { listAll, type OrderRow, type RefundRow } from './http-api';
import type { FaultyShop } from './ledgers';

export interface Progress {
  ordersBooked: number;
  refundsBooked: number;
  /** Every status seen, e.g. { booked: 480, queued: 12, failed: 1 }. */
  byStatus: Record<string, number>;
  orders: OrderRow[][];
  refunds: RefundRow[][];
}

/** Booking statuses of every order and refund of the run's shops, through the API. */
export async function readProgress(api: string, shops: FaultyShop[]): Promise<Progress> {
  const orders = await Promise.all(shops.map((s) => listAll<OrderRow>(api, s.apiKey, 'orders')));
  const refunds = await Promise.all(shops.map((s) => listAll<RefundRow>(api, s.apiKey, 'refunds')));
  const byStatus: Record<string, number> = {};
  for (const row of [...orders.flat(), ...refunds.flat()]) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  return {
    ordersBooked: orders.flat().filter((o) => o.status === 'booked').length,
    refundsBooked: refunds.flat().filter((r) => r.status === 'booked').length,
    byStatus,
    orders,
    refunds,
  };
}

export interface SettleOptions {
  expectedOrders: number;
  expectedRefunds: number;
  /** Give up when nothing changed for this long (a stuck booking never settles). */
  stallMs: number;
  timeoutMs: number;
  onProgress?: (p: Progress) => void;
  log?: (line: string) => void;
}

/**
 * Polls until every order and refund is booked; prints a progress line now and then. Answers the last progress
 * seen either way: the assertions afterwards say what is missing.
 */
export async function waitUntilSettled(api: string, shops: FaultyShop[], o: SettleOptions): Promise<{ settled: boolean; progress: Progress; seconds: number }> {
  const t0 = Date.now();
  let lastChange = Date.now();
  let lastKey = '';
  let lastLine = 0;
  for (;;) {
    const p = await readProgress(api, shops);
    o.onProgress?.(p);
    const key = JSON.stringify(p.byStatus);
    if (key !== lastKey) {
      lastKey = key;
      lastChange = Date.now();
    }
    const settled = p.ordersBooked === o.expectedOrders && p.refundsBooked === o.expectedRefunds;
    const seconds = Math.round((Date.now() - t0) / 1000);
    if (settled || Date.now() - lastLine > 10_000) {
      lastLine = Date.now();
      const states = Object.entries(p.byStatus).sort().map(([s, n]) => `${s} ${n}`).join(', ');
      o.log?.(`  ${seconds} s: orders booked ${p.ordersBooked}/${o.expectedOrders}, refunds booked ${p.refundsBooked}/${o.expectedRefunds} (${states})`);
    }
    if (settled) return { settled, progress: p, seconds };
    if (Date.now() - lastChange > o.stallMs || Date.now() - t0 > o.timeoutMs) return { settled: false, progress: p, seconds };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
