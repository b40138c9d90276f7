import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSettlementFile, SettlementParseError, type GenericCsvMappingInput, type SettlementFormat } from '../../../src/adapters/acquirers/files';
import { fixture, rejection } from './helpers';

const generic: GenericCsvMappingInput = {
  delimiter: ';',
  currency: 'DKK',
  columns: { payoutId: 'id', type: 'type', amount: 'amount', date: 'date' },
  types: { sale: 'payment' },
};

describe('settlement files, whatever the format', () => {
  it('dispatches on the connection format', () => {
    expect(parseSettlementFile('adyen', fixture('adyen-settlement-details.csv'), 'adyen')).toHaveLength(2);
    expect(parseSettlementFile('quickpay', fixture('quickpay-settlements.csv'), 'quickpay')).toHaveLength(2);
    expect(parseSettlementFile('generic', 'id;type;amount;date\nA;sale;1.00;2026-11-02\n', 'x', generic)).toHaveLength(1);
    expect(rejection(() => parseSettlementFile('generic', 'id\n', 'x'))).toEqual({ line: 1, reason: 'a generic CSV needs a saved column mapping on the acquirer connection' });
  });

  it('reports the line a record starts on when a quoted field spans lines, and CSV syntax errors with their line', () => {
    const text = 'id;type;amount;date\nA;sale;1.00;2026-11-02\n"B\nC";sale;x;2026-11-02\n';
    expect(rejection(() => parseSettlementFile('generic', text, 'x', generic))).toEqual({ line: 3, reason: 'amount "x" is not an amount (expected e.g. 1234.50 or -1234.50)' });
    const unclosed = 'id;type;amount;date\nA;sale;1.00;2026-11-02\n"B;sale;1.00;2026-11-02\n';
    expect(rejection(() => parseSettlementFile('generic', unclosed, 'x', generic))?.reason).toMatch(/^not a valid CSV file with ";" between fields: Quote Not Closed/);
    expect(rejection(() => parseSettlementFile('generic', 'id;type;amount;date;id\n', 'x', generic))).toEqual({ line: 1, reason: 'the header names the column "id" twice' });
  });

  it('never throws anything but a SettlementParseError, and never returns half a file', () => {
    const formats = ['adyen', 'quickpay'] as const satisfies readonly SettlementFormat[];
    const files: Record<(typeof formats)[number], string> = { adyen: fixture('adyen-settlement-details.csv'), quickpay: fixture('quickpay-settlements.csv') };
    // Garbage, and real files with one character changed, dropped or added somewhere.
    const mutated = fc.constantFrom(...formats).chain((format) =>
      fc.tuple(fc.constant(format), fc.nat({ max: files[format].length - 1 }), fc.constantFrom('', '-', ';', ',', '"', '\n', 'x', '9', '.'), fc.boolean()).map(([f, at, ch, replace]) => {
        const text = files[f];
        return [f, text.slice(0, at) + ch + text.slice(at + (replace ? 1 : 0))] as const;
      }),
    );
    const garbage = fc.tuple(fc.constantFrom(...formats), fc.string({ maxLength: 300 }));
    fc.assert(
      fc.property(fc.oneof(mutated, garbage), ([format, text]) => {
        let result: unknown;
        try {
          result = parseSettlementFile(format, text, 'x');
        } catch (e) {
          expect(e).toBeInstanceOf(SettlementParseError);
          expect((e as SettlementParseError).lineNumber).toBeGreaterThanOrEqual(1);
          return;
        }
        // Whatever parses is whole: every payout has lines in whole minor units, each dated and in the payout's currency.
        for (const p of result as ReturnType<typeof parseSettlementFile>) {
          expect(p.lines.length).toBeGreaterThan(0);
          expect(Number.isSafeInteger(p.netAmount)).toBe(true);
          for (const l of p.lines) {
            expect(Number.isSafeInteger(l.amount) && Number.isSafeInteger(l.fee) && l.fee >= 0).toBe(true);
            expect(l.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(l.currency).toBe(p.currency);
          }
        }
      }),
      { numRuns: 1_500 },
    );
  }, 60_000);
});
