import { currencyDigits, DecimalFormatError, parseMinorUnits, parseWholeMinorUnits, type DecimalFormat } from '../decimal';
import type { CsvRow } from './csv';
import { DateFormatError, parseDateText, type DateFormat } from './dates';

/** Typed values of a row, each refusal naming the column and the line. */

function field<T>(row: CsvRow, column: string, read: (text: string) => T): T {
  const text = row.get(column);
  try {
    return read(text);
  } catch (err) {
    if (err instanceof DecimalFormatError || err instanceof DateFormatError) return row.fail(`${column} ${err.message}`);
    throw err;
  }
}

export const amountField = (row: CsvRow, column: string, format: DecimalFormat, digits: number) =>
  field(row, column, (t) => parseMinorUnits(t, format, digits));

/** An amount that may be left empty, meaning zero (Adyen leaves the unused side of debit/credit empty). */
export const optionalAmountField = (row: CsvRow, column: string, format: DecimalFormat, digits: number) =>
  row.optional(column) === undefined ? 0 : amountField(row, column, format, digits);

export const minorUnitsField = (row: CsvRow, column: string) => field(row, column, parseWholeMinorUnits);

export const dateField = (row: CsvRow, column: string, format: DateFormat) => field(row, column, (t) => parseDateText(t, format));

/** An ISO 4217 code; returns it with the number of minor-unit digits amounts in it have. */
export function currencyField(row: CsvRow, column: string): { currency: string; digits: number } {
  const currency = row.get(column).toUpperCase();
  return { currency, digits: field(row, column, () => currencyDigits(currency)) };
}
