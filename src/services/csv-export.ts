import { stringify } from 'csv-stringify/sync';

/** What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): = + - @, and tab or CR before one. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number: spreadsheets read "-1250" as minus 1250, never a formula, so amounts stay numbers. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One cell made safe to open in a spreadsheet: text an attacker chose (an order id, a payout's description) that
 * begins like a formula gets a leading apostrophe, which spreadsheets show as text and never evaluate.
 */
export function spreadsheetSafeCell(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Rows as CSV text with every cell made spreadsheet-safe. */
export function spreadsheetSafeCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows.map((row) => row.map(spreadsheetSafeCell)));
}
