import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../../db/client';
import { ledgerAccounts, ledgerVatCodes } from '../../../../db/schema';

export interface LocalVatCode {
  code: string;
  /** Percent, e.g. 25 or 12.5. */
  rate: number;
  /** The output VAT account; null on codes made before codes named one. */
  account: string | null;
}

/** The local ledger's VAT codes, by code. */
export async function listVatCodes(db: Db, ledgerId: string): Promise<LocalVatCode[]> {
  const rows = await db.select().from(ledgerVatCodes).where(eq(ledgerVatCodes.ledgerId, ledgerId)).orderBy(ledgerVatCodes.code);
  return rows.map((r) => ({ code: r.code, rate: Number(r.rate), account: r.account }));
}

/**
 * Adds a VAT code to the local ledger. Refused (the field that is wrong, and why) when its output VAT account is not
 * in the ledger's chart or the code exists already: a code is never redefined under a booking that used it.
 */
export async function createVatCode(db: Db, ledgerId: string, code: LocalVatCode & { account: string }): Promise<{ refused: 'account' | 'code' } | { created: LocalVatCode }> {
  const [account] = await db
    .select({ number: ledgerAccounts.number })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.ledgerId, ledgerId), eq(ledgerAccounts.number, code.account)));
  if (!account) return { refused: 'account' };
  const [row] = await db
    .insert(ledgerVatCodes)
    .values({ ledgerId, code: code.code, rate: String(code.rate), account: code.account })
    .onConflictDoNothing()
    .returning();
  return row ? { created: { code: row.code, rate: Number(row.rate), account: row.account } } : { refused: 'code' };
}
