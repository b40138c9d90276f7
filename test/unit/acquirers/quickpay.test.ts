import { describe, expect, it } from 'vitest';
import { parseQuickPay } from '../../../src/adapters/acquirers/files';
import { fixture, netOfLines, rejection, summary } from './helpers';

const file = fixture('quickpay-settlements.csv');

describe('QuickPay (Clearhaus) settlements', () => {
  it('reads sales, credits, refunds, chargebacks, fees and the reserve in minor units, with the payout row as the net', () => {
    const [dkk, eur, ...rest] = parseQuickPay(file);
    expect(rest).toEqual([]);
    expect(summary(dkk!)).toEqual({
      id: '3f1c9a60-8f6b-4b8e-9d52-6a1f0b3c7e11',
      currency: 'DKK',
      paidOutAt: '2026-11-06',
      net: 15_665,
      lines: [
        ['payment', 10_000, 145],
        ['payment', 20_000, 290],
        ['refund', -5_000, 0],
        ['refund', -1_500, 0],
        ['chargeback', -2_500, 0],
        ['fee', -3_900, 0],
        ['adjustment', -1_000, 0],
      ],
    });
    expect(netOfLines(dkk!)).toBe(dkk!.netAmount);
    expect(dkk!.lines[0]).toEqual({
      lineNo: 2,
      type: 'payment',
      amount: 10_000,
      fee: 145,
      currency: 'DKK',
      transactionId: 'a0b1c2d3-0001',
      orderReference: '1001',
      paymentMethod: 'visa',
      date: '2026-11-02',
    });
    expect(dkk!.lines[6]!.description).toBe('reserve');
    // A settlement without a payout row pays out what its rows add up to.
    expect(summary(eur!)).toEqual({ id: '7a2d4e10-1c3b-4f5e-8a9b-0c1d2e3f4a5b', currency: 'EUR', paidOutAt: '2026-11-13', net: 5_903, lines: [['payment', 5_990, 87]] });
  });

  it('refuses wrong signs, decimals where minor units belong, and a second payout amount that disagrees', () => {
    const cases: [string, string, { line: number; reason: string }][] = [
      ['refund,a0b1c2d3-0002,1002,mastercard,DKK,-5000', 'refund,a0b1c2d3-0002,1002,mastercard,DKK,5000', { line: 4, reason: 'a refund of 5000 has the wrong sign: it is deducted from the settlement' }],
      ['sale,a0b1c2d3-0001,1001,visa,DKK,10000', 'sale,a0b1c2d3-0001,1001,visa,DKK,-10000', { line: 2, reason: 'a sale of -10000 has the wrong sign: it adds to the settlement' }],
      ['DKK,10000,145', 'DKK,100.00,145', { line: 2, reason: 'amount "100.00" is not a whole number of minor units' }],
      ['DKK,20000,290', 'DKK,20000,-290', { line: 3, reason: 'fee -290 is negative; withheld fees are positive' }],
      [',,,,DKK,-3900,0,2026-11-05', ',,,,DKK,-3900,0,2026-11-31', { line: 7, reason: 'processed_at "2026-11-31" is not a real date' }],
      ['2026-11-06,sale,a0b1c2d3-0002', '2026-11-07,sale,a0b1c2d3-0002', { line: 3, reason: 'the payout date of payout 3f1c9a60-8f6b-4b8e-9d52-6a1f0b3c7e11 is 2026-11-07 here but 2026-11-06 on an earlier line' }],
      [',reserve,', ',rolling_reserve,', { line: 8, reason: 'type "rolling_reserve" is not one of sale, capture, credit, refund, chargeback, fee, reserve, reserve_release, other, payout' }],
    ];
    for (const [from, to, expected] of cases) {
      const text = file.replace(from, to);
      expect(text, from).not.toBe(file);
      expect(rejection(() => parseQuickPay(text)), to).toEqual(expected);
    }
    const twice = `${file.trimEnd()}\n3f1c9a60-8f6b-4b8e-9d52-6a1f0b3c7e11,2026-11-06,payout,,,,DKK,15000,0,2026-11-06\n`;
    expect(rejection(() => parseQuickPay(twice))).toEqual({ line: 11, reason: 'the payout amount of payout 3f1c9a60-8f6b-4b8e-9d52-6a1f0b3c7e11 is 15000 here but 15665 on an earlier line' });
  });
});
