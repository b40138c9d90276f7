import type { BalanceReport } from './balance-report';
import { amount, amountHeading, toCsv, type Cell, type CsvStyle } from './csv';

/** The balance report as one table: section, item, count, amount, detail. Amounts in the ledger's currency. */
export function balanceReportCsv(r: BalanceReport, style: CsvStyle): string {
  const rows: Cell[][] = [['section', 'item', 'count', amountHeading(r.currency), 'detail']];
  rows.push(['period', 'from', null, null, r.period.from], ['period', 'to', null, null, r.period.to]);
  rows.push(['orders', 'invoices booked', r.ordersBooked.count, amount(r.ordersBooked.amount), null]);
  rows.push(['orders', 'invoices drafted (not booked)', r.drafts.count, amount(r.drafts.amount), null]);
  rows.push(['payments', 'registered', r.paymentsRegistered.count, amount(r.paymentsRegistered.amount), null]);
  rows.push(['refunds', 'credit notes', r.refunds.count, amount(r.refunds.amount), null]);
  rows.push(['payouts', 'booked (net)', r.payouts.count, amount(r.payouts.net), null], ['payouts', 'fees', null, amount(r.payouts.fees), null]);
  for (const a of r.acquirers) {
    const section = `acquirer ${a.acquirer}`;
    rows.push([section, `receivable ${a.receivableAccount}: balance`, null, amount(a.ledgerBalance), a.ledgerBalance === null ? 'kept by the ledger system' : null]);
    rows.push([section, 'payments not paid out', null, amount(a.unpaidPayments), a.balanced ? 'balanced' : 'not balanced']);
    if (a.difference) rows.push([section, 'difference', null, amount(a.difference), null]);
    rows.push([section, `fees ${a.feeAccount}`, null, amount(a.fees), null]);
  }
  for (const v of r.vat) rows.push(['output VAT', `account ${v.account}`, null, amount(v.vat), `${v.vatCodes.join(', ')}${v.vat === null ? '; kept by the ledger system' : ''}`]);
  for (const d of r.disputes) rows.push(['disputes', `payout ${d.payoutId} line ${d.lineNo}`, null, amount(d.amount), `${d.type} ${d.acquirer}, order ${d.orderNumber ?? '?'}`]);
  for (const e of r.errorAccount) rows.push(['error account', `payout ${e.payoutId} line ${e.lineNo}`, null, amount(e.amount), e.reason]);
  for (const u of r.unfinished) rows.push(['not booked', `${u.subject} ${u.orderNumber ?? u.id}`, null, null, `${u.date} ${u.status}: ${u.reason}`]);
  for (const o of r.discrepancies.ordersWithoutPayment) rows.push(['discrepancy', 'order without payment', null, null, o]);
  for (const o of r.discrepancies.paymentsWithoutInvoice) rows.push(['discrepancy', 'payment without invoice', null, null, o]);
  rows.push(['result', 'clean', null, null, String(r.clean)]);
  return toCsv(rows, style, r.currency);
}
