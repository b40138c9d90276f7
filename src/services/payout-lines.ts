import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { payoutLines } from '../../db/schema';
import type { LineMatch } from '../../activities/payouts';
import type { PayoutLine } from '../domain/payout';

/** Where a payout line ends up on the voucher, as the balance report counts it (src/services/balance-report.ts). */
export type LineDestination = 'receivable' | 'disputes' | 'fees' | 'error_account' | 'not_planned';

export function destinationOf(line: Pick<PayoutLine, 'type'>, m: LineMatch | undefined): LineDestination {
  if (line.type === 'fee') return 'fees';
  if (!m) return 'not_planned';
  if (m.settles) return 'receivable';
  if (m.disputes) return 'disputes';
  return m.rule === 'fee' ? 'fees' : 'error_account';
}

/** 21 parameters a row; PostgreSQL takes at most 65,535 in one statement. */
const INSERT_CHUNK = 3_000;

/**
 * Replaces the payout's rows in payout_lines with its lines and, once matched, their matches. Called in the
 * transaction that stores the payout or its matches, so the page never sees one without the other.
 */
export async function writePayoutLines(
  tx: Db,
  payout: { shopId: string; connectionId: string; payoutId: string },
  lines: readonly PayoutLine[],
  matches: readonly LineMatch[] = [],
  /** Called after each chunk (an activity heartbeats). */
  progress?: () => void,
): Promise<void> {
  const { shopId, connectionId, payoutId } = payout;
  const byLine = new Map(matches.map((m) => [m.lineNo, m]));
  await tx.delete(payoutLines).where(and(eq(payoutLines.connectionId, connectionId), eq(payoutLines.payoutId, payoutId)));
  for (let at = 0; at < lines.length; at += INSERT_CHUNK) {
    progress?.();
    await tx.insert(payoutLines).values(
      lines.slice(at, at + INSERT_CHUNK).map((line) => {
        const m = byLine.get(line.lineNo);
        return {
          connectionId,
          payoutId,
          shopId,
          lineNo: line.lineNo,
          type: line.type,
          date: line.date,
          amount: line.amount,
          fee: line.fee,
          currency: line.currency,
          transactionId: line.transactionId ?? null,
          orderReference: line.orderReference ?? null,
          paymentMethod: line.paymentMethod ?? null,
          description: line.description ?? null,
          destination: destinationOf(line, m),
          rule: m?.rule ?? null,
          settlesKind: m?.settles?.kind ?? null,
          settlesReference: m?.settles?.reference ?? null,
          settlesOrderNumber: m?.settles?.orderNumber ?? null,
          disputesReference: m?.disputes?.reference ?? null,
          disputesOrderNumber: m?.disputes?.orderNumber ?? null,
          reason: m?.reason ?? null,
        };
      }),
    );
  }
}
