import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { payouts, postings, settlements, voucherLines, vouchers } from '../../db/schema';
import { accountsOfAcquirer, type Mapping } from '../domain/mapping';
import { minorUnitDigits } from '../domain/money';
import type { Payout } from '../domain/payout';
import { giftCardGateway } from '../domain/plan-payment';
import { payoutFees } from '../domain/plan-payout';
import { unfinishedBookings, type UnfinishedBooking } from './unfinished-bookings';

export interface BalanceReport {
  ledgerId: string;
  /** Every amount of the report is in minor units (øre, cents) of this currency. */
  currency: string;
  minorUnitDigits: number;
  period: { from: string; to: string };
  /** Invoices booked in the ledger; drafts are counted apart, since nothing of them is in the books yet. */
  ordersBooked: { count: number; amount: number };
  drafts: { count: number; amount: number };
  paymentsRegistered: { count: number; amount: number };
  refunds: { count: number; amount: number };
  payouts: { count: number; net: number; fees: number; linesMatched: number; linesUnmatched: number };
  errorAccount: { payoutId: string; lineNo: number; amount: number; reason: string }[];
  /** Chargebacks (−) and won disputes (+) placed on the order they dispute, on the acquirer's disputes account. */
  disputes: { acquirer: string; payoutId: string; lineNo: number; type: string; amount: number; orderNumber: string | null }[];
  /**
   * Output VAT per account the mapping's VAT codes post to, with those codes: the period's VAT on it (credits less
   * debits) in the local ledger, to tick off against the VAT return; null where the ledger system keeps the books.
   */
  vat: { account: string; vatCodes: string[]; vat: number | null }[];
  /** Orders, refunds and payouts of the period that are not booked: failed, waiting, drafted …, with the reason. */
  unfinished: UnfinishedBooking[];
  acquirers: {
    acquirer: string;
    receivableAccount: string;
    feeAccount: string;
    /** What this acquirer's payouts of the period kept in fees (dispute fees included). */
    fees: number;
    disputesAccount: string | null;
    /** The receivable's balance in the ledger at the end of the period (local ledger only; null elsewhere). */
    ledgerBalance: number | null;
    /** Payments minus refund payments that no payout has settled yet. */
    unpaidPayments: number;
    difference: number | null;
    balanced: boolean;
  }[];
  discrepancies: {
    ordersWithoutPayment: string[];
    paymentsWithoutInvoice: string[];
    payoutLinesWithoutInvoice: { payoutId: string; lineNo: number; amount: number; reason: string }[];
  };
  clean: boolean;
}

interface LineMatchRow {
  lineNo: number;
  amount: number;
  fee: number;
  type: string;
  rule: string;
  settles: unknown;
  disputes?: { reference: string; orderNumber: string | null };
  reason?: string;
}


/**
 * Payments a payout will settle: not a gift card redeemed, which settles against the gift card liability (the
 * `gift_card` parts of a split payment) and is no acquirer's receivable.
 */
export const onAcquirer = sql`${postings.acquirer} is distinct from ${giftCardGateway}`;

/**
 * What an accountant checks at the end of a period: what was booked (drafts apart), what is not booked and why, what
 * payouts settled, what sits on the error and disputes accounts, and per acquirer whether the receivable equals the
 * payments not yet paid out. Clean only when everything of the period is booked and matched.
 */
export async function balanceReport(db: Db, ledger: { id: string; system: string; currency: string }, mapping: Mapping, from: string, to: string): Promise<BalanceReport> {
  const { id: ledgerId, system } = ledger;
  const inPeriod = and(eq(postings.ledgerId, ledgerId), gte(postings.documentDate, from), lte(postings.documentDate, to));
  const totals = await db
    .select({ kind: postings.kind, count: sql<number>`count(*)::int`, amount: sql<string>`coalesce(sum(${postings.amount}),0)` })
    .from(postings)
    .where(inPeriod)
    .groupBy(postings.kind);
  const total = (kind: string) => {
    const t = totals.find((r) => r.kind === kind);
    return { count: t?.count ?? 0, amount: Number(t?.amount ?? 0) };
  };
  const [draftRow] = await db
    .select({ count: sql<number>`count(*)::int`, amount: sql<string>`coalesce(sum(${postings.amount}),0)` })
    .from(postings)
    .where(and(inPeriod, eq(postings.kind, 'invoice'), eq(postings.state, 'draft')));
  const drafts = { count: draftRow?.count ?? 0, amount: Number(draftRow?.amount ?? 0) };
  const invoices = total('invoice');

  const payoutRows = await db
    .select()
    .from(payouts)
    .where(and(eq(payouts.ledgerId, ledgerId), eq(payouts.status, 'booked'), gte(payouts.paidOutAt, from), lte(payouts.paidOutAt, to)))
    .orderBy(asc(payouts.paidOutAt), asc(payouts.payoutId));
  const errorAccount: BalanceReport['errorAccount'] = [];
  const disputes: BalanceReport['disputes'] = [];
  const feesOf = new Map<string, number>();
  let fees = 0;
  let matched = 0;
  for (const p of payoutRows) {
    const payout = p.payout as Payout;
    fees += payoutFees(payout);
    feesOf.set(p.acquirer, (feesOf.get(p.acquirer) ?? 0) + payoutFees(payout));
    for (const m of (p.matches as LineMatchRow[] | null) ?? []) {
      if (m.settles) matched++;
      else if (m.disputes) disputes.push({ acquirer: p.acquirer, payoutId: p.payoutId, lineNo: m.lineNo, type: m.type, amount: m.amount, orderNumber: m.disputes.orderNumber });
      else if (m.rule !== 'fee') errorAccount.push({ payoutId: p.payoutId, lineNo: m.lineNo, amount: m.amount, reason: m.reason ?? m.type });
    }
  }

  // Per acquirer: payments and refunds up to the end of the period that no payout settled.
  const open = await db
    .select({
      acquirer: postings.acquirer,
      account: postings.receivableAccount,
      unpaid: sql<string>`coalesce(sum(case when ${postings.kind} = 'payment' then ${postings.amount} else -${postings.amount} end),0)`,
    })
    .from(postings)
    .leftJoin(settlements, and(eq(settlements.ledgerId, postings.ledgerId), eq(settlements.kind, postings.kind), eq(settlements.reference, postings.reference)))
    .where(and(eq(postings.ledgerId, ledgerId), inArray(postings.kind, ['payment', 'refund_payment']), onAcquirer, lte(postings.documentDate, to), sql`${settlements.reference} is null`))
    .groupBy(postings.acquirer, postings.receivableAccount);
  const acquirerAccounts = new Map<string, string>();
  for (const m of Object.values(mapping.paymentMethods)) acquirerAccounts.set(m.acquirer, m.receivableAccount);
  for (const o of open) if (o.acquirer && o.account) acquirerAccounts.set(o.acquirer, o.account);

  const acquirers: BalanceReport['acquirers'] = [];
  for (const [acquirer, account] of acquirerAccounts) {
    const unpaidPayments = Number(open.find((o) => o.acquirer === acquirer)?.unpaid ?? 0);
    let ledgerBalance: number | null = null;
    if (system === 'local') {
      const [row] = await db
        .select({ balance: sql<string>`coalesce(sum(${voucherLines.amount}),0)` })
        .from(voucherLines)
        .innerJoin(vouchers, eq(vouchers.id, voucherLines.voucherId))
        .where(and(eq(voucherLines.ledgerId, ledgerId), eq(voucherLines.account, account), eq(vouchers.state, 'booked'), lte(vouchers.date, to)));
      ledgerBalance = Number(row?.balance ?? 0);
    }
    const difference = ledgerBalance === null ? null : ledgerBalance - unpaidPayments;
    const own = accountsOfAcquirer(mapping, acquirer);
    acquirers.push({
      acquirer,
      receivableAccount: account,
      feeAccount: own.fee,
      fees: feesOf.get(acquirer) ?? 0,
      disputesAccount: own.disputes ?? null,
      ledgerBalance,
      unpaidPayments,
      difference,
      balanced: difference === null || difference === 0,
    });
  }
  const unfinished = await unfinishedBookings(db, ledgerId, from, to);
  const vat = await vatPerAccount(db, ledger, mapping, from, to);

  // Invoices booked in the period without a payment registration, and payments without a booked invoice.
  const docs = await db
    .select({ kind: postings.kind, reference: postings.reference, orderId: postings.orderId, state: postings.state })
    .from(postings)
    .where(and(inPeriod, inArray(postings.kind, ['invoice', 'payment'])));
  const paid = new Set(docs.filter((d) => d.kind === 'payment').map((d) => d.orderId ?? d.reference));
  const invoiced = new Set(docs.filter((d) => d.kind === 'invoice' && d.state === 'booked').map((d) => d.reference));
  const discrepancies = {
    ordersWithoutPayment: [...invoiced].filter((r) => !paid.has(r)).sort(),
    paymentsWithoutInvoice: [...paid].filter((r) => !invoiced.has(r)).sort(),
    payoutLinesWithoutInvoice: errorAccount,
  };
  return {
    ledgerId,
    currency: ledger.currency,
    minorUnitDigits: minorUnitDigits(ledger.currency),
    period: { from, to },
    ordersBooked: { count: invoices.count - drafts.count, amount: invoices.amount - drafts.amount },
    drafts,
    paymentsRegistered: total('payment'),
    refunds: total('credit_note'),
    payouts: { count: payoutRows.length, net: payoutRows.reduce((a, p) => a + p.netAmount, 0), fees, linesMatched: matched, linesUnmatched: errorAccount.length },
    errorAccount,
    disputes,
    vat,
    unfinished,
    acquirers,
    discrepancies,
    clean:
      drafts.count === 0 &&
      unfinished.length === 0 &&
      acquirers.every((a) => a.balanced) &&
      discrepancies.ordersWithoutPayment.length === 0 &&
      discrepancies.paymentsWithoutInvoice.length === 0 &&
      errorAccount.length === 0,
  };
}

/** The period's output VAT per account of the mapping's VAT codes (booked vouchers of the local ledger). */
async function vatPerAccount(db: Db, ledger: { id: string; system: string }, mapping: Mapping, from: string, to: string): Promise<BalanceReport['vat']> {
  const codesOf = new Map<string, string[]>();
  for (const [code, v] of Object.entries(mapping.vatCodes)) codesOf.set(v.account, [...(codesOf.get(v.account) ?? []), code]);
  const accounts = [...codesOf.keys()].sort();
  const sums = new Map<string, number>();
  if (ledger.system === 'local' && accounts.length) {
    const rows = await db
      .select({ account: voucherLines.account, sum: sql<string>`coalesce(sum(${voucherLines.amount}),0)` })
      .from(voucherLines)
      .innerJoin(vouchers, eq(vouchers.id, voucherLines.voucherId))
      .where(and(eq(voucherLines.ledgerId, ledger.id), inArray(voucherLines.account, accounts), eq(vouchers.state, 'booked'), gte(vouchers.date, from), lte(vouchers.date, to)))
      .groupBy(voucherLines.account);
    for (const r of rows) sums.set(r.account, -Number(r.sum) || 0);
  }
  return accounts.map((account) => ({ account, vatCodes: codesOf.get(account)!.sort(), vat: ledger.system === 'local' ? (sums.get(account) ?? 0) : null }));
}
