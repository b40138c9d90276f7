import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../src/adapters/acquirers/files/decimal';
import { parseSettlementFile, SettlementParseError, type GenericCsvMapping } from '../../../src/adapters/acquirers/files';
import type { Payout } from '../../../src/domain/payout';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/settlements/${name}`, import.meta.url), 'utf8');
const summary = (p: Payout) => ({ id: p.payoutId, currency: p.currency, paidOutAt: p.paidOutAt, net: p.netAmount, lines: p.lines.map((l) => [l.type, l.amount, l.fee]) });
const netOfLines = (p: Payout) => p.lines.reduce((a, l) => a + l.amount - l.fee, 0);
const rejection = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SettlementParseError) return { line: e.lineNumber, reason: e.reason };
    throw e;
  }
  return null;
};

describe('Nets/Nexi settlement report', () => {
  it('reads Danish decimals with thousands separators, negative refund and chargeback lines, fees, and a payout per currency', () => {
    const [dkk, eur] = parseSettlementFile('nets', fixture('nets-payout.csv'), 'nets');
    expect(summary(dkk!)).toEqual({
      id: '8812001',
      currency: 'DKK',
      paidOutAt: '2026-11-04',
      net: 95_600,
      lines: [['payment', 10_000, 125], ['payment', 125_000, 1_875], ['refund', -2_500, 0], ['chargeback', -30_000, 0], ['fee', -4_900, 0]],
    });
    expect(dkk!.lines[0]).toMatchObject({ lineNo: 2, transactionId: '0262a3f1e9a04c7c8c2b1d0e5f6a7b81', orderReference: '1001', paymentMethod: 'dankort', date: '2026-11-02' });
    expect(summary(eur!)).toMatchObject({ id: '8812002', currency: 'EUR', net: 5_885 });
  });

  it('rejects a corrupted file with the line number and nothing else', () => {
    expect(rejection(() => parseSettlementFile('nets', fixture('nets-corrupt.csv'), 'nets'))).toEqual({ line: 4, reason: 'Transaction date "31.11.2026" is not a real date' });
    const badAmount = fixture('nets-payout.csv').replace('1.250,00;18,75;1.231,25', '1.250,0O;18,75;1.231,25');
    expect(rejection(() => parseSettlementFile('nets', badAmount, 'nets'))?.line).toBe(3);
    const badNet = fixture('nets-payout.csv').replace('100,00;1,25;98,75', '100,00;1,25;97,75');
    expect(rejection(() => parseSettlementFile('nets', badNet, 'nets'))).toEqual({ line: 2, reason: 'Net amount 9775 is not Gross amount 10000 less Fee 125' });
    expect(rejection(() => parseSettlementFile('nets', 'Payout ID;Currency\n1;DKK\n', 'nets'))?.reason).toMatch(/header lacks the column\(s\) "Payout date"/);
  });
});

describe('Adyen settlement details report', () => {
  it('groups by batch, takes amounts in the net currency with their fees, and the MerchantPayout as the net', () => {
    const [batch] = parseSettlementFile('adyen', fixture('adyen-settlement-details.csv'), 'adyen');
    expect(summary(batch!)).toEqual({
      id: '152',
      currency: 'DKK',
      paidOutAt: '2026-11-04',
      net: 10_898,
      lines: [['payment', 10_000, 210], ['payment', 14_917, 309], ['refund', -2_500, 0], ['chargeback', -10_000, 0], ['fee', -1_000, 0]],
    });
    expect(netOfLines(batch!)).toBe(batch!.netAmount);
    expect(batch!.lines[1]).toMatchObject({ transactionId: '8816178914079739', orderReference: '1002' });
  });

  it('rejects an unknown booking type with its line', () => {
    const text = fixture('adyen-settlement-details.csv').replace(',Refunded,', ',Refundd,');
    expect(rejection(() => parseSettlementFile('adyen', text, 'adyen'))).toEqual({ line: 4, reason: 'Type "Refundd" is not a settlement type this report has' });
  });
});

describe('QuickPay (Clearhaus) settlements', () => {
  it('reads minor units with refunds, fees and the reserve deducted', () => {
    const [s] = parseSettlementFile('quickpay', fixture('quickpay-settlements.csv'), 'quickpay');
    expect(summary(s!)).toEqual({
      id: '3f1c9a60-8f6b-4b8e-9d52-6a1f0b3c7e11',
      currency: 'DKK',
      paidOutAt: '2026-11-06',
      net: 19_665,
      lines: [['payment', 10_000, 145], ['payment', 20_000, 290], ['refund', -5_000, 0], ['fee', -3_900, 0], ['adjustment', -1_000, 0]],
    });
  });

  it('refuses a positive refund', () => {
    const text = fixture('quickpay-settlements.csv').replace('refund,a0b1c2d3-0002,1002,mastercard,DKK,-5000', 'refund,a0b1c2d3-0002,1002,mastercard,DKK,5000');
    expect(rejection(() => parseSettlementFile('quickpay', text, 'quickpay'))?.line).toBe(4);
  });
});

describe('Vipps MobilePay Report API ledger', () => {
  it('closes a payout at payout-scheduled, keeps unknown entry types, and leaves later entries for the next file', () => {
    const payouts = parseSettlementFile('vipps', fixture('vipps-ledger.csv'), 'vipps');
    expect(payouts).toHaveLength(1);
    expect(summary(payouts[0]!)).toEqual({
      id: 'payout-2026-11-02',
      currency: 'NOK',
      paidOutAt: '2026-11-02',
      net: 58_907,
      lines: [['payment', 49_900, 0], ['payment', 19_900, 0], ['refund', -10_000, 0], ['fee', -1_393, 0], ['adjustment', 500, 0]],
    });
    expect(payouts[0]!.lines[4]!.description).toBe('unknown entry type giftcard-redeemed');
  });
});

describe('generic CSV with a saved mapping', () => {
  const mapping: GenericCsvMapping = {
    delimiter: '|',
    decimalSeparator: ',',
    thousandsSeparator: ' ',
    amountUnit: 'major',
    dateFormat: 'DD/MM/YYYY',
    columns: { payoutId: 'BATCH', payoutDate: 'PAID', type: 'KIND', amount: 'VALUE', fee: 'COST', transactionId: 'TXN', orderReference: 'ORDER', date: 'WHEN' },
    types: { SALE: 'payment', RFND: 'refund' },
    currency: 'DKK',
  };

  it('maps columns, separators, dates and type names', () => {
    const [p] = parseSettlementFile('generic', fixture('generic-acquirer.csv'), 'acme', mapping);
    expect(summary(p!)).toEqual({ id: 'B-77', currency: 'DKK', paidOutAt: '2026-11-06', net: 335_625, lines: [['payment', 100_000, 1_250], ['payment', 250_000, 3_125], ['refund', -10_000, 0]] });
  });

  it('names a type the mapping does not know', () => {
    const text = fixture('generic-acquirer.csv').replace('|RFND|', '|CHBK|');
    expect(rejection(() => parseSettlementFile('generic', text, 'acme', mapping))).toEqual({ line: 4, reason: 'type "CHBK" is not in the mapping\'s types' });
  });
});

describe('decimal amounts', () => {
  const da = { decimalSeparator: ',', thousandsSeparator: '.' } as const;
  const en = { decimalSeparator: '.', thousandsSeparator: ',' } as const;
  it('parses exactly, whatever the convention', () => {
    expect(parseAmount('1.234.567,89', da, 2, 1, 'x')).toBe(123_456_789);
    expect(parseAmount('1,234.5', en, 2, 1, 'x')).toBe(123_450);
    expect(parseAmount('12,50-', da, 2, 1, 'x')).toBe(-1_250);
    expect(parseAmount('(7.00)', en, 2, 1, 'x')).toBe(-700);
    expect(parseAmount('0.10', en, 2, 1, 'x')).toBe(10);
    expect(parseAmount('5', en, 0, 1, 'x')).toBe(5);
    expect(parseAmount('1.500', en, 2, 1, 'x')).toBe(150);
    expect(() => parseAmount('1.505', en, 2, 1, 'x')).toThrow(/more than 2 decimals/);
    expect(() => parseAmount('12,3,4', da, 2, 1, 'x')).toThrow(SettlementParseError);
    expect(() => parseAmount('1,23', en, 2, 1, 'x')).toThrow(SettlementParseError);
  });

  it('round-trips any amount formatted the Danish way', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (minor) => {
        const abs = Math.abs(minor);
        const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        const text = `${minor < 0 ? '-' : ''}${whole},${String(abs % 100).padStart(2, '0')}`;
        expect(parseAmount(text, da, 2, 1, 'x')).toBe(minor);
      }),
    );
  });

  it('never throws anything but a SettlementParseError on garbage files', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom('nets', 'adyen', 'quickpay', 'vipps') , (text, format) => {
        try {
          parseSettlementFile(format, text, 'x');
        } catch (e) {
          expect(e).toBeInstanceOf(SettlementParseError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
