import type { Payout, PayoutLineType } from '../../../domain/payout';
import { PayoutCollector } from './build';
import { readCsv } from './csv';
import { parseDate } from './dates';
import { parseMinor } from './decimal';

/**
 * Vipps MobilePay Report API ledger entries (funds), as CSV, in minor units and in ledger order. Captures add to the
 * balance, refunds and retained fees deduct; a `payout-scheduled` entry moves the balance to the bank and closes a
 * payout with everything since the previous one. Entries after the last payout are not paid out yet and are left for
 * the next file. Entry types we do not know (Vipps adds new ones) are kept as adjustments, never dropped.
 */
const columns = ['pspReference', 'time', 'ledgerDate', 'entryType', 'reference', 'currency', 'amount'];
const types: Record<string, PayoutLineType> = {
  capture: 'payment',
  refund: 'refund',
  'fees-retained': 'fee',
  disputes: 'chargeback',
  dispute: 'chargeback',
  correction: 'adjustment',
  'top-up': 'adjustment',
  'credit-note': 'adjustment',
  'payout-aborted': 'adjustment',
};

export function parseVipps(text: string, acquirer = 'vipps'): Payout[] {
  const out = new PayoutCollector(acquirer);
  let pending: Parameters<PayoutCollector['add']>[2][] = [];
  for (const row of readCsv(text, { delimiter: ',', required: columns })) {
    const amount = parseMinor(row.get('amount'), row.line, 'amount');
    const currency = row.get('currency');
    const date = parseDate(row.get('ledgerDate'), 'YYYY-MM-DD', row.line, 'ledgerDate');
    const entryType = row.get('entryType');
    if (entryType === 'payout-scheduled') {
      const payoutId = row.get('pspReference');
      out.ensure(payoutId, currency, date, row.line);
      for (const line of pending) out.add(payoutId, date, line, currency);
      out.setNet(payoutId, -amount, date);
      pending = [];
      continue;
    }
    const type = types[entryType] ?? 'adjustment';
    pending.push({
      lineNo: row.line,
      type,
      amount,
      fee: 0,
      currency,
      transactionId: row.get('pspReference'),
      ...(row.optional('reference') ? { orderReference: row.get('reference') } : {}),
      date,
      ...(types[entryType] ? {} : { description: `unknown entry type ${entryType}` }),
    });
  }
  return out.result();
}
