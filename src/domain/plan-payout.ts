import { BookingError } from './errors';
import type { Mapping } from './mapping';
import { sum } from './money';
import type { Payout } from './payout';
import type { MatchResult } from './payout-matching';
import { assertBalanced } from './plan-order';
import type { JournalLine, Voucher } from './posting';
import { divRound } from './vat';

/** Converts minor units at an exact decimal rate ("7.4581"), rounding half away from zero. */
export function convert(amount: number, rate: string): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!m) throw new BookingError('currency_mismatch', { reason: `exchange rate "${rate}" is not a decimal number` });
  const decimals = m[2]?.length ?? 0;
  const scaled = Number(`${m[1]}${m[2] ?? ''}`);
  return divRound(amount * scaled, 10 ** decimals);
}

/**
 * The payout as one journal voucher: each matched payment is credited off the acquirer's receivable (a matched
 * refund is debited back), the bank receives the net amount, fees go to the fee account, lines that match nothing
 * go to the error account with their reason, and a difference of at most one minor unit per line to rounding.
 */
export function planPayout(payout: Payout, matches: readonly MatchResult[], mapping: Mapping, ledgerCurrency: string): Voucher {
  const text = `Payout ${payout.payoutId} from ${payout.acquirer}`;
  const lines: JournalLine[] = [];
  let fees = 0;
  for (const { line, document, rule, reason } of matches) {
    fees += line.fee;
    if (line.type === 'fee') {
      fees += -line.amount;
      continue;
    }
    if (document) {
      const label = document.kind === 'invoice' ? `Order ${document.orderNumber}` : `Refund ${document.reference} (order ${document.orderNumber})`;
      lines.push({ account: document.receivableAccount, amount: -document.amount, text: `${label}, matched by ${rule}` });
      if (line.amount !== document.amount) {
        lines.push({ account: mapping.accounts.error, amount: -(line.amount - document.amount), text: `${label}: payout line ${line.lineNo} differs from the payment by ${line.amount - document.amount}` });
      }
    } else {
      const what = line.type === 'chargeback' ? 'Chargeback' : line.type === 'adjustment' ? 'Adjustment' : 'Unmatched line';
      lines.push({ account: mapping.accounts.error, amount: -line.amount, text: `${what} ${line.lineNo}${line.transactionId ? ` (${line.transactionId})` : ''}: ${reason ?? line.type}` });
    }
  }
  lines.push({ account: mapping.accounts.bank, amount: payout.netAmount, text: `${text}: paid out` });
  if (fees !== 0) lines.push({ account: mapping.accounts.fee, amount: fees, text: `${text}: fees` });

  const difference = -sum(lines.map((l) => l.amount));
  if (difference !== 0) {
    if (Math.abs(difference) > Math.max(1, matches.length)) {
      const gross = sum(matches.filter((m) => m.line.type !== 'fee').map((m) => m.line.amount));
      throw new BookingError('payout_unbalanced', { gross, fees, net: payout.netAmount, difference, expectedNet: gross - fees });
    }
    lines.push({ account: mapping.accounts.rounding, amount: difference, text: `${text}: rounding` });
  }

  if (payout.currency === ledgerCurrency) return assertBalanced({ currency: ledgerCurrency, date: payout.paidOutAt, text, lines });

  // A payout in another currency: every line at the acquirer's own rate; what rounding leaves is a currency difference.
  const rate = payout.exchangeRate;
  if (!rate || rate.from !== payout.currency || rate.to !== ledgerCurrency) {
    throw new BookingError('currency_mismatch', { payoutCurrency: payout.currency, ledgerCurrency, reason: 'the acquirer gave no exchange rate for this payout' });
  }
  if (!mapping.accounts.currencyDifference) {
    throw new BookingError('missing_account', { field: 'mapping.accounts.currencyDifference', reason: 'needed for payouts in another currency' });
  }
  const converted = lines.map((l) => ({ ...l, amount: convert(l.amount, rate.rate) }));
  const rest = -sum(converted.map((l) => l.amount));
  if (rest !== 0) converted.push({ account: mapping.accounts.currencyDifference, amount: rest, text: `${text}: currency difference at ${rate.rate}` });
  return assertBalanced({ currency: ledgerCurrency, date: payout.paidOutAt, text: `${text} (${payout.currency} at ${rate.rate})`, lines: converted });
}
