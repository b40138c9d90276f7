import { describe, expect, it } from 'vitest';
import { parseNets } from '../../../src/adapters/acquirers/files';
import { fixture, netOfLines, rejection, summary } from './helpers';

describe('Nets/Nexi settlement report', () => {
  it('reads Danish decimals, negative refund and chargeback lines, a fee row, and one payout per currency', () => {
    const [dkk, eur, ...rest] = parseNets(fixture('nets-payout.csv'));
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
        ['fee', -4_900, 0],
      ],
    });
    expect(dkk!.acquirer).toBe('nets');
    expect(dkk!.lines[0]).toEqual({
      lineNo: 2,
      type: 'payment',
      amount: 10_000,
      fee: 125,
      currency: 'DKK',
      transactionId: '0262a3f1e9a04c7c8c2b1d0e5f6a7b81',
      orderReference: '1001',
      paymentMethod: 'dankort',
      date: '2026-11-02',
    });
    expect(dkk!.lines[4]).not.toHaveProperty('transactionId');
    expect(summary(eur!)).toEqual({ id: '8812002', currency: 'EUR', paidOutAt: '2026-11-05', net: 5_885, lines: [['payment', 5_990, 105]] });
  });

  it('reads trailing minus signs, millions with thousands separators, and a quoted field holding the delimiter', () => {
    const [nok] = parseNets(fixture('nets-edge-cases.csv'), 'nexi');
    expect(summary(nok!)).toEqual({
      id: '9920001',
      currency: 'NOK',
      paidOutAt: '2026-11-10',
      net: 122_720_935,
      lines: [
        ['payment', 1_234_567, 18_519],
        ['refund', -100_000, 0],
        ['payment', 123_456_789, 1_851_852],
        ['adjustment', -50, 0],
      ],
    });
    expect(netOfLines(nok!)).toBe(nok!.netAmount);
    expect(nok!.lines[2]!.orderReference).toBe('B2B;77');
    expect(nok!.acquirer).toBe('nexi');
  });

  it('refuses a corrupted file whole, naming the line and the reason', () => {
    expect(rejection(() => parseNets(fixture('nets-corrupt.csv')))).toEqual({ line: 4, reason: 'Transaction date "31.11.2026" is not a real date' });
    const good = fixture('nets-payout.csv');
    const cases: [string, string, { line: number; reason: string | RegExp }][] = [
      ['1.250,00;18,75;1.231,25', '1.250,0O;18,75;1.231,25', { line: 3, reason: /^Gross amount "1.250,0O" is not an amount/ }],
      ['100,00;1,25;98,75', '100,00;1,25;97,75', { line: 2, reason: 'Net amount 9775 is not Gross amount 10000 less Fee 125' }],
      ['100,00;1,25;98,75', '100,00;-1,25;101,25', { line: 2, reason: /^Fee -125 is negative/ }],
      ['04.11.2026;03.11.2026;Refund', '2026-11-04;03.11.2026;Refund', { line: 4, reason: 'Payout date "2026-11-04" is not a date in the format DD.MM.YYYY' }],
      ['04.11.2026;03.11.2026;Chargeback', '05.11.2026;03.11.2026;Chargeback', { line: 5, reason: 'the payout date of payout 8812001 is 2026-11-05 here but 2026-11-04 on an earlier line' }],
      [';Refund;', ';Refnd;', { line: 4, reason: 'Transaction type "Refnd" is not one of Sale, Capture, Refund, Chargeback, Fee, Adjustment' }],
      [';Dankort;DKK;-25,00', ';Dankort;EUR;-25,00', { line: 4, reason: 'payout 8812001 mixes currencies: EUR here, DKK from line 2' }],
      [';Dankort;DKK;-25,00', ';Dankort;DKKK;-25,00', { line: 4, reason: 'Currency "DKKK" is not an ISO 4217 currency code' }],
      ['Visa;DKK;-300,00;0,00;-300,00', 'Visa;DKK;-300,00;0,00', { line: 5, reason: /Invalid Record Length/ }],
      ['8812001;04.11.2026;02.11.2026;Sale;0262a3f1e9a04c7c8c2b1d0e5f6a7b81', ';04.11.2026;02.11.2026;Sale;0262a3f1e9a04c7c8c2b1d0e5f6a7b81', { line: 2, reason: 'Payout ID is empty' }],
    ];
    for (const [from, to, expected] of cases) {
      const text = good.replace(from, to);
      expect(text, `fixture contains ${from}`).not.toBe(good);
      const got = rejection(() => parseNets(text));
      expect(got?.line, to).toBe(expected.line);
      if (typeof expected.reason === 'string') expect(got?.reason).toBe(expected.reason);
      else expect(got?.reason).toMatch(expected.reason);
    }
  });

  it('names the missing columns of a wrong header, and refuses an empty file', () => {
    expect(rejection(() => parseNets('Payout ID;Currency\n1;DKK\n'))).toEqual({
      line: 1,
      reason:
        'the header lacks the column(s) "Payout date", "Transaction date", "Transaction type", "Payment ID", "Order reference", "Payment method", "Gross amount", "Fee", "Net amount"; is this the right file format?',
    });
    expect(rejection(() => parseNets(fixture('adyen-settlement-details.csv')))?.reason).toMatch(/header lacks the column\(s\) "Payout ID"/);
    expect(rejection(() => parseNets(''))).toEqual({ line: 1, reason: 'the file is empty' });
    expect(parseNets(fixture('nets-payout.csv').split('\n')[0]!)).toEqual([]);
  });

  it('reads a file with a BOM and Windows line endings', () => {
    const windows = `\uFEFF${fixture('nets-payout.csv').replace(/\n/g, '\r\n')}`;
    expect(parseNets(windows)).toEqual(parseNets(fixture('nets-payout.csv')));
  });
});
