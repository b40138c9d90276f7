import { z } from 'zod';
import type { Payout, PayoutLineType } from '../../../domain/payout';
import { currencyDigits } from '../decimal';
import { compact, PayoutCollector } from './build';
import { readCsv, type CsvRow, type SettlementReader } from './csv';
import { dateFormats, type DateFormat } from './dates';
import { amountField, currencyField, dateField, minorUnitsField } from './fields';

const lineTypes = ['payment', 'refund', 'chargeback', 'chargeback_reversal', 'fee', 'adjustment'] as const satisfies readonly PayoutLineType[];
const column = z.string().trim().min(1);

/**
 * A saved column mapping for an acquirer's CSV that has no parser of its own: how the file writes numbers and dates,
 * which column holds what, and what its type names mean. Stored on the acquirer connection.
 */
export const genericCsvMappingSchema = z
  .object({
    delimiter: z.enum([',', ';', '\t', '|']).default(','),
    decimalSeparator: z.enum(['.', ',']).default('.'),
    thousandsSeparator: z.enum(['', '.', ',', ' ', "'"]).default(''),
    /** Negative amounts written "12.50-" and/or "(12.50)", besides "-12.50". */
    trailingMinus: z.boolean().default(false),
    parentheses: z.boolean().default(false),
    /** "minor" when amounts are whole minor units (øre, cents) already. */
    amountUnit: z.enum(['major', 'minor']).default('major'),
    /**
     * "as_is": amounts carry their sign (refunds negative). "by_type": the file writes every amount positive and the
     * type says the direction: payments +, refunds, chargebacks and fees −, adjustments as written.
     */
    amountSign: z.enum(['as_is', 'by_type']).default('as_is'),
    dateFormat: z.enum(dateFormats as [DateFormat, ...DateFormat[]]).default('YYYY-MM-DD'),
    columns: z.object({
      payoutId: column,
      type: column,
      amount: column,
      date: column,
      /** When the payout was paid out; without it, the latest line date. */
      payoutDate: column.optional(),
      /** What reached the bank, repeated on every row of the payout; without it, the lines less their fees. */
      payoutAmount: column.optional(),
      fee: column.optional(),
      currency: column.optional(),
      transactionId: column.optional(),
      orderReference: column.optional(),
      paymentMethod: column.optional(),
      description: column.optional(),
    }),
    /** The file's own type names → ours, e.g. {"SALE":"payment","RFND":"refund"}; matched ignoring case. */
    types: z.record(z.string().trim().min(1), z.enum(lineTypes)).refine((t) => Object.keys(t).length > 0, 'name at least one type'),
    /** The currency of every amount when the file has no currency column. */
    currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  })
  .refine((m) => m.columns.currency || m.currency, { message: 'name a currency column or a fixed currency', path: ['currency'] })
  .refine((m) => m.thousandsSeparator !== m.decimalSeparator, { message: 'the thousands and decimal separators must differ', path: ['thousandsSeparator'] });

export type GenericCsvMapping = z.infer<typeof genericCsvMappingSchema>;
export type GenericCsvMappingInput = z.input<typeof genericCsvMappingSchema>;

const direction: Record<PayoutLineType, 1 | -1 | 0> = { payment: 1, refund: -1, chargeback: -1, chargeback_reversal: 1, fee: -1, adjustment: 0 };

export function parseGenericCsv(fileText: string, mappingInput: GenericCsvMappingInput, acquirer = 'generic'): Payout[] {
  return readCsv(fileText, genericReader(mappingInput, acquirer));
}

export function genericReader(mappingInput: GenericCsvMappingInput, acquirer = 'generic'): SettlementReader {
  const mapping = genericCsvMappingSchema.parse(mappingInput);
  const c = mapping.columns;
  const types = new Map(Object.entries(mapping.types).map(([k, v]) => [k.toLowerCase(), v]));
  const required = [c.payoutId, c.type, c.amount, c.date, c.payoutDate, c.payoutAmount, c.fee, c.currency].filter((x): x is string => !!x);
  const out = new PayoutCollector(acquirer);

  const row = (row: CsvRow) => {
    const { currency, digits } = c.currency ? currencyField(row, c.currency) : { currency: mapping.currency!, digits: currencyDigits(mapping.currency!) };
    const money = (col: string) => (mapping.amountUnit === 'minor' ? minorUnitsField(row, col) : amountField(row, col, mapping, digits));
    const rawType = row.get(c.type);
    const type = types.get(rawType.toLowerCase()) ?? row.fail(`type "${rawType}" is not in the mapping's types (${Object.keys(mapping.types).join(', ')})`);
    const written = money(c.amount);
    const sign = direction[type];
    const amount = mapping.amountSign === 'by_type' && sign !== 0 ? sign * Math.abs(written) : written;
    const fee = c.fee && row.optional(c.fee) !== undefined ? Math.abs(money(c.fee)) : 0;

    const payout = out.payout(row.get(c.payoutId), currency, row);
    if (c.payoutDate) out.agree(payout, 'paidOutAt', dateField(row, c.payoutDate, mapping.dateFormat), row, 'the payout date');
    if (c.payoutAmount) out.agree(payout, 'netAmount', money(c.payoutAmount), row, 'the payout amount');
    payout.lines.push(
      compact({
        lineNo: row.line,
        type,
        amount,
        fee,
        currency,
        transactionId: optional(row, c.transactionId),
        orderReference: optional(row, c.orderReference),
        paymentMethod: optional(row, c.paymentMethod),
        date: dateField(row, c.date, mapping.dateFormat),
        description: optional(row, c.description),
      }),
    );
  };
  return { delimiter: mapping.delimiter, required, row, result: () => out.result() };
}

const optional = (row: CsvRow, col: string | undefined) => (col ? row.optional(col) : undefined);

