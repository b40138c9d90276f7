import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { payoutLines, payouts } from '../../db/schema';
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

/** What the lines page counts over all of a payout's lines; amounts in minor units. */
export interface PayoutLineTotals {
  lines: number;
  /** The lines other than fee lines, as they move the acquirer balance. */
  gross: number;
  /** What the acquirer kept: withheld fees plus fee lines. */
  fees: number;
  settled: number;
  /** Settled receivable entries, summed (payments +, refunds −). */
  settledAmount: number;
  errorAccount: number;
  errorAccountAmount: number;
  disputes: number;
  disputesAmount: number;
  /** Matching has run: some line has a rule. */
  matched: boolean;
}

/**
 * The payout's totals as one JSON object, counted by PostgreSQL over its rows. Counted once when the rows are written
 * (a pass over 200,000 rows takes about 250 ms here), not on every page request. Migration 0017 counts the same.
 */
const totalsOf = (connectionId: string, payoutId: string) => sql`(
  select jsonb_build_object(
    'lines', count(*),
    'gross', coalesce(sum(amount) filter (where type <> 'fee'), 0),
    'fees', coalesce(sum(fee), 0) - coalesce(sum(amount) filter (where type = 'fee'), 0),
    'settled', count(*) filter (where destination = 'receivable'),
    'settledAmount', coalesce(sum(amount) filter (where destination = 'receivable'), 0),
    'errorAccount', count(*) filter (where destination = 'error_account'),
    'errorAccountAmount', coalesce(sum(amount) filter (where destination = 'error_account'), 0),
    'disputes', count(*) filter (where destination = 'disputes'),
    'disputesAmount', coalesce(sum(amount) filter (where destination = 'disputes'), 0),
    'matched', coalesce(bool_or(rule is not null), false))
  from payout_lines where connection_id = ${connectionId} and payout_id = ${payoutId})`;

/** 21 parameters a row; PostgreSQL takes at most 65,535 in one statement. */
const INSERT_CHUNK = 3_000;

/**
 * Replaces the payout's rows in payout_lines with its lines and, once matched, their matches, and counts its totals
 * into payouts.line_totals. Called in the transaction that stores the payout or its matches, so the page never sees
 * one without the other.
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
  await tx
    .update(payouts)
    .set({ lineTotals: totalsOf(connectionId, payoutId) })
    .where(and(eq(payouts.connectionId, connectionId), eq(payouts.payoutId, payoutId)));
}
