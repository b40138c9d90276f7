import { parse } from 'csv-parse/sync';
import { SettlementParseError } from './parse-error';

export interface CsvRow {
  /** 1-based line number in the file, for error messages. */
  line: number;
  get(column: string): string;
  optional(column: string): string | undefined;
}

/**
 * Reads a settlement CSV with csv-parse: checks the header has every required column and returns rows that know
 * their line number. Any CSV syntax error is reported with its line.
 */
export function readCsv(text: string, opts: { delimiter: string; required: string[] }): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { delimiter: opts.delimiter, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new SettlementParseError(e.lines ?? 1, `not a valid CSV file: ${e.message}`);
  }
  const [first, ...rows] = records;
  if (!first) throw new SettlementParseError(1, 'the file is empty');
  const index = new Map(first.record.map((h, i) => [h.trim(), i]));
  const missing = opts.required.filter((c) => !index.has(c));
  if (missing.length) throw new SettlementParseError(1, `the header lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')}`);
  return rows.map(({ record: cells, info }) => {
    const line = info.lines;
    const optional = (column: string) => {
      const at = index.get(column);
      const v = at === undefined ? undefined : cells[at];
      return v === undefined || v === '' ? undefined : v;
    };
    return {
      line,
      optional,
      get(column: string) {
        const v = optional(column);
        if (v === undefined) throw new SettlementParseError(line, `${column} is empty`);
        return v;
      },
    };
  });
}
