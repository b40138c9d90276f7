import { parse } from 'csv-parse/sync';
import { SettlementParseError } from '../port';

/** One data row of a settlement file, knowing its 1-based line in the file for error messages. */
export interface CsvRow {
  line: number;
  /** The trimmed value of a column; an empty value is an error naming the column. */
  get(column: string): string;
  /** The trimmed value, or undefined when the column is absent or empty. */
  optional(column: string): string | undefined;
  /** Refuses the file at this row. */
  fail(reason: string): never;
}

export interface CsvFile {
  header: string[];
  has(column: string): boolean;
  rows: CsvRow[];
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

/**
 * Reads a settlement CSV with csv-parse: strips a BOM, checks that the header has every required column and returns
 * rows that know their line number. A syntax error (unclosed quote, a row with too many or too few fields) is
 * reported with its line.
 */
export function readCsv(text: string, opts: { delimiter: string; required: readonly string[] }): CsvFile {
  let records: Parsed[];
  try {
    records = parse(text, { delimiter: opts.delimiter, bom: true, skip_empty_lines: true, trim: true, info: true }) as unknown as Parsed[];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new SettlementParseError(e.lines ?? 1, `not a valid CSV file with "${opts.delimiter === '\t' ? 'tab' : opts.delimiter}" between fields: ${e.message}`);
  }
  const [first, ...data] = records;
  if (!first) throw new SettlementParseError(1, 'the file is empty');
  const header = first.record;
  const headerLine = startLine(first);
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (h !== '' && index.has(h)) throw new SettlementParseError(headerLine, `the header names the column "${h}" twice`);
    index.set(h, i);
  });
  const missing = opts.required.filter((c) => !index.has(c));
  if (missing.length) {
    throw new SettlementParseError(headerLine, `the header lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')}; is this the right file format?`);
  }
  const rows = data.map(({ record: cells, info }): CsvRow => {
    const line = startLine({ record: cells, info });
    const optional = (column: string) => {
      const at = index.get(column);
      const v = at === undefined ? undefined : cells[at];
      return v === undefined || v === '' ? undefined : v;
    };
    const fail = (reason: string): never => {
      throw new SettlementParseError(line, reason);
    };
    return { line, optional, fail, get: (column) => optional(column) ?? fail(`${column} is empty`) };
  });
  return { header, has: (c) => index.has(c), rows };
}

/** csv-parse reports the line a record ends on; a quoted field with line breaks started earlier. */
function startLine({ record, info }: Parsed): number {
  const breaks = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaks;
}
