import { readFileSync } from 'node:fs';
import { SettlementParseError } from '../../../src/adapters/acquirers/port';
import type { Payout } from '../../../src/domain/payout';

export const fixture = (name: string) => readFileSync(new URL(`../../fixtures/settlements/${name}`, import.meta.url), 'utf8');

/** A payout in a compact shape for exact comparisons: every line as [type, amount, fee]. */
export const summary = (p: Payout) => ({
  id: p.payoutId,
  currency: p.currency,
  paidOutAt: p.paidOutAt,
  net: p.netAmount,
  lines: p.lines.map((l) => [l.type, l.amount, l.fee]),
});

/** What the lines say reached the bank: their amounts less their fees. */
export const netOfLines = (p: Payout) => p.lines.reduce((a, l) => a + l.amount - l.fee, 0);

/** The line and reason of a SettlementParseError, or null when the parse succeeded; any other error propagates. */
export function rejection(parse: () => unknown): { line: number; reason: string } | null {
  try {
    parse();
  } catch (e) {
    if (e instanceof SettlementParseError) return { line: e.lineNumber, reason: e.reason };
    throw e;
  }
  return null;
}
