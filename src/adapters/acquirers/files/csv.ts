import { setImmediate as nextTurn } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { CsvError, parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import type { Payout } from '../../../domain/payout';
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

/**
 * What a file format does with a CSV: its delimiter and required columns, what it makes of each row, and the payouts
 * at the end. The same reader serves a whole text (readCsv) and a stream (readCsvStream).
 */
export interface SettlementReader {
  delimiter: string;
  required: readonly string[];
  row(row: CsvRow): void;
  result(): Payout[];
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

const options = (delimiter: string) => ({ delimiter, bom: true, skip_empty_lines: true, trim: true, info: true }) as const;

function syntaxError(err: unknown, delimiter: string): SettlementParseError {
  const e = err as { lines?: number; message: string };
  return new SettlementParseError(e.lines ?? 1, `not a valid CSV file with "${delimiter === '\t' ? 'tab' : delimiter}" between fields: ${e.message}`);
}

/** Checks the header (first record) and returns what turns the following records into rows. */
function headerOf(first: Parsed | undefined, required: readonly string[]): (record: Parsed) => CsvRow {
  if (!first) throw new SettlementParseError(1, 'the file is empty');
  const headerLine = startLine(first);
  const index = new Map<string, number>();
  first.record.forEach((h, i) => {
    if (h !== '' && index.has(h)) throw new SettlementParseError(headerLine, `the header names the column "${h}" twice`);
    index.set(h, i);
  });
  const missing = required.filter((c) => !index.has(c));
  if (missing.length) {
    throw new SettlementParseError(headerLine, `the header lacks the column(s) ${missing.map((m) => `"${m}"`).join(', ')}; is this the right file format?`);
  }
  return ({ record: cells, info }) => {
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
  };
}

/**
 * Reads a whole settlement CSV with csv-parse: strips a BOM, checks that the header has every required column and
 * hands the reader rows that know their line number. A syntax error (unclosed quote, a row with too many or too few
 * fields) is reported with its line.
 */
export function readCsv(text: string, reader: SettlementReader): Payout[] {
  let records: Parsed[];
  try {
    records = parse(text, options(reader.delimiter)) as unknown as Parsed[];
  } catch (err) {
    throw syntaxError(err, reader.delimiter);
  }
  const [first, ...data] = records;
  const toRow = headerOf(first, reader.required);
  for (const record of data) reader.row(toRow(record));
  return reader.result();
}

/**
 * The same as readCsv for a file handed over in chunks (activities/settlement-uploads.ts slices a stored upload): the
 * csv-parse stream parses chunk by chunk and the event loop gets a turn between chunks, so a 100 MB file never holds
 * the process (other tenants' requests and workflows run in between). The payouts are collected whole: a file is
 * stored all or none. `progress` hears the rows read every
 * `progressEvery` rows.
 */
export async function readCsvStream(
  chunks: AsyncIterable<string>,
  reader: SettlementReader,
  progress?: (rows: number) => Promise<void>,
  progressEvery = 10_000,
): Promise<Payout[]> {
  async function* yielding() {
    for await (const chunk of chunks) {
      yield chunk;
      await nextTurn();
    }
  }
  const source = Readable.from(yielding());
  const parser = source.pipe(parseStream(options(reader.delimiter)));
  let toRow: ((record: Parsed) => CsvRow) | undefined;
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<Parsed>) {
      if (!toRow) {
        toRow = headerOf(record, reader.required);
        continue;
      }
      reader.row(toRow(record));
      if (++rows % progressEvery === 0 && progress) await progress(rows);
    }
  } catch (err) {
    if (err instanceof SettlementParseError) throw err;
    if (err instanceof CsvError) throw syntaxError(err, reader.delimiter);
    throw err;
  } finally {
    source.destroy();
  }
  if (!toRow) headerOf(undefined, reader.required);
  if (progress) await progress(rows);
  return reader.result();
}

/** csv-parse reports the line a record ends on; a quoted field with line breaks started earlier. */
function startLine({ record, info }: Parsed): number {
  const breaks = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
  return info.lines - breaks;
}
