import type { Payout, PayoutLine, PayoutLineType } from '../../../domain/payout';
import { compact, PayoutCollector } from './build';
import { readCsv, type CsvRow } from './csv';
import { currencyField, dateField, minorUnitsField } from './fields';

/**
 * Vipps MobilePay Report API ledger entries of the `funds` topic, exported as CSV with the API's field names, in
 * ledger order, amounts in minor units and signed by their effect on the balance. A `payout-scheduled` entry empties
 * the balance to the bank (its pspReference, "<ledgerId>-<payoutNumber>", is the payout id) and closes a payout with
 * every entry since the previous one. Entries after the last payout are not paid out yet: the next file brings them.
 *
 * Vipps adds entry types without notice, so a type we do not know is kept as an adjustment (it lands on the error
 * account for a person to judge), never dropped and never a reason to refuse the file. With balanceBefore and
 * balanceAfter present, the arithmetic of every entry and the chain between entries is checked, and a balance that a
 * payout does not itemize (opening balance from before the file, a reserve kept back) becomes an explicit line.
 */
const columns = ['pspReference', 'ledgerDate', 'entryType', 'currency', 'amount'] as const;

const types: Record<string, PayoutLineType> = {
  capture: 'payment',
  refund: 'refund',
  'fees-retained': 'fee',
  'retained-disputed-capture': 'chargeback',
  disputes: 'chargeback',
  dispute: 'chargeback',
  // The money of a won dispute comes back; a failed payout's money returns to the balance.
  'returned-disputed-capture': 'adjustment',
  'payout-aborted': 'adjustment',
  correction: 'adjustment',
  'top-up': 'adjustment',
  'credit-note': 'adjustment',
};

interface Balances {
  before: number;
  after: number;
}

function balances(row: CsvRow, amount: number, previous: Balances | undefined): Balances | undefined {
  if (row.optional('balanceBefore') === undefined || row.optional('balanceAfter') === undefined) return undefined;
  const before = minorUnitsField(row, 'balanceBefore');
  const after = minorUnitsField(row, 'balanceAfter');
  if (before + amount !== after) row.fail(`balanceAfter ${after} is not balanceBefore ${before} plus amount ${amount}`);
  if (previous && previous.after !== before) {
    row.fail(`balanceBefore ${before} does not continue from the previous entry's balanceAfter ${previous.after}: entries are missing or out of order`);
  }
  return { before, after };
}

export function parseVipps(fileText: string, acquirer = 'vipps'): Payout[] {
  const out = new PayoutCollector(acquirer);
  let fileCurrency: string | undefined;
  let pending: PayoutLine[] = [];
  let opening: number | undefined;
  let previous: Balances | undefined;

  for (const row of readCsv(fileText, { delimiter: ',', required: columns }).rows) {
    const { currency } = currencyField(row, 'currency');
    fileCurrency ??= currency;
    if (currency !== fileCurrency) row.fail(`currency ${currency} in a ledger of ${fileCurrency}: a Vipps MobilePay ledger has one currency`);
    const amount = minorUnitsField(row, 'amount');
    const date = dateField(row, 'ledgerDate', 'YYYY-MM-DD');
    const entryType = row.get('entryType');
    const bal = balances(row, amount, previous);
    previous = bal;
    opening ??= bal?.before;

    if (entryType === 'payout-scheduled') {
      const payout = out.payout(row.get('pspReference'), currency, row);
      if (payout.lines.length) row.fail(`payout ${payout.payoutId} is scheduled twice`);
      payout.paidOutAt = date;
      payout.netAmount = -amount;
      // What the payout pays beyond its own entries: a balance carried in, less what stays behind after it.
      const unitemized = bal && opening !== undefined ? opening - bal.after : 0;
      if (unitemized !== 0) {
        pending.push({
          lineNo: row.line,
          type: 'adjustment',
          amount: unitemized,
          fee: 0,
          currency,
          date,
          description: `balance not itemized in this file: ${opening} before its first entry, ${bal!.after} left after the payout`,
        });
      }
      payout.lines.push(...pending);
      pending = [];
      opening = undefined;
      continue;
    }
    const known = types[entryType];
    pending.push(
      compact({
        lineNo: row.line,
        type: known ?? 'adjustment',
        amount,
        fee: 0,
        currency,
        transactionId: row.get('pspReference'),
        orderReference: row.optional('reference'),
        date,
        description: known ? (known === 'adjustment' ? entryType : undefined) : `unknown entry type ${entryType}`,
      }),
    );
  }
  return out.result();
}
