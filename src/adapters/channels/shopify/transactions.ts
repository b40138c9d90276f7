import type { Order, PaymentTransaction } from '../../../domain/order';
import { minorUnitDigits } from '../../../domain/money';
import { JsonNode } from '../json';
import { clip } from '../mapping';
import { unnamedGateway } from './order';

/**
 * Shopify's Order Transaction resource (GET /orders/{id}/transactions.json, asked in the shop's currency) → the
 * order's payment transactions. What took money is a `sale` or a `capture` with status success; an `authorization`
 * only reserved it (listed, captured false: one never captured is no payment). Refunds are booked from the refunds,
 * and voids, failures and errors moved nothing: they are left out.
 */
const payingKinds = new Set(['sale', 'capture', 'authorization']);
const liveStatuses = new Set(['success', 'pending']);

/** `body` is the answer of transactions.json: `{"transactions": [...]}`. */
export function mapShopifyTransactions(body: unknown, order: Pick<Order, 'currency'>): PaymentTransaction[] {
  const digits = minorUnitDigits(order.currency);
  const out: PaymentTransaction[] = [];
  for (const t of JsonNode.root(body).get('transactions').items()) {
    const kind = t.get('kind').text().toLowerCase();
    const status = t.get('status').text().toLowerCase();
    if (!payingKinds.has(kind) || !liveStatuses.has(status)) continue;
    const currency = t.optText('currency')?.toUpperCase();
    if (currency !== undefined && currency !== order.currency) t.get('currency').fail(`is ${currency}, the order is booked in ${order.currency}`);
    const amount = t.get('amount').minor(digits);
    if (amount <= 0) t.get('amount').fail('a payment transaction moves a positive amount');
    const gateway = clip(t.optText('gateway')?.trim().toLowerCase() || unnamedGateway, 100);
    // The gateway's own reference (e.g. the acquirer's payment id) is what a payout line is matched on.
    const authorization = t.optText('authorization');
    const at = t.opt('processed_at') ?? t.opt('created_at');
    out.push({
      id: t.get('id').id(),
      method: gateway,
      amount,
      ...(authorization ? { transactionId: clip(authorization, 200) } : {}),
      captured: kind !== 'authorization' && status === 'success',
      ...(at ? { capturedAt: at.dateTime() } : {}),
    });
  }
  return out;
}
