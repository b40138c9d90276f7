import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { spreadsheetSafeCsv } from '../../../src/services/csv-export';

describe('CSV exports opened in a spreadsheet', () => {
  it('turn every cell that begins like a formula into text, and leave amounts numbers', () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const csv = spreadsheetSafeCsv([hostile, ['-1250', '42', '1.5', 'order 1001']]);
    const [cells, plain] = parse(csv, { relax_column_count: true }) as string[][];
    expect(cells).toEqual(hostile.map((c) => `'${c}`));
    expect(plain).toEqual(['-1250', '42', '1.5', 'order 1001']);
  });
});
