import type { Payout, PayoutLine, PayoutLineType } from '../../../domain/payout';
import { compact } from '../files/build';
import { SettlementParseError } from '../port';
import type { FundsEntry } from './report';

/**
 * Vipps MobilePay `funds` ledger entries → payouts, a pure function so an API fetch and any other delivery of the same
 * JSON read alike. The payout entry empties the balance towards the bank and closes a payout with every entry since
 * the previous one (its pspReference, "<ledgerId>-<payoutNumber>", is the payout id). The OpenAPI document (2023) names
 * it `scheduled-for-payout`, the current entry-type reference `payout-scheduled`: both close a payout. Entries after the
 * last payout entry are not paid out yet and are left for a later fetch.
 *
 * Vipps MobilePay adds entry types without notice. One we do not know keeps its amount as an adjustment line (so the
 * sums still hold) and is listed on the payout, which then fails naming it: never dropped, never booked on a guess.
 * With balanceBefore/balanceAfter present every entry's arithmetic and the chain between entries is checked; a
 * balance the window does not itemize (carried in from before its first entry, or left behind by a reserve) becomes an
 * explicit line.
 */

const payoutEntryTypes = new Set(['payout-scheduled', 'scheduled-for-payout']);

/** The documented funds entry types (test/fixtures/vendors/vipps) → our line types. */
const types: Record<string, PayoutLineType> = {
  capture: 'payment',
  refund: 'refund',
  'fees-retained': 'fee',
  'retained-disputed-capture': 'chargeback',
  // The money of a won dispute comes back.
  'returned-disputed-capture': 'chargeback_reversal',
  // A failed payout's money returns to the balance; manual corrections, deposits and credit notes are judged by a
  // person, since they pay no invoice.
  'payout-aborted': 'adjustment',
  correction: 'adjustment',
  'top-up': 'adjustment',
  'credit-note': 'adjustment',
};

export const isPayoutEntry = (entryType: string) => payoutEntryTypes.has(entryType);

interface Balances {
  before: number;
  after: number;
}

function checkBalances(e: FundsEntry, no: number, previous: Balances | undefined): Balances | undefined {
  if (e.balanceBefore === undefined || e.balanceAfter === undefined) return undefined;
  const fail = (reason: string): never => {
    throw new SettlementParseError(no, reason);
  };
  if (e.balanceBefore + e.amount !== e.balanceAfter) fail(`balanceAfter ${e.balanceAfter} is not balanceBefore ${e.balanceBefore} plus amount ${e.amount}`);
  if (previous && previous.after !== e.balanceBefore) {
    fail(`balanceBefore ${e.balanceBefore} does not continue from the previous entry's balanceAfter ${previous.after}: entries are missing or out of order`);
  }
  return { before: e.balanceBefore, after: e.balanceAfter };
}

/** Payouts closed within the entries (ledger order, numbered from 1), and how many entries wait for a later payout. */
export function payoutsFromFunds(entries: readonly FundsEntry[], acquirer = 'vipps'): { payouts: Payout[]; pending: number } {
  const payouts: Payout[] = [];
  let currency: string | undefined;
  let lines: PayoutLine[] = [];
  let unknown: { lineNo: number; entryType: string }[] = [];
  let opening: number | undefined;
  let previous: Balances | undefined;

  entries.forEach((e, i) => {
    const no = i + 1;
    currency ??= e.currency;
    if (e.currency !== currency) throw new SettlementParseError(no, `currency ${e.currency} in a ledger of ${currency}: a Vipps MobilePay ledger has one currency`);
    const bal = checkBalances(e, no, previous);
    previous = bal;
    opening ??= bal?.before;

    if (isPayoutEntry(e.entryType)) {
      const payoutId = e.pspReference ?? e.reference;
      if (!payoutId) throw new SettlementParseError(no, `the ${e.entryType} entry has no pspReference to name the payout by`);
      if (payouts.some((p) => p.payoutId === payoutId)) throw new SettlementParseError(no, `payout ${payoutId} is scheduled twice`);
      // What the payout pays beyond its own entries: a balance carried in, less what stays behind after it.
      const unitemized = bal && opening !== undefined ? opening - bal.after : 0;
      if (unitemized !== 0) {
        lines.push({
          lineNo: no,
          type: 'adjustment',
          amount: unitemized,
          fee: 0,
          currency,
          date: e.ledgerDate,
          description: `balance not itemized: ${opening} before the first entry read, ${bal!.after} left after the payout`,
        });
      }
      const payout: Payout = { acquirer, payoutId, currency, paidOutAt: e.ledgerDate, netAmount: -e.amount, lines };
      if (unknown.length) payout.unknownEntries = unknown;
      payouts.push(payout);
      lines = [];
      unknown = [];
      opening = undefined;
      return;
    }
    const known = types[e.entryType];
    if (!known) unknown.push({ lineNo: no, entryType: e.entryType });
    lines.push(
      compact({
        lineNo: no,
        type: known ?? 'adjustment',
        amount: e.amount,
        fee: 0,
        currency,
        transactionId: e.pspReference,
        orderReference: e.reference,
        date: e.ledgerDate,
        description: known === 'payment' || known === 'refund' ? undefined : known ? e.entryType : `unknown entry type ${e.entryType}`,
      }),
    );
  });
  return { payouts, pending: lines.length };
}
