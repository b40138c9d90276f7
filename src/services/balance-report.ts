import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { payouts, postings, settlements, voucherLines, vouchers } from '../../db/schema';
import type { Mapping } from '../domain/mapping';
import type { Payout } from '../domain/payout';
import { minorUnitDigits, toDecimalString } from '../domain/money';
import { payoutFees } from '../domain/plan-payout';

export interface BalanceReport {
  ledgerId: string;
  /** The ledger's currency: every amount below is in its minor units (øre, cents). */
  currency: string;
  period: { from: string; to: string };
  ordersBooked: { count: number; amount: number };
  paymentsRegistered: { count: number; amount: number };
  refunds: { count: number; amount: number };
  payouts: { count: number; net: number; fees: number; linesMatched: number; linesUnmatched: number };
  errorAccount: { payoutId: string; lineNo: number; amount: number; reason: string }[];
  acquirers: {
    acquirer: string;
    receivableAccount: string;
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
  reason?: string;
}

/**
 * What an accountant checks at the end of a period: what was booked, what payouts settled, what sits on the error
 * account, and per acquirer whether the receivable equals the payments not yet paid out.
 */
export async function balanceReport(db: Db, ledger: { id: string; system: string; currency: string }, mapping: Mapping, from: string, to: string): Promise<BalanceReport> {
  const { id: ledgerId, system, currency } = ledger;
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

  const payoutRows = await db
    .select()
    .from(payouts)
    .where(and(eq(payouts.ledgerId, ledgerId), eq(payouts.status, 'booked'), gte(payouts.paidOutAt, from), lte(payouts.paidOutAt, to)));
  const errorAccount: BalanceReport['errorAccount'] = [];
  let fees = 0;
  let matched = 0;
  for (const p of payoutRows) {
    const payout = p.payout as Payout;
    fees += payoutFees(payout);
    for (const m of (p.matches as LineMatchRow[] | null) ?? []) {
      if (m.settles) matched++;
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
    .where(and(eq(postings.ledgerId, ledgerId), inArray(postings.kind, ['payment', 'refund_payment']), lte(postings.documentDate, to), sql`${settlements.reference} is null`))
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
    acquirers.push({ acquirer, receivableAccount: account, ledgerBalance, unpaidPayments, difference, balanced: difference === null || difference === 0 });
  }

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
    currency,
    period: { from, to },
    ordersBooked: total('invoice'),
    paymentsRegistered: total('payment'),
    refunds: total('credit_note'),
    payouts: { count: payoutRows.length, net: payoutRows.reduce((a, p) => a + p.netAmount, 0), fees, linesMatched: matched, linesUnmatched: errorAccount.length },
    errorAccount,
    acquirers,
    discrepancies,
    clean:
      acquirers.every((a) => a.balanced) &&
      discrepancies.ordersWithoutPayment.length === 0 &&
      discrepancies.paymentsWithoutInvoice.length === 0 &&
      errorAccount.length === 0,
  };
}

/** The same report as CSV rows: section, key, value, detail. */
/**
 * The report for a spreadsheet: amounts in currency units ("1234.50", as an accountant reads them), each with its
 * currency; counts in their own column.
 */
export function balanceReportRows(r: BalanceReport): string[][] {
  const digits = minorUnitDigits(r.currency);
  const money = (minor: number | null) => (minor === null ? '' : toDecimalString(minor, digits));
  const row = (section: string, item: string, count: number | '', amount: number | null, detail = '') =>
    [section, item, String(count), money(amount), amount === null ? '' : r.currency, detail];
  const rows: string[][] = [['section', 'item', 'count', 'amount', 'currency', 'detail']];
  rows.push(row('period', 'from', '', null, r.period.from), row('period', 'to', '', null, r.period.to));
  rows.push(row('orders', 'booked', r.ordersBooked.count, r.ordersBooked.amount));
  rows.push(row('payments', 'registered', r.paymentsRegistered.count, r.paymentsRegistered.amount));
  rows.push(row('refunds', 'credit notes', r.refunds.count, r.refunds.amount));
  rows.push(row('payouts', 'booked (net)', r.payouts.count, r.payouts.net), row('payouts', 'fees', '', r.payouts.fees));
  for (const a of r.acquirers) {
    const state = a.balanced ? 'balanced' : `difference ${a.difference === null ? 'unknown' : `${money(a.difference)} ${r.currency}`}`;
    rows.push(row(`acquirer ${a.acquirer}`, `receivable ${a.receivableAccount}`, '', a.ledgerBalance, `unpaid payments ${money(a.unpaidPayments)} ${r.currency}; ${state}`));
  }
  for (const e of r.errorAccount) rows.push(row('error account', `payout ${e.payoutId} line ${e.lineNo}`, '', e.amount, e.reason));
  for (const o of r.discrepancies.ordersWithoutPayment) rows.push(row('discrepancy', 'order without payment', '', null, o));
  for (const o of r.discrepancies.paymentsWithoutInvoice) rows.push(row('discrepancy', 'payment without invoice', '', null, o));
  rows.push(row('result', 'clean', '', null, String(r.clean)));
  return rows;
}
