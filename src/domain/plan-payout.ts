import { BookingError } from './errors';
import { accountsOfAcquirer, type Mapping } from './mapping';

/** The part of the mapping a payout books to. */
export type PayoutAccounts = Pick<Mapping, 'accounts' | 'acquirers'>;
import { minorUnitDigits, roundDiv, sum } from './money';
import type { Payout, PayoutLine } from './payout';
import type { MatchResult, OpenDocument } from './payout-matching';
import type { JournalLine, Voucher } from './posting';

/** "7.4581" → 74581n / 10^4, refusing anything that is not a plain positive decimal. */
function parseRate(rate: string): { units: bigint; scale: bigint } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  const units = m ? BigInt(`${m[1]}${m[2] ?? ''}`) : 0n;
  if (!m || units === 0n) throw new BookingError('currency_mismatch', { reason: `exchange rate "${rate}" is not a positive decimal number` });
  return { units, scale: 10n ** BigInt(m[2]?.length ?? 0) };
}

/**
 * Converts an amount in `from` minor units to `to` minor units at an exact rate (1 `from` = rate `to`), rounding half
 * away from zero. `inverse` when the acquirer quotes the rate the other way (1 `to` = rate `from`).
 */
export function convertMinor(amount: number, rate: string, from: string, to: string, inverse = false): number {
  const { units, scale } = parseRate(rate);
  const shift = minorUnitDigits(to) - minorUnitDigits(from);
  let num = BigInt(amount) * (inverse ? scale : units);
  let den = inverse ? units : scale;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const out = Number(roundDiv(num, den));
  if (!Number.isSafeInteger(out)) throw new RangeError(`converted amount of ${amount} ${from} is out of range`);
  return out;
}


/** What the acquirer kept for fees: every line's withheld fee, plus whatever fee-type lines charge (their −amount). */
export function payoutFees(payout: Payout): number {
  return sum(payout.lines.map((l) => l.fee + (l.type === 'fee' ? -l.amount : 0)));
}

function lineLabel(line: PayoutLine): string {
  const kind = { payment: 'Payment', refund: 'Refund', chargeback: 'Chargeback', chargeback_reversal: 'Dispute reversal', adjustment: 'Adjustment', fee: 'Fee' }[line.type];
  const ref = line.transactionId ?? line.orderReference;
  return `${kind} line ${line.lineNo}${ref ? ` (${ref})` : ''}`;
}

function assertBalanced(voucher: Voucher): Voucher {
  for (const l of voucher.lines) {
    if (!Number.isSafeInteger(l.amount)) throw new RangeError(`voucher line ${l.account} "${l.text}" is not whole minor units: ${l.amount}`);
  }
  const total = sum(voucher.lines.map((l) => l.amount));
  if (total !== 0) throw new Error(`payout voucher "${voucher.text}" does not balance: off by ${total}`);
  return voucher;
}

/**
 * A chargeback placed on its payment debits the acquirer's disputes account (a won dispute credits it back): the sale,
 * its VAT and the receivable stay as booked. Without a disputes account for the acquirer the payout stops naming it.
 */
function disputeLine(line: PayoutLine, payment: OpenDocument, disputes: string | undefined, payout: Payout): JournalLine {
  if (!disputes) {
    throw new BookingError('unmapped_disputes_account', { payoutId: payout.payoutId, acquirer: payout.acquirer, lineNo: line.lineNo, orderNumber: payment.orderNumber });
  }
  const what = line.type === 'chargeback' ? 'disputed' : 'dispute won';
  return { account: disputes, amount: -line.amount, text: `${lineLabel(line)}: order ${payment.orderNumber} ${what}` };
}

/** A voucher line and the payout line it comes from (none for the bank, fee, rounding and currency lines). */
interface PlannedLine extends JournalLine {
  lineNo?: number;
}

/** A voucher as planned: its lines still know their payout line. */
type PlannedVoucher = Omit<Voucher, 'lines'> & { lines: PlannedLine[] };

/** The journal line the ledger gets: without the payout line it came from. */
const journalLine = (l: PlannedLine): JournalLine => ({ account: l.account, amount: l.amount, text: l.text, ...(l.vatCode ? { vatCode: l.vatCode } : {}) });

/**
 * The lines in the payout's own currency. Matched lines settle their document's receivable entry at the document's
 * amount (credit for an invoice, debit for a credit note): that is what sits on the receivable. What a line pays
 * beyond or short of its document goes to rounding when it is one minor unit, otherwise to the error account, so the
 * receivable is always cleared exactly and the discrepancy stays visible.
 */
function payoutCurrencyLines(payout: Payout, matches: readonly MatchResult[], mapping: PayoutAccounts, text: string): PlannedLine[] {
  const { error, rounding, bank } = mapping.accounts;
  const { fee, disputes } = accountsOfAcquirer(mapping, payout.acquirer);
  const byLine = new Map(matches.map((m) => [m.line, m]));
  const byNo = new Map(matches.map((m) => [m.line.lineNo, m]));
  const lines: PlannedLine[] = [];

  for (const line of payout.lines) {
    if (line.currency !== payout.currency) {
      throw new BookingError('currency_mismatch', { payoutId: payout.payoutId, lineNo: line.lineNo, lineCurrency: line.currency, payoutCurrency: payout.currency });
    }
    if (line.type === 'fee') continue;
    const match = byLine.get(line) ?? byNo.get(line.lineNo);
    if (match?.disputed) {
      lines.push({ ...disputeLine(line, match.disputed, disputes, payout), lineNo: line.lineNo });
      continue;
    }
    const doc = match?.document;
    if (!doc) {
      const reason = match?.reason ?? 'not matched';
      lines.push({ account: error, amount: -line.amount, text: `${lineLabel(line)}: ${reason}`, lineNo: line.lineNo });
      continue;
    }
    const label = doc.kind === 'invoice' ? `Order ${doc.orderNumber}` : `Refund ${doc.reference} (order ${doc.orderNumber})`;
    lines.push({ account: doc.receivableAccount, amount: -doc.amount, text: `${label}, matched by ${match.rule.replace(/_/g, ' ')}`, lineNo: line.lineNo });
    const rest = line.amount - doc.amount;
    if (rest !== 0) {
      const subUnit = Math.abs(rest) <= 1;
      lines.push({
        account: subUnit ? rounding : error,
        amount: -rest,
        text: `${label}: ${lineLabel(line)} is ${line.amount}, the ${doc.kind === 'invoice' ? 'payment' : 'refund'} was ${doc.amount}`,
        lineNo: line.lineNo,
      });
    }
  }

  const fees = payoutFees(payout);
  if (payout.netAmount !== 0) lines.push({ account: bank, amount: payout.netAmount, text: `${text}: paid out` });
  if (fees !== 0) lines.push({ account: fee, amount: fees, text: `${text}: fees` });

  // Lines − fees must be what reached the bank. One minor unit per line is the acquirer's own rounding; more is not.
  const gross = sum(payout.lines.filter((l) => l.type !== 'fee').map((l) => l.amount));
  const difference = gross - fees - payout.netAmount;
  if (Math.abs(difference) > Math.max(1, payout.lines.length)) {
    throw new BookingError('payout_unbalanced', { payoutId: payout.payoutId, gross, fees, net: payout.netAmount, difference, expectedNet: gross - fees });
  }
  const open = -sum(lines.map((l) => l.amount));
  if (open !== 0) lines.push({ account: rounding, amount: open, text: `${text}: rounding` });
  return lines.filter((l) => l.amount !== 0);
}

/**
 * The payout as one journal voucher (docs/ARCHITECTURE.md, "The bookkeeping, by example", steps 3–4 and 6): each matched line
 * settles its receivable entry, the bank gets the net amount, fees go to the acquirer's fee account (or the shared
 * one), chargebacks placed on their payment to its disputes account, unmatched lines go to the error account with
 * their reason, sub-unit differences to rounding. Lines, fees and net that disagree by more than rounding
 * can explain stop the booking (payout_unbalanced).
 *
 * A payout in another currency than the ledger is converted line by line at the acquirer's exact rate, rounding half
 * away from zero per line; what the per-line rounding leaves goes to the currency difference account, never dropped.
 */
export function planPayout(payout: Payout, matches: readonly MatchResult[], mapping: PayoutAccounts, ledgerCurrency: string): Voucher {
  const voucher = plannedVoucher(payout, matches, mapping, ledgerCurrency);
  return assertBalanced({ ...voucher, lines: voucher.lines.map(journalLine) });
}

function plannedVoucher(payout: Payout, matches: readonly MatchResult[], mapping: PayoutAccounts, ledgerCurrency: string): PlannedVoucher {
  if (payout.unknownEntries?.length) {
    const types = [...new Set(payout.unknownEntries.map((e) => e.entryType))];
    throw new BookingError('payout_unknown_entry_type', { payoutId: payout.payoutId, types, entries: payout.unknownEntries });
  }
  const text = `Payout ${payout.payoutId} from ${payout.acquirer}`;
  const lines = payoutCurrencyLines(payout, matches, mapping, text);
  if (payout.currency === ledgerCurrency) return { currency: ledgerCurrency, date: payout.paidOutAt, text, lines };

  const rate = payout.exchangeRate;
  const direct = rate?.from === payout.currency && rate.to === ledgerCurrency;
  const inverse = rate?.from === ledgerCurrency && rate.to === payout.currency;
  if (!rate || (!direct && !inverse)) {
    throw new BookingError('currency_mismatch', {
      payoutId: payout.payoutId,
      payoutCurrency: payout.currency,
      ledgerCurrency,
      reason: rate ? `the exchange rate is ${rate.from}→${rate.to}, not ${payout.currency}→${ledgerCurrency}` : 'the acquirer gave no exchange rate for this payout',
    });
  }
  const differenceAccount = mapping.accounts.currencyDifference;
  if (!differenceAccount) {
    throw new BookingError('currency_mismatch', {
      payoutId: payout.payoutId,
      payoutCurrency: payout.currency,
      ledgerCurrency,
      reason: 'the mapping has no currency difference account (accounts.currencyDifference) for payouts in another currency',
    });
  }
  const converted = lines.map((l) => ({ ...l, amount: convertMinor(l.amount, rate.rate, payout.currency, ledgerCurrency, inverse) }));
  const rest = -sum(converted.map((l) => l.amount));
  if (rest !== 0) converted.push({ account: differenceAccount, amount: rest, text: `${text}: currency difference at ${rate.from}/${rate.to} ${rate.rate}` });
  return {
    currency: ledgerCurrency,
    date: payout.paidOutAt,
    text: `${text} (${payout.currency} at ${rate.from}/${rate.to} ${rate.rate})`,
    lines: converted.filter((l) => l.amount !== 0),
  };
}

/** One voucher of a payout booked in parts, and the payout lines whose settlement it books. */
export interface PayoutPart {
  voucher: Voucher;
  lineNos: number[];
}

/**
 * The payout as vouchers of at most `maxLines` lines each (PAYOUT_MAX_VOUCHER_LINES): one voucher when it fits, as
 * planPayout plans it. A larger one is split in parts, in the payout's line order, without splitting the lines of
 * one payout line. Every part balances: parts 1..n−1 each end with a carry line on the carry account (the receivable
 * of the payout's first settled payment, else the error account) that takes their sum to the last part; the last
 * part holds the bank line (the one amount the bank statement shows), the fees, rounding and currency difference,
 * and takes the carried sums back. Once every part is booked, the carry lines net to zero on that account.
 */
export function planPayoutParts(payout: Payout, matches: readonly MatchResult[], mapping: PayoutAccounts, ledgerCurrency: string, maxLines: number): PayoutPart[] {
  if (!Number.isSafeInteger(maxLines) || maxLines < 4) throw new RangeError(`a payout voucher needs room for at least 4 lines, not ${maxLines}`);
  const voucher = plannedVoucher(payout, matches, mapping, ledgerCurrency);
  const lineNosOf = (ls: PlannedLine[]) => [...new Set(ls.flatMap((l) => (l.lineNo === undefined ? [] : [l.lineNo])))];
  if (voucher.lines.length <= maxLines) {
    return [{ voucher: assertBalanced({ ...voucher, lines: voucher.lines.map(journalLine) }), lineNos: lineNosOf(voucher.lines) }];
  }
  const perLine = voucher.lines.filter((l) => l.lineNo !== undefined);
  const tail = voucher.lines.filter((l) => l.lineNo === undefined);
  const settledOn = new Map(matches.flatMap((m) => (m.document ? [[m.line.lineNo, m.document.receivableAccount] as const] : [])));
  const carryAccount = perLine.find((l) => settledOn.get(l.lineNo!) === l.account)?.account ?? mapping.accounts.error;

  // Chunks of whole payout lines, each leaving room for its carry line.
  const chunks: PlannedLine[][] = [];
  let chunk: PlannedLine[] = [];
  for (let i = 0; i < perLine.length; ) {
    let j = i;
    while (j < perLine.length && perLine[j]!.lineNo === perLine[i]!.lineNo) j++;
    const group = perLine.slice(i, j);
    if (chunk.length + group.length > maxLines - 1 && chunk.length) {
      chunks.push(chunk);
      chunk = [];
    }
    chunk.push(...group);
    i = j;
  }
  // The last chunk also takes the tail and the carry back, if they fit; otherwise they form a part of their own.
  const last = chunk.length + tail.length + 1 <= maxLines ? [...chunk, ...tail] : (chunks.push(chunk), [...tail]);
  const n = chunks.length + 1;
  const partText = (i: number) => `${voucher.text}, part ${i} of ${n}`;
  const parts: PayoutPart[] = chunks.map((ls, i) => {
    const carried = -sum(ls.map((l) => l.amount));
    const lines = [...ls.map(journalLine), { account: carryAccount, amount: carried, text: `${partText(i + 1)}: carried to part ${n}` }];
    return { voucher: assertBalanced({ ...voucher, text: partText(i + 1), lines: lines.filter((l) => l.amount !== 0) }), lineNos: lineNosOf(ls) };
  });
  const back = -sum(last.map((l) => l.amount));
  const lastLines = [...last.map(journalLine), { account: carryAccount, amount: back, text: `${partText(n)}: carried from parts 1 to ${n - 1}` }];
  parts.push({ voucher: assertBalanced({ ...voucher, text: partText(n), lines: lastLines.filter((l) => l.amount !== 0) }), lineNos: lineNosOf(last) });
  return parts;
}
