import { describe, expect, it } from 'vitest';
import { parseVipps } from '../../../src/adapters/acquirers/files';
import { fixture, netOfLines, rejection, summary } from './helpers';

const ledger = fixture('vipps-ledger.csv');

describe('Vipps MobilePay Report API ledger entries', () => {
  it('closes a payout at payout-scheduled, keeps unknown entry types, and leaves later entries for the next file', () => {
    const payouts = parseVipps(ledger);
    expect(payouts.map(summary)).toEqual([
      {
        id: '123455-2000023',
        currency: 'NOK',
        paidOutAt: '2026-11-01',
        net: 53_907,
        lines: [
          ['payment', 49_900, 0],
          ['payment', 19_900, 0],
          ['refund', -10_000, 0],
          ['chargeback', -5_000, 0],
          ['fee', -1_393, 0],
          ['adjustment', 500, 0],
        ],
      },
    ]);
    const [p] = payouts;
    expect(netOfLines(p!)).toBe(p!.netAmount);
    expect(p!.lines[0]).toEqual({ lineNo: 2, type: 'payment', amount: 49_900, fee: 0, currency: 'NOK', transactionId: '3343121302', orderReference: 'order-1001', date: '2026-11-01' });
    expect(p!.lines[5]).toMatchObject({ type: 'adjustment', description: 'unknown entry type giftcard-redeemed', orderReference: 'order-1003' });
  });

  it('maps every documented entry type, and books a won dispute and an aborted payout as adjustments', () => {
    const rows = [
      ['c1', 'capture', 1000],
      ['r1', 'refund', -100],
      ['d1', 'retained-disputed-capture', -200],
      ['d1', 'returned-disputed-capture', 200],
      ['x1', 'disputes', -50],
      ['a1', 'payout-aborted', 300],
      ['k1', 'correction', -10],
      ['t1', 'top-up', 40],
      ['n1', 'credit-note', 5],
      ['f1', 'fees-retained', -25],
    ] as const;
    let balance = 0;
    const lines = rows.map(([psp, type, amount]) => `${psp},2026-11-03,${type},ref-${psp},DKK,${amount},${balance},${(balance += amount)}`);
    const text = ['pspReference,ledgerDate,entryType,reference,currency,amount,balanceBefore,balanceAfter', ...lines, `55-7,2026-11-03,payout-scheduled,MobilePay 7,DKK,${-balance},${balance},0`].join('\n');
    const [p] = parseVipps(text, 'mobilepay');
    expect(p!.lines.map((l) => l.type)).toEqual(['payment', 'refund', 'chargeback', 'adjustment', 'chargeback', 'adjustment', 'adjustment', 'adjustment', 'adjustment', 'fee']);
    expect(p!.netAmount).toBe(balance);
    expect(netOfLines(p!)).toBe(balance);
  });

  it('makes a balance the payout does not itemize an explicit line, never a silent difference', () => {
    // The file starts after two entries of this payout period: the payout pays 1000 more than the file shows.
    const text = [
      'pspReference,ledgerDate,entryType,reference,currency,amount,balanceBefore,balanceAfter',
      'c9,2026-11-03,capture,o-9,DKK,2500,1000,3500',
      '55-8,2026-11-03,payout-scheduled,MobilePay 8,DKK,-3500,3500,0',
    ].join('\n');
    const [p] = parseVipps(text);
    expect(summary(p!).lines).toEqual([['payment', 2_500, 0], ['adjustment', 1_000, 0]]);
    expect(p!.lines[1]!.description).toBe('balance not itemized in this file: 1000 before its first entry, 0 left after the payout');
    expect(netOfLines(p!)).toBe(p!.netAmount);
  });

  it('keeps a rolling reserve out of the payout it is not part of', () => {
    const text = [
      'pspReference,ledgerDate,entryType,reference,currency,amount,balanceBefore,balanceAfter',
      'c1,2026-11-03,capture,o-1,DKK,2500,5000,7500',
      '55-9,2026-11-03,payout-scheduled,MobilePay 9,DKK,-2500,7500,5000',
    ].join('\n');
    expect(summary(parseVipps(text)[0]!).lines).toEqual([['payment', 2_500, 0]]);
  });

  it('checks the balance chain and the one currency of a ledger', () => {
    expect(rejection(() => parseVipps(ledger.replace('69800,59800', '69800,59801')))).toEqual({ line: 4, reason: 'balanceAfter 59801 is not balanceBefore 69800 plus amount -10000' });
    const missing = ledger.split('\n').filter((l) => !l.startsWith('3334234112')).join('\n');
    expect(rejection(() => parseVipps(missing))).toEqual({
      line: 3,
      reason: "balanceBefore 69800 does not continue from the previous entry's balanceAfter 49900: entries are missing or out of order",
    });
    expect(rejection(() => parseVipps(ledger.replace('refund,order-1001,NOK', 'refund,order-1001,DKK')))).toEqual({ line: 4, reason: 'currency DKK in a ledger of NOK: a Vipps MobilePay ledger has one currency' });
    expect(rejection(() => parseVipps(ledger.replace(',-10000,', ',-100.00,')))).toEqual({ line: 4, reason: 'amount "-100.00" is not a whole number of minor units' });
    expect(rejection(() => parseVipps('pspReference,entryType,amount\n1,capture,5\n'))?.reason).toBe('the header lacks the column(s) "ledgerDate", "currency"; is this the right file format?');
  });

  it('refuses a payout scheduled twice, and one it cannot itemize', () => {
    const twice = ledger.replace('3343121377,2026-11-02T08:00:00Z,2026-11-02,capture,order-1004,NOK,9900,NO:123455,0,9900', '123455-2000023,2026-11-02T08:00:00Z,2026-11-02,payout-scheduled,,NOK,0,NO:123455,0,0');
    expect(rejection(() => parseVipps(twice))).toEqual({ line: 9, reason: 'payout 123455-2000023 is scheduled twice' });
    const bare = 'pspReference,ledgerDate,entryType,reference,currency,amount\n55-1,2026-11-03,payout-scheduled,,DKK,-100\n';
    expect(rejection(() => parseVipps(bare))).toEqual({ line: 2, reason: 'payout 55-1 has no transaction lines, only its transfer' });
    expect(parseVipps('pspReference,ledgerDate,entryType,reference,currency,amount\nc1,2026-11-03,capture,o,DKK,100\n')).toEqual([]);
  });
});
