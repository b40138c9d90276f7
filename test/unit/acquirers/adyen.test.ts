import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAdyen } from '../../../src/adapters/acquirers/files';
import { fixture, netOfLines, rejection, summary } from './helpers';

const report = fixture('adyen-settlement-details.csv');

describe('Adyen settlement details report', () => {
  it('makes one payout per merchant account and batch, in the net currency, with the MerchantPayout as what reached the bank', () => {
    const [dk, se, ...rest] = parseAdyen(report);
    expect(rest).toEqual([]);
    expect(summary(dk!)).toEqual({
      id: 'KaffeShopDK/152',
      currency: 'DKK',
      paidOutAt: '2026-11-04',
      net: 5_148,
      lines: [
        ['payment', 10_000, 210],
        ['payment', 14_917, 309],
        ['refund', -2_500, 0],
        ['chargeback', -10_000, 750],
        ['fee', -1_000, 0],
        ['adjustment', -5_000, 0],
      ],
    });
    expect(netOfLines(dk!)).toBe(dk!.netAmount);
    expect(summary(se!)).toEqual({ id: 'KaffeShopSE/152', currency: 'SEK', paidOutAt: '2026-11-04', net: 147_375, lines: [['payment', 150_000, 2_625]] });
  });

  it('keeps the references a payment is matched by, and says what fee and adjustment rows are', () => {
    const [dk] = parseAdyen(report, 'adyen-dk');
    expect(dk!.acquirer).toBe('adyen-dk');
    expect(dk!.lines[1]).toEqual({
      lineNo: 3,
      type: 'payment',
      amount: 14_917,
      fee: 309,
      currency: 'DKK',
      transactionId: '8816178914079739',
      orderReference: '1002',
      paymentMethod: 'mccredit',
      date: '2026-11-02',
    });
    expect(dk!.lines[4]).toMatchObject({ type: 'fee', description: 'Fee: Transaction Fees November 2026' });
    expect(dk!.lines[5]).toMatchObject({ type: 'adjustment', description: 'DepositCorrection: Security deposit' });
  });

  it('takes the Booking Date as the payout date when the report has that column', () => {
    const lines = report.split('\n');
    const withBooking = [`${lines[0]},Booking Date`, ...lines.slice(1).filter(Boolean).map((l) => `${l},${l.includes('MerchantPayout') ? '2026-11-05 02:00:00' : ''}`)].join('\n');
    expect(parseAdyen(withBooking)[0]!.paidOutAt).toBe('2026-11-05');
  });

  it('books nothing to the bank for a batch without a MerchantPayout row', () => {
    const text = report.split('\n').filter((l) => !l.includes('MerchantPayout,Batch 152,DKK')).join('\n');
    const [dk] = parseAdyen(text);
    expect(dk!.netAmount).toBe(0);
  });

  it('refuses unknown types, mixed currencies in a batch, altered amounts and bad dates, with the line', () => {
    const cases: [string, string, { line: number; reason: string }][] = [
      [',Refunded,', ',Refundd,', { line: 4, reason: 'Type "Refundd" is not a journal type Adyen documents for the Settlement details report' }],
      ['1,DKK,25.00,,,,,,visaclassic', '1,EUR,25.00,,,,,,visaclassic', { line: 4, reason: 'payout KaffeShopDK/152 mixes currencies: EUR here, DKK from line 2' }],
      [',97.90,', ',97.91,', { line: 2, reason: 'the net amount 9791 plus fees 210 is not the gross amount 10000' }],
      ['2026-11-02 10:14:03', '2026-13-02 10:14:03', { line: 2, reason: 'Creation Date "2026-13-02 10:14:03" is not a real date' }],
      [',0.68,', ',0.685,', { line: 3, reason: 'Markup (NC) "0.685" has more than 2 decimals' }],
      [',107.50,', ',107;50,', { line: 5, reason: 'Net Debit (NC) "107;50" is not an amount (expected e.g. 1234.50 or -1234.50)' }],
    ];
    for (const [from, to, expected] of cases) {
      const text = report.replace(from, to);
      expect(text, from).not.toBe(report);
      expect(rejection(() => parseAdyen(text)), to).toEqual(expected);
    }
  });

  it('refuses a batch that is only a transfer', () => {
    const text = report.split('\n').filter((l) => !l.includes(',KaffeShopSE,8816')).join('\n');
    expect(rejection(() => parseAdyen(text))).toEqual({ line: 9, reason: 'payout KaffeShopSE/152 has no transaction lines, only its transfer' });
  });

  it('reads every journal type Adyen documents (test/fixtures/vendors/adyen), settling externally settled rows by their fees only', () => {
    const doc = readFileSync(new URL('../../fixtures/vendors/adyen/journal-types.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| ([A-Za-z /]+?) \|/gm)].flatMap((m) => m[1]!.split(' / ')).filter((t) => t !== 'Type');
    expect(documented).toEqual(expect.arrayContaining(['PaidOut', 'PaidOutReversed', 'SettledExternallyWithInfo', 'RefundedExternallyWithInfo', 'ChargebackExternallyWithInfo', 'SecondChargeback']));
    expect(documented.length).toBeGreaterThanOrEqual(30);
    const header = report.split('\n')[0]!;
    const row = (type: string, i: number, netCredit: string, netDebit = '', commission = '') =>
      `KaffeCompany,KaffeShopDK,88161789140797${String(i).padStart(2, '0')},O-${i},visa,2026-11-02 10:00:00,CET,${type},,DKK,${netDebit},${netCredit},1,DKK,${netDebit},${netCredit},${commission},,,,visaclassic,,200`;
    const rows = documented.filter((t) => t !== 'MerchantPayout').map((t, i) => (/External/.test(t) ? row(t, i, '', '0.40') : row(t, i, '1.00')));
    const [p] = parseAdyen([header, ...rows, row('MerchantPayout', 99, '', '1.00')].join('\n'));
    expect(p!.lines).toHaveLength(rows.length);
    const external = p!.lines.filter((l) => /External/.test(l.description ?? ''));
    expect(external).toHaveLength(6);
    for (const l of external) expect(l).toMatchObject({ type: 'fee', amount: -40, fee: 0 });
    expect(p!.lines.find((l) => l.description === 'PaidOutReversed')).toMatchObject({ type: 'adjustment', amount: 100 });
    // A won dispute (journal-types.md: "Previous chargeback credited") keeps its PSP reference to be placed on its payment.
    const reversed = documented.filter((t) => t !== 'MerchantPayout').indexOf('ChargebackReversed');
    expect(p!.lines.find((l) => l.orderReference === `O-${reversed}`)).toMatchObject({ type: 'chargeback_reversal', amount: 100, transactionId: expect.any(String) });
    const settled = documented.filter((t) => t !== 'MerchantPayout').indexOf('Settled');
    expect(p!.lines.find((l) => l.orderReference === `O-${settled}`)).toMatchObject({ type: 'payment', amount: 100 });
  });

  it('names an undocumented type with its line, booking none of the file', () => {
    const text = `${report.trimEnd()}\nKaffeCompany,KaffeShopDK,1,2,visa,2026-11-02 10:00:00,CET,SettledViaMagic,,DKK,,,1,DKK,,1.00,,,,,visaclassic,,152\n`;
    expect(rejection(() => parseAdyen(text))).toEqual({ line: text.trimEnd().split('\n').length, reason: 'Type "SettledViaMagic" is not a journal type Adyen documents for the Settlement details report' });
  });
});
