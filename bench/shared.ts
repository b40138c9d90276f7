/** What the bench scenarios share: the shop they create and the order they send, and how they sum up timings. */
import { readFileSync } from 'node:fs';
import type { Stack } from './stack';

/** examples/shop.json: the shop every scenario creates, under its own name. */
export const shopTemplate = JSON.parse(readFileSync(new URL('../examples/shop.json', import.meta.url), 'utf8'));

/** Creates a shop from the template through the admin API. */
export async function createShop(stack: Stack, name: string): Promise<{ shopId: string; apiKey: string }> {
  const res = await fetch(`${stack.api}/v1/admin/shops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...shopTemplate, name }),
  });
  return (await res.json()) as { shopId: string; apiKey: string };
}

/** A paid one-line card order as a shop's webhook sends it. */
export function benchOrder(orderId: string, total: number, orderNumber = `#${orderId}`) {
  return {
    orderId,
    orderNumber,
    status: 'paid',
    createdAt: '2026-11-10T10:00:00Z',
    currency: 'DKK',
    customer: { name: 'Bench Customer' },
    deliveryCountry: 'DK',
    lines: [{ kind: 'goods', description: 'Mug', quantity: 1, unitPrice: total, vatRate: 25 }],
    total,
    payment: { method: 'visa', transactionId: `t-${orderId}`, amount: total },
  };
}

/** The p-th percentile (nearest rank below), 0 for no values. */
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};
export const median = (xs: number[]) => percentile(xs, 50);

/**
 * bench/results.json's text: indented JSON, but each of `results` on one line (one scenario, stable keys), so a
 * script or a diff compares runs line by line.
 */
export function resultsJson(doc: { results: object[] } & Record<string, unknown>): string {
  const lines = doc.results.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return JSON.stringify({ ...doc, results: '<results>' }, null, 2).replace('"<results>"', doc.results.length ? `[\n${lines}\n  ]` : '[]');
}

/** What every scenario of the bench reports, one line of results.json each (bench/run.ts, bench/floor). */
export interface ScenarioResult {
  scenario: string;
  ledger: string;
  ledgers: number;
  orders: number;
  ordersPerSecond: number;
  acceptP50Ms: number;
  acceptP99Ms: number;
  bookedP50Ms: number;
  bookedP99Ms: number;
  /** null for the floor, which has no ledger. */
  serializationEfficiency: number | null;
  workerPeakRssMiB: number;
  apiPeakRssMiB: number;
}
