import { z } from 'zod';
import type { Payout, PayoutLineType } from '../../../domain/payout';
import { minorUnitDigits } from '../../../domain/money';
import { PayoutCollector } from './build';
import { readCsv } from './csv';
import { parseDate } from './dates';
import { parseAmount, parseMinor } from './decimal';
import { SettlementParseError } from './parse-error';

/** A saved column mapping for any acquirer's CSV that has no parser of its own. */
export const genericCsvMappingSchema = z.object({
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  decimalSeparator: z.enum(['.', ',']).default('.'),
  thousandsSeparator: z.enum(['', '.', ',', ' ', "'"]).default(''),
  /** "minor" when amounts are whole minor units (øre) already. */
  amountUnit: z.enum(['major', 'minor']).default('major'),
  dateFormat: z.enum(['YYYY-MM-DD', 'DD.MM.YYYY', 'DD-MM-YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY']).default('YYYY-MM-DD'),
  columns: z.object({
    payoutId: z.string().min(1),
    payoutDate: z.string().min(1),
    type: z.string().min(1),
    amount: z.string().min(1),
    fee: z.string().optional(),
    currency: z.string().optional(),
    transactionId: z.string().optional(),
    orderReference: z.string().optional(),
    date: z.string().min(1),
  }),
  /** The file's own type names → ours, e.g. {"SALE":"payment","RFND":"refund"}. */
  types: z.record(z.string(), z.enum(['payment', 'refund', 'chargeback', 'fee', 'adjustment'])),
  /** Used when the file has no currency column. */
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
});
export type GenericCsvMapping = z.infer<typeof genericCsvMappingSchema>;

export function parseGenericCsv(text: string, mapping: GenericCsvMapping, acquirer: string): Payout[] {
  const c = mapping.columns;
  const required = [c.payoutId, c.payoutDate, c.type, c.amount, c.date, ...(c.currency ? [c.currency] : [])];
  if (!c.currency && !mapping.currency) throw new SettlementParseError(1, 'the mapping names neither a currency column nor a currency');
  const out = new PayoutCollector(acquirer);
  for (const row of readCsv(text, { delimiter: mapping.delimiter, required })) {
    const currency = c.currency ? row.get(c.currency) : mapping.currency!;
    if (!/^[A-Z]{3}$/.test(currency)) throw new SettlementParseError(row.line, `currency "${currency}" is not an ISO code`);
    const money = (column: string) =>
      mapping.amountUnit === 'minor'
        ? parseMinor(row.get(column), row.line, column)
        : parseAmount(row.get(column), mapping, minorUnitDigits(currency), row.line, column);
    const rawType = row.get(c.type);
    const type: PayoutLineType | undefined = mapping.types[rawType];
    if (!type) throw new SettlementParseError(row.line, `type "${rawType}" is not in the mapping's types`);
    const fee = c.fee && row.optional(c.fee) !== undefined ? money(c.fee) : 0;
    out.add(row.get(c.payoutId), parseDate(row.get(c.payoutDate), mapping.dateFormat, row.line, c.payoutDate), {
      lineNo: row.line,
      type,
      amount: money(c.amount),
      fee: Math.abs(fee),
      currency,
      ...(c.transactionId && row.optional(c.transactionId) ? { transactionId: row.get(c.transactionId) } : {}),
      ...(c.orderReference && row.optional(c.orderReference) ? { orderReference: row.get(c.orderReference) } : {}),
      date: parseDate(row.get(c.date), mapping.dateFormat, row.line, c.date),
    });
  }
  return out.result();
}
