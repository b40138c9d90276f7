import type { Payout, PayoutLine, PayoutLineType } from '../../../domain/payout';
import { compact } from '../files/build';
import type { Settlement, Transaction } from './report';

/**
 * A Clearhaus settlement as a payout, a pure function of the documented objects. Its transactions carry their own
 * settlement amounts (gross, fees, in the account's currency): captures and debits add, refunds and credits (payouts to
 * a card) take away. What the summary holds beyond the transactions becomes explicit lines: chargebacks (from the
 * disputes, which the transactions do not list), other postings one by one, fees not charged on a transaction, and the
 * rolling reserve withheld from this payout. By Clearhaus' own arithmetic the lines then add up to payout.amount
 * exactly when the transactions add up to sales + credits + refunds; if not, booking stops as payout_unbalanced.
 */

const kinds: Record<string, { type: PayoutLineType; sign: 1 | -1 }> = {
  capture: { type: 'payment', sign: 1 },
  debit: { type: 'payment', sign: 1 },
  refund: { type: 'refund', sign: -1 },
  credit: { type: 'adjustment', sign: -1 },
};
/** Documented types that move no money: nothing to book when they appear. */
const noMoney = new Set(['authorization', 'void']);

export function payoutFromSettlement(s: Settlement, transactions: readonly Transaction[], acquirer = 'quickpay'): Payout {
  const date = s.payout!.date.slice(0, 10);
  const lines: PayoutLine[] = [];
  const unknown: { lineNo: number; entryType: string }[] = [];
  let txFees = 0;
  for (const t of transactions) {
    const kind = kinds[t.type];
    if (!kind && noMoney.has(t.type) && !t.settlement?.amount_gross) continue;
    const lineNo = lines.length + 1;
    if (!kind) unknown.push({ lineNo, entryType: t.type });
    const gross = Math.abs(t.settlement?.amount_gross ?? t.amount);
    const fee = Math.abs(t.settlement?.fees ?? 0);
    txFees += fee;
    lines.push(
      compact({
        lineNo,
        type: kind?.type ?? 'adjustment',
        amount: (kind?.sign ?? 1) * gross,
        fee,
        currency: t.settlement?.currency ?? s.currency,
        transactionId: t.id,
        orderReference: t.reference ?? undefined,
        paymentMethod: t.card?.scheme ?? t.payment_method ?? undefined,
        date: t.processed_at.slice(0, 10),
        description: kind?.type === 'adjustment' ? `${t.type}: money paid to a card` : kind ? undefined : `unknown transaction type ${t.type}`,
      }),
    );
  }
  const extra = (type: PayoutLineType, amount: number, description: string, on = date) => {
    if (amount !== 0) lines.push({ lineNo: lines.length + 1, type, amount, fee: 0, currency: s.currency, date: on, description });
  };
  extra('chargeback', s.summary.chargebacks, `chargebacks of settlement ${s.id} (Clearhaus disputes)`);
  for (const p of s.other_postings ?? []) extra('adjustment', p.amount, p.text, p.date.slice(0, 10));
  const otherPostings = (s.other_postings ?? []).reduce((a, p) => a + p.amount, 0);
  if (otherPostings !== s.summary.other_postings) extra('adjustment', s.summary.other_postings - otherPostings, 'other postings not itemized');
  extra('fee', s.summary.fees + txFees, 'fees not charged on a transaction (scheme, service, wire transfer …)');
  if (s.reserve && !s.reserve.cancelled_date) extra('adjustment', -s.reserve.amount, `rolling reserve withheld${s.reserve.date ? ` until ${s.reserve.date.slice(0, 10)}` : ''}`);

  const payout: Payout = { acquirer, payoutId: s.id, currency: s.currency, paidOutAt: date, netAmount: s.payout!.amount, lines };
  if (unknown.length) payout.unknownEntries = unknown;
  return payout;
}
