import type { Payout, PayoutLineType } from '../../../domain/payout';
import { decimalFormats } from '../decimal';
import { compact, PayoutCollector } from './build';
import { readCsv, type CsvRow, type SettlementReader } from './csv';
import { currencyField, dateField, optionalAmountField } from './fields';

/**
 * Adyen's Settlement details report: one row per booking in a payable batch, amounts in major units with '.'
 * decimals, debit and credit in separate columns. The batch is the payout (its number appears on the bank deposit),
 * and the batch's MerchantPayout row is the transfer to the bank. Batch numbers count per merchant account, so a
 * report covering several merchant accounts yields one payout per (merchant account, batch): "<account>/<batch>".
 *
 * Amounts are taken in the net (settlement) currency, the currency that reaches the bank. For a transaction row the
 * fee is Commission + Markup + Scheme Fees + Interchange, and the gross amount (in the net currency, i.e. already at
 * Adyen's exchange rate) is net + fee. Journal types other than transactions (Fee, InvoiceDeduction, MiscCosts …)
 * are fees or adjustments; a type this list does not know refuses the file rather than guess at its meaning.
 */
export const adyenColumns = [
  'Merchant Account',
  'Psp Reference',
  'Merchant Reference',
  'Payment Method',
  'Creation Date',
  'Type',
  'Modification Reference',
  'Gross Currency',
  'Gross Debit (GC)',
  'Gross Credit (GC)',
  'Exchange Rate',
  'Net Currency',
  'Net Debit (NC)',
  'Net Credit (NC)',
  'Commission (NC)',
  'Markup (NC)',
  'Scheme Fees (NC)',
  'Interchange (NC)',
  'Batch Number',
] as const;
const feeColumns = ['Commission (NC)', 'Markup (NC)', 'Scheme Fees (NC)', 'Interchange (NC)'] as const;

/**
 * Every journal type Adyen documents for this report (test/fixtures/vendors/adyen/journal-types.md), lower-cased → ours.
 * 'payout' is the MerchantPayout row (the transfer, not a line). 'external' types were settled by a third party outside
 * Adyen: the gross never passed the Adyen balance, so only what the row moved (its fees) is booked, as a fee line.
 */
export const adyenTypes: Record<string, PayoutLineType | 'payout' | 'external'> = {
  settled: 'payment',
  settledbulk: 'payment',
  settledinstallment: 'payment',
  refunded: 'refund',
  refundedbulk: 'refund',
  chargeback: 'chargeback',
  secondchargeback: 'chargeback',
  settledexternally: 'external',
  settledexternallywithinfo: 'external',
  refundedexternally: 'external',
  refundedexternallywithinfo: 'external',
  chargebackexternally: 'external',
  chargebackexternallywithinfo: 'external',
  // A won dispute: the chargeback's money comes back (journal-types.md: "Previous chargeback credited").
  chargebackreversed: 'chargeback_reversal',
  // Money coming back from a refund the scheme could not deliver. Not a payment of any invoice.
  refundedreversed: 'adjustment',
  // Payouts to a card (original credits) and their returns: money to or from a cardholder, judged by a person.
  paidout: 'adjustment',
  paidoutreversed: 'adjustment',
  fee: 'fee',
  misccosts: 'fee',
  invoicededuction: 'fee',
  authorisationschemefee: 'fee',
  paymentcost: 'fee',
  depositcorrection: 'adjustment',
  reserveadjustment: 'adjustment',
  manualcorrected: 'adjustment',
  matchedstatement: 'adjustment',
  balancetransfer: 'adjustment',
  bankinstructionreturned: 'adjustment',
  internalcompanypayout: 'adjustment',
  internaltransfer: 'adjustment',
  merchantpayout: 'payout',
};

const money = (row: CsvRow, column: string, digits: number) => optionalAmountField(row, column, decimalFormats.plain, digits);

export function parseAdyen(fileText: string, acquirer = 'adyen'): Payout[] {
  return readCsv(fileText, adyenReader(acquirer));
}

export function adyenReader(acquirer = 'adyen'): SettlementReader {
  const out = new PayoutCollector(acquirer);
  const row = (row: CsvRow) => {
    const { currency, digits } = currencyField(row, 'Net Currency');
    const rawType = row.get('Type');
    const kind = adyenTypes[rawType.toLowerCase()] ?? row.fail(`Type "${rawType}" is not a journal type Adyen documents for the Settlement details report`);
    const payout = out.payout(`${row.get('Merchant Account')}/${row.get('Batch Number')}`, currency, row);
    // Booking Date (newer reports) is when Adyen booked the row; Creation Date when the transaction happened.
    const created = dateField(row, 'Creation Date', 'YYYY-MM-DD');
    const booked = row.optional('Booking Date') ? dateField(row, 'Booking Date', 'YYYY-MM-DD') : created;
    const net = money(row, 'Net Credit (NC)', digits) - money(row, 'Net Debit (NC)', digits);

    if (kind === 'payout') {
      // The transfer leaves the Adyen balance (a debit); a batch may pay out in more than one transfer.
      payout.netAmount = (payout.netAmount ?? 0) - net;
      payout.paidOutAt = booked;
      return;
    }
    const type: PayoutLineType = kind === 'external' ? 'fee' : kind;
    const fee = kind === 'external' ? 0 : feeColumns.reduce((a, c) => a + money(row, c, digits), 0);
    if (fee < 0) row.fail(`the fee columns add up to ${fee}, a negative fee`);
    const transaction = type === 'payment' || type === 'refund' || type === 'chargeback' || type === 'chargeback_reversal';
    if (transaction && row.optional('Gross Currency')?.toUpperCase() === currency) {
      // Same currency: the gross columns must be exactly net + fees, or the row was altered.
      const gross = money(row, 'Gross Credit (GC)', digits) - money(row, 'Gross Debit (GC)', digits);
      if (gross !== net + fee) row.fail(`the net amount ${net} plus fees ${fee} is not the gross amount ${gross}`);
    }
    payout.lines.push(
      compact({
        lineNo: row.line,
        type,
        amount: type === 'fee' ? net : net + fee,
        fee: type === 'fee' ? 0 : fee,
        currency,
        transactionId: row.optional('Psp Reference'),
        orderReference: row.optional('Merchant Reference'),
        paymentMethod: row.optional('Payment Method Variant') ?? row.optional('Payment Method'),
        date: created,
        description: type === 'fee' || type === 'adjustment' ? [rawType, row.optional('Modification Reference')].filter(Boolean).join(': ') : undefined,
      }),
    );
  };
  // A batch without a MerchantPayout row paid nothing to the bank (its balance moved on to the next batch).
  return { delimiter: ',', required: adyenColumns, row, result: () => out.result('zero') };
}
