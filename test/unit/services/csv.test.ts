import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { BalanceReport } from '../../../src/services/balance-report';
import { balanceReportCsv } from '../../../src/services/balance-report-csv';
import { amount, attachment, toCsv } from '../../../src/services/csv';

describe('CSV for people and programs', () => {
  it('writes nordic CSV with semicolons and decimal comma, plain CSV with commas and a decimal point, both in currency units', () => {
    const rows = [['item', 'amount'], ['sale; big', amount(123_450)], ['refund', amount(-5)], ['count', 3], ['none', null]];
    expect(toCsv(rows, 'nordic', 'DKK')).toBe('\uFEFFitem;amount\n"sale; big";1234,50\nrefund;-0,05\ncount;3\nnone;\n');
    expect(toCsv(rows, 'plain', 'DKK')).toBe('item,amount\nsale; big,1234.50\nrefund,-0.05\ncount,3\nnone,\n');
    // Currencies without minor units stay whole; a text a spreadsheet would run as a formula is quoted as text.
    expect(toCsv([[amount(1_500), '=HYPERLINK("x")', '-2']], 'nordic', 'JPY')).toBe('\uFEFF1500;"\'=HYPERLINK(""x"")";\'-2\n');
    // Every cell that begins like a formula (= + - @ tab CR) becomes text; amounts stay numbers.
    const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const [cells, amounts] = parse(toCsv([hostile, [amount(-125_000), 42]], 'plain', 'DKK'), { relax_column_count: true }) as string[][];
    expect(cells).toEqual(hostile.map((c) => `'${c}`));
    expect(amounts).toEqual(['-1250.00', '42']);
    expect(attachment('balance-2026-11-01-2026-11-30.csv')).toBe('attachment; filename="balance-2026-11-01-2026-11-30.csv"');
  });

  it('puts the balance report in one table whose amount column names the currency', () => {
    const report = {
      currency: 'DKK',
      period: { from: '2026-11-01', to: '2026-11-30' },
      ordersBooked: { count: 2, amount: 30_000 },
      drafts: { count: 1, amount: 5_000 },
      paymentsRegistered: { count: 2, amount: 30_000 },
      refunds: { count: 0, amount: 0 },
      payouts: { count: 1, net: 19_500, fees: 500, linesMatched: 1, linesUnmatched: 0 },
      acquirers: [{ acquirer: 'nets', receivableAccount: '5815', feeAccount: '3631', fees: 500, disputesAccount: '5830', ledgerBalance: 10_000, unpaidPayments: 10_000, difference: 0, balanced: true }],
      disputes: [{ acquirer: 'nets', payoutId: '9101', lineNo: 3, type: 'chargeback', amount: -40_000, orderNumber: '#N1' }],
      vat: [{ account: '7230', vatCodes: ['S25', 'EU0'], vat: 6_000 }, { account: '7241', vatCodes: ['DE19'], vat: 1_900 }],
      errorAccount: [],
      unfinished: [{ subject: 'order', id: 'F1', orderNumber: '#F1', date: '2026-11-03', status: 'failed', errorCode: 'unmapped_payment_method', reason: 'The order was paid with …' }],
      discrepancies: { ordersWithoutPayment: [], paymentsWithoutInvoice: [], payoutLinesWithoutInvoice: [] },
      clean: false,
    } as unknown as BalanceReport;
    const lines = balanceReportCsv(report, 'nordic').replace('\uFEFF', '').trim().split('\n');
    expect(lines[0]).toBe('section;item;count;amount (DKK);detail');
    expect(lines).toContain('orders;invoices booked;2;300,00;');
    expect(lines).toContain('orders;invoices drafted (not booked);1;50,00;');
    expect(lines).toContain('acquirer nets;fees 3631;;5,00;');
    expect(lines).toContain('disputes;payout 9101 line 3;;-400,00;chargeback nets, order #N1');
    expect(lines).toContain('output VAT;account 7241;;19,00;DE19');
    expect(lines).toContain('not booked;order #F1;;;2026-11-03 failed: The order was paid with …');
    expect(lines.at(-1)).toBe('result;clean;;;false');
    expect(balanceReportCsv(report, 'plain').split('\n')[0]).toBe('section,item,count,amount (DKK),detail');
  });
});
