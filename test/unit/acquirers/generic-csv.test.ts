import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { genericCsvMappingSchema, parseGenericCsv, type GenericCsvMappingInput } from '../../../src/adapters/acquirers/files';
import { fixture, rejection, summary } from './helpers';

const file = fixture('generic-acquirer.csv');
const mapping: GenericCsvMappingInput = {
  delimiter: '|',
  decimalSeparator: ',',
  thousandsSeparator: ' ',
  parentheses: true,
  dateFormat: 'DD/MM/YYYY',
  columns: { payoutId: 'BATCH', payoutDate: 'PAID', type: 'KIND', amount: 'VALUE', fee: 'COST', currency: 'CUR', transactionId: 'TXN', orderReference: 'ORDER', date: 'WHEN' },
  types: { SALE: 'payment', RFND: 'refund', FEE: 'fee' },
};

describe('generic CSV with a saved column mapping', () => {
  it('maps columns, separators, negative notation, dates, type names and a currency per line', () => {
    const [dkk, sek, ...rest] = parseGenericCsv(file, mapping, 'acme');
    expect(rest).toEqual([]);
    expect(summary(dkk!)).toEqual({
      id: 'B-77',
      currency: 'DKK',
      paidOutAt: '2026-11-06',
      net: 335_125,
      lines: [
        ['payment', 100_000, 1_250],
        ['payment', 250_000, 3_125],
        ['refund', -10_000, 0],
        ['fee', -500, 0],
      ],
    });
    expect(dkk!.lines[0]).toEqual({ lineNo: 2, type: 'payment', amount: 100_000, fee: 1_250, currency: 'DKK', transactionId: 'T-1', orderReference: '1001', date: '2026-11-02' });
    // Type names match regardless of case ("sale").
    expect(summary(sek!)).toEqual({ id: 'B-78', currency: 'SEK', paidOutAt: '2026-11-07', net: 1_216_042, lines: [['payment', 1_234_560, 18_518]] });
    expect(dkk!.acquirer).toBe('acme');
  });

  it('signs amounts by type when the file writes them all positive, and takes the paid amount from a column', () => {
    const text = ['id;type;amount;paid;day', 'P1;sale;100.00;97.50;2026-11-02', 'P1;refund;20.00;97.50;2026-11-03', 'P1;fee;2.50;97.50;2026-11-03'].join('\n');
    const m: GenericCsvMappingInput = {
      delimiter: ';',
      amountSign: 'by_type',
      currency: 'EUR',
      columns: { payoutId: 'id', type: 'type', amount: 'amount', payoutAmount: 'paid', date: 'day' },
      types: { sale: 'payment', refund: 'refund', fee: 'fee' },
    };
    const [p] = parseGenericCsv(text, m);
    expect(summary(p!)).toEqual({ id: 'P1', currency: 'EUR', paidOutAt: '2026-11-03', net: 9_750, lines: [['payment', 10_000, 0], ['refund', -2_000, 0], ['fee', -250, 0]] });
    const disagreeing = text.replace('P1;fee;2.50;97.50', 'P1;fee;2.50;97.00');
    expect(rejection(() => parseGenericCsv(disagreeing, m))).toEqual({ line: 4, reason: 'the payout amount of payout P1 is 9700 here but 9750 on an earlier line' });
  });

  it('reads amounts already in minor units', () => {
    const text = 'id,type,amount,fee,day\nP2,S,10000,-150,20261102\n';
    const [p] = parseGenericCsv(text, { amountUnit: 'minor', dateFormat: 'YYYYMMDD', currency: 'NOK', columns: { payoutId: 'id', type: 'type', amount: 'amount', fee: 'fee', date: 'day' }, types: { S: 'payment' } });
    expect(summary(p!)).toEqual({ id: 'P2', currency: 'NOK', paidOutAt: '2026-11-02', net: 9_850, lines: [['payment', 10_000, 150]] });
  });

  it('refuses what the mapping does not describe, naming the line', () => {
    expect(rejection(() => parseGenericCsv(file.replace('|RFND|', '|CHBK|'), mapping))).toEqual({ line: 4, reason: 'type "CHBK" is not in the mapping\'s types (SALE, RFND, FEE)' });
    expect(rejection(() => parseGenericCsv(file.replace('1 000,00', '1.000,00'), mapping))?.reason).toMatch(/^VALUE "1.000,00" is not an amount/);
    expect(rejection(() => parseGenericCsv(file.replace('02/11/2026', '2026-11-02'), mapping))).toEqual({ line: 2, reason: 'WHEN "2026-11-02" is not a date in the format DD/MM/YYYY' });
    expect(rejection(() => parseGenericCsv(file.replace('|DKK|(100,00)', '|EUR|(100,00)'), mapping))).toEqual({ line: 4, reason: 'payout B-77 mixes currencies: EUR here, DKK from line 2' });
    expect(rejection(() => parseGenericCsv(file.replace('BATCH|', 'BATCH_ID|'), mapping))?.reason).toBe('the header lacks the column(s) "BATCH"; is this the right file format?');
    expect(rejection(() => parseGenericCsv(file.replace(/\|/g, ';'), mapping))?.reason).toMatch(/the header lacks the column\(s\)/);
  });

  it('validates a mapping before it is saved', () => {
    const parsed = genericCsvMappingSchema.parse({ columns: { payoutId: 'a', type: 'b', amount: 'c', date: 'd' }, types: { X: 'payment' }, currency: 'DKK' });
    expect(parsed).toMatchObject({ delimiter: ',', decimalSeparator: '.', thousandsSeparator: '', amountUnit: 'major', amountSign: 'as_is', dateFormat: 'YYYY-MM-DD' });
    const bad = (over: object) => genericCsvMappingSchema.safeParse({ columns: { payoutId: 'a', type: 'b', amount: 'c', date: 'd' }, types: { X: 'payment' }, currency: 'DKK', ...over });
    expect(bad({ currency: undefined }).success).toBe(false);
    expect(bad({ decimalSeparator: ',', thousandsSeparator: ',' }).success).toBe(false);
    expect(bad({ types: {} }).success).toBe(false);
    expect(bad({ types: { X: 'sale' } }).success).toBe(false);
    expect(bad({ dateFormat: 'D.M.YY' }).success).toBe(false);
    expect(bad({ delimiter: ':' }).success).toBe(false);
  });
});

describe('a Danish-style export read with the example mapping (examples/settlements)', () => {
  const danish = JSON.parse(readFileSync(new URL('../../../examples/settlements/danish-export.mapping.json', import.meta.url), 'utf8')) as GenericCsvMappingInput;

  it('reads the example file: Danish decimals, negative refund and chargeback lines, a fee row, one payout per currency', () => {
    const example = readFileSync(new URL('../../../examples/settlements/danish-export.csv', import.meta.url), 'utf8');
    expect(example).toBe(fixture('danish-export.csv'));
    const [dkk, eur, ...rest] = parseGenericCsv(example, danish, 'nets');
    expect(rest).toEqual([]);
    expect(summary(dkk!)).toEqual({
      id: '8812001',
      currency: 'DKK',
      paidOutAt: '2026-11-04',
      net: 95_600,
      lines: [
        ['payment', 10_000, 125],
        ['payment', 125_000, 1_875],
        ['refund', -2_500, 0],
        ['chargeback', -30_000, 0],
        ['fee', 0, 4_900],
      ],
    });
    expect(summary(eur!)).toEqual({ id: '8812002', currency: 'EUR', paidOutAt: '2026-11-05', net: 5_885, lines: [['payment', 5_990, 105]] });
  });

  it('reads trailing minus signs, millions with thousands separators and a quoted field holding the delimiter; refuses a date that does not exist', () => {
    const [nok] = parseGenericCsv(fixture('danish-export-edge-cases.csv'), danish, 'nexi');
    expect(nok!.lines.map((l) => [l.type, l.amount, l.fee])).toEqual([
      ['payment', 1_234_567, 18_519],
      ['refund', -100_000, 0],
      ['payment', 123_456_789, 1_851_852],
      ['adjustment', -50, 0],
    ]);
    expect(nok!.lines[2]!.orderReference).toBe('B2B;77');
    expect(rejection(() => parseGenericCsv(fixture('danish-export-corrupt.csv'), danish))).toEqual({ line: 4, reason: 'Transaction date "31.11.2026" is not a real date' });
  });
});
