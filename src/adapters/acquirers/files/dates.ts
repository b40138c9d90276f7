import { SettlementParseError } from './parse-error';

export type DateFormat = 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'DD-MM-YYYY' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

/** A date (optionally followed by a time) in the acquirer's format → YYYY-MM-DD, checked to be a real day. */
export function parseDate(text: string, format: DateFormat, line: number, column: string): string {
  const s = text.trim().slice(0, 10);
  const parts = format === 'YYYY-MM-DD' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : /^(\d{2})[./-](\d{2})[./-](\d{4})$/.exec(s);
  if (!parts) throw new SettlementParseError(line, `${column} "${text}" is not a date in the format ${format}`);
  const [y, m, d] =
    format === 'YYYY-MM-DD' ? [parts[1], parts[2], parts[3]] : format === 'MM/DD/YYYY' ? [parts[3], parts[1], parts[2]] : [parts[3], parts[2], parts[1]];
  const iso = `${y}-${m}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) throw new SettlementParseError(line, `${column} "${text}" is not a real date`);
  return iso;
}
