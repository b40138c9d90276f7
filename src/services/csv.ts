import { stringify } from 'csv-stringify/sync';
import { minorUnitDigits, toDecimalString } from '../domain/money';

/**
 * Amounts are in currency units (kroner, "1234.50") in both styles, as an accountant reads them; JSON keeps minor
 * units. plain: comma-separated with a decimal point, as programs and English spreadsheets read it. nordic: what a
 * Danish, Norwegian or Swedish spreadsheet opens without an import dialog: semicolons, decimal comma, and a byte order
 * mark so æ, ø and å survive.
 */
export type CsvStyle = 'plain' | 'nordic';
export const csvStyles = ['plain', 'nordic'] as const;

/** A cell: text, a count, or an amount in minor units. */
export type Cell = string | number | { minor: number } | null;
export const amount = (minor: number | null | undefined): Cell => (minor === null || minor === undefined ? null : { minor });

/** The amount column's heading says the currency and the unit, so nobody has to guess. */
export const amountHeading = (currency: string, what = 'amount') => `${what} (${currency})`;

// A text starting with one of these is a formula to a spreadsheet: a payout description must never run as one.
const formulaStart = /^[=+\-@\t\r]/;

function render(cell: Cell, style: CsvStyle, digits: number): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'object') return style === 'nordic' ? toDecimalString(cell.minor, digits).replace('.', ',') : toDecimalString(cell.minor, digits);
  return formulaStart.test(cell) ? `'${cell}` : cell;
}

export function toCsv(rows: Cell[][], style: CsvStyle, currency: string): string {
  const digits = minorUnitDigits(currency);
  const text = stringify(rows.map((r) => r.map((c) => render(c, style, digits))), { delimiter: style === 'nordic' ? ';' : ',' });
  return style === 'nordic' ? `\uFEFF${text}` : text;
}

/** The Content-Disposition that makes a browser save the answer under this name. */
export const attachment = (filename: string) => `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
