import { and, asc, eq, gt, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgerAccounts, voucherLines, vouchers } from '../../db/schema';

/** The local ledger's journal, read a page at a time. */
export interface VoucherFilter {
  from?: string;
  to?: string;
  /** Vouchers with at least one line on this account (all their lines are shown). */
  account?: string;
  kind?: string;
  reference?: string;
  limit: number;
  /** From the previous page's nextCursor. */
  cursor?: string;
}

/**
 * Vouchers come in voucher-number order, drafts (no number yet) last; the cursor is the last voucher's place in that
 * order: "n<number>" or "d<id>".
 */
const cursorOf = (v: { number: number | null; id: number }) => (v.number === null ? `d${v.id}` : `n${v.number}`);

export function parseCursor(cursor: string): { number: number } | { draftId: number } | null {
  const m = /^([nd])(\d{1,10})$/.exec(cursor);
  if (!m) return null;
  return m[1] === 'n' ? { number: Number(m[2]) } : { draftId: Number(m[2]) };
}

function after(cursor: string | undefined): SQL | undefined {
  const c = cursor === undefined ? null : parseCursor(cursor);
  if (!c) return undefined;
  if ('number' in c) return or(gt(vouchers.number, c.number), isNull(vouchers.number));
  return and(isNull(vouchers.number), gt(vouchers.id, c.draftId));
}

export async function listVouchers(db: Db, ledgerId: string, f: VoucherFilter) {
  const where = [eq(vouchers.ledgerId, ledgerId)];
  if (f.from) where.push(gte(vouchers.date, f.from));
  if (f.to) where.push(lte(vouchers.date, f.to));
  if (f.kind) where.push(eq(vouchers.kind, f.kind));
  if (f.reference) where.push(eq(vouchers.reference, f.reference));
  if (f.account) {
    where.push(sql`exists (select 1 from ${voucherLines} where ${voucherLines.voucherId} = ${vouchers.id} and ${voucherLines.account} = ${f.account})`);
  }
  const page = after(f.cursor);
  if (page) where.push(page);
  const rows = await db
    .select()
    .from(vouchers)
    .where(and(...where))
    .orderBy(sql`${vouchers.number} asc nulls last`, asc(vouchers.id))
    .limit(f.limit + 1);
  const shown = rows.slice(0, f.limit);
  const lines = shown.length
    ? await db.select().from(voucherLines).where(inArray(voucherLines.voucherId, shown.map((r) => r.id))).orderBy(asc(voucherLines.id))
    : [];
  return {
    vouchers: shown.map((v) => ({
      number: v.number,
      kind: v.kind,
      reference: v.reference,
      state: v.state,
      date: v.date,
      currency: v.currency,
      text: v.text,
      lines: lines.filter((l) => l.voucherId === v.id).map((l) => ({ account: l.account, amount: l.amount, text: l.text, vatCode: l.vatCode })),
    })),
    nextCursor: rows.length > f.limit ? cursorOf(shown.at(-1)!) : null,
  };
}

export interface AccountBalance {
  account: string;
  name: string | null;
  /** balance (assets, liabilities) or result (income, expenses) */
  type: string | null;
  /** Minor units, debit +, credit −: the balance before `from`. */
  opening: number;
  /** Sums of the period's debit lines (≥ 0) and credit lines (≥ 0). */
  debits: number;
  credits: number;
  /** opening + debits − credits: the balance at the end of `to`. */
  closing: number;
}

/**
 * The trial balance of booked vouchers (drafts are not in the books): per account with any line up to `to`, its
 * opening balance, the period's debits and credits, and its closing balance. Every voucher balances, so the closing
 * balances sum to zero and the period's debits equal its credits.
 */
export async function trialBalance(db: Db, ledgerId: string, from: string, to: string): Promise<AccountBalance[]> {
  const inPeriod = sql`${vouchers.date} >= ${from}`;
  const rows = await db
    .select({
      account: voucherLines.account,
      name: ledgerAccounts.name,
      type: ledgerAccounts.type,
      opening: sql<string>`coalesce(sum(${voucherLines.amount}) filter (where ${vouchers.date} < ${from}), 0)`,
      debits: sql<string>`coalesce(sum(${voucherLines.amount}) filter (where ${inPeriod} and ${voucherLines.amount} > 0), 0)`,
      credits: sql<string>`coalesce(-sum(${voucherLines.amount}) filter (where ${inPeriod} and ${voucherLines.amount} < 0), 0)`,
    })
    .from(voucherLines)
    .innerJoin(vouchers, eq(vouchers.id, voucherLines.voucherId))
    .leftJoin(ledgerAccounts, and(eq(ledgerAccounts.ledgerId, voucherLines.ledgerId), eq(ledgerAccounts.number, voucherLines.account)))
    .where(and(eq(voucherLines.ledgerId, ledgerId), eq(vouchers.state, 'booked'), lte(vouchers.date, to)))
    .groupBy(voucherLines.account, ledgerAccounts.name, ledgerAccounts.type)
    .orderBy(asc(voucherLines.account));
  return rows.map((r) => {
    const [opening, debits, credits] = [Number(r.opening), Number(r.debits), Number(r.credits)];
    return { account: r.account, name: r.name, type: r.type, opening, debits, credits, closing: opening + debits - credits };
  });
}
