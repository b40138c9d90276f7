import type { OrderInput, Refund } from '../../src/domain/order';
import { seededRandom } from './fault-mix';

/**
 * The webshop side of a fault run: orders over several shops as their webhooks would arrive — some created
 * "pending" and updated to "paid" later, partial refunds, 10 % of deliveries twice, 5 % of orders out of order (the
 * update before its create, or the refund before its order) — and a sender that retries like a webshop does.
 */

export interface PlannedOrder {
  shop: number;
  orderId: string;
  total: number;
  /** The snapshot the books must show (the last one the shop sent). */
  final: OrderInput;
}

export interface PlannedRefund {
  shop: number;
  refundId: string;
  orderId: string;
  amount: number;
}

export interface Delivery {
  shop: number;
  kind: 'order' | 'refund';
  body: OrderInput | Refund;
  /** Seconds after the start of the traffic. */
  at: number;
  duplicate: boolean;
}

export interface TrafficPlan {
  orders: PlannedOrder[];
  refunds: PlannedRefund[];
  deliveries: Delivery[];
  duplicates: number;
  /** Orders whose update came before their create. */
  updateBeforeCreate: number;
  /** Refunds that came before their order. */
  refundBeforeOrder: number;
}

export interface TrafficOptions {
  seed: number;
  orders: number;
  shops: number;
  /** New orders per second. */
  rate: number;
  duplicateRate?: number;
  outOfOrderRate?: number;
  refundRate?: number;
  /** Share of orders created "pending" and paid by a later update. */
  twoStepRate?: number;
  /** At least this many refunds before their order, spread evenly over the orders (the dice decide the rest). */
  refundBeforeOrder?: number;
}

const customers = Array.from({ length: 40 }, (_, i) => ({ name: `Kunde ${i + 1}`, email: `kunde${i + 1}@example.dk` }));
const products = [
  { description: 'Coffee mug', unitPrice: 7_900 },
  { description: 'Teapot', unitPrice: 34_900 },
  { description: 'Espresso cups, set of 4', unitPrice: 19_950 },
  { description: 'Milk jug', unitPrice: 12_475 },
  { description: 'Coffee beans 1 kg', unitPrice: 18_999 },
];

export function planTraffic(o: TrafficOptions): TrafficPlan {
  const random = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const orders: PlannedOrder[] = [];
  const refunds: PlannedRefund[] = [];
  const base: Omit<Delivery, 'duplicate'>[] = [];
  let updateBeforeCreate = 0;
  let refundBeforeOrder = 0;

  for (let i = 0; i < o.orders; i++) {
    const shop = i % o.shops;
    const orderId = `F${String(i + 1).padStart(4, '0')}`;
    const lines: OrderInput['lines'] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const p = pick(products);
      return { kind: 'goods' as const, description: p.description, quantity: 1 + Math.floor(random() * 3), unitPrice: p.unitPrice, vatRate: 25 };
    });
    if (random() < 0.6) lines.push({ kind: 'shipping', description: 'Shipping', quantity: 1, unitPrice: 3_900, vatRate: 25 });
    const total = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
    const final: OrderInput = {
      orderId,
      orderNumber: `#${1000 + i}`,
      status: 'paid',
      createdAt: `2026-11-${String(2 + (i % 25)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z`,
      currency: 'DKK',
      customer: pick(customers),
      deliveryCountry: random() < 0.85 ? 'DK' : 'SE',
      lines,
      total,
      payment: { method: random() < 0.5 ? 'dankort' : 'visa', transactionId: `txn-${orderId}`, amount: total },
    };
    orders.push({ shop, orderId, total, final });

    const t = i / o.rate;
    const outOfOrder = random() < (o.outOfOrderRate ?? 0.05);
    const forced = Array.from({ length: o.refundBeforeOrder ?? 0 }, (_, k) => Math.floor(((k + 1) * o.orders) / ((o.refundBeforeOrder ?? 0) + 1)));
    const refundFirst = (outOfOrder && random() < 0.5) || forced.includes(i);
    const twoStep = (outOfOrder && !refundFirst) || random() < (o.twoStepRate ?? 0.3);
    const updateGap = 0.5 + random() * 2;
    if (twoStep) {
      // Both say when the shop changed them, as Shopify's updated_at does: the late older one must not win.
      final.updatedAt = final.createdAt.replace(':00Z', ':30Z');
      const pending: OrderInput = { ...final, status: 'pending', payment: undefined, updatedAt: final.createdAt };
      const late = outOfOrder && !refundFirst;
      if (late) updateBeforeCreate++;
      base.push({ shop, kind: 'order', body: pending, at: late ? t + updateGap : t });
      base.push({ shop, kind: 'order', body: final, at: late ? t : t + updateGap });
    } else {
      base.push({ shop, kind: 'order', body: final, at: t });
    }
    if (refundFirst || random() < (o.refundRate ?? 0.1)) {
      const amount = Math.max(100, Math.round((total * (0.2 + random() * 0.6)) / 100) * 100);
      const refundId = `R${String(i + 1).padStart(4, '0')}`;
      refunds.push({ shop, refundId, orderId, amount });
      if (refundFirst) refundBeforeOrder++;
      const refund: Refund = { refundId, orderId, createdAt: final.createdAt.replace('T10:', 'T16:'), currency: 'DKK', amount, reason: 'Partial refund: one item returned' };
      base.push({ shop, kind: 'refund', body: refund, at: refundFirst ? Math.max(0, t - 1) : t + 3 + random() * 10 });
    }
  }

  // A duplicate arrives shortly after the original, before anything later of the same order: a webshop retrying
  // a delivery it thought had failed. (Stale re-deliveries are what "out of order" covers.)
  const deliveries: Delivery[] = [];
  for (const d of base) {
    deliveries.push({ ...d, duplicate: false });
    if (random() < (o.duplicateRate ?? 0.1)) deliveries.push({ ...d, at: d.at + 0.05 + random() * 0.4, duplicate: true });
  }
  deliveries.sort((a, b) => a.at - b.at);
  return { orders, refunds, deliveries, duplicates: deliveries.filter((d) => d.duplicate).length, updateBeforeCreate, refundBeforeOrder };
}

export interface SendStats {
  sent: number;
  /** Deliveries the API did not accept at once (it was restarting its connections): sent again, as a webshop would. */
  retried: number;
}

/** Sends every delivery at its time through the real webhook API; retries until accepted (202) or `deadline`. */
export async function sendTraffic(plan: TrafficPlan, api: string, apiKeys: string[], deadlineMs = 30 * 60_000): Promise<SendStats> {
  const stats: SendStats = { sent: 0, retried: 0 };
  const t0 = Date.now();
  const deliver = async (d: Delivery) => {
    const path = d.kind === 'order' ? '/v1/webhooks/orders' : '/v1/webhooks/refunds';
    for (let attempt = 0; ; attempt++) {
      const status = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKeys[d.shop]}`, 'content-type': 'application/json' },
        body: JSON.stringify(d.body),
        signal: AbortSignal.timeout(30_000),
      })
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0);
      if (status === 202) break;
      if (status >= 400 && status < 500 && status !== 429) throw new Error(`webhook refused with ${status}: ${JSON.stringify(d.body)}`);
      if (Date.now() - t0 > deadlineMs) throw new Error(`webhook not accepted within ${deadlineMs} ms`);
      stats.retried++;
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
    }
    stats.sent++;
  };
  const inFlight: Promise<void>[] = [];
  for (const d of plan.deliveries) {
    const wait = t0 + d.at * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(deliver(d));
  }
  await Promise.all(inFlight);
  return stats;
}
