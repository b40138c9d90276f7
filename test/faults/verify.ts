import type { FakeEconomic } from '../support/fake-ledgers/economic';
import { call, type OrderRow, type RefundRow } from './http-api';
import type { FaultyShop } from './ledgers';
import type { Progress } from './settle';
import type { TrafficPlan } from './traffic';

/**
 * What the shop owner and the accountant check once the run has settled, each as a list of findings (empty: fine).
 * The ledger side is read from the vendor fake's own store — what e-conomic would show — not from our database.
 */
export interface Findings {
  /** Orders or refunds that are not booked (lost, stuck or failed), with their state. */
  notBooked: string[];
  /** Orders that are not exactly one booked invoice and one payment at the vendor; refunds likewise. */
  notExactlyOnce: string[];
  /** Documents at the vendor that belong to no order or refund of the run, and drafts left behind. */
  strayDocuments: string[];
  /** Invoices, credit notes and payments whose amounts do not settle the customer's balance to zero. */
  unbalanced: string[];
  /** Holes or repeats in a ledger's invoice or voucher numbers. */
  numberGaps: string[];
  /** The numbers the API shows for an order or refund differ from the vendor's. */
  numbersDisagree: string[];
  /** Balance report not clean or not matching the run's totals (and the vendor's receivable). */
  reportProblems: string[];
  /** The same customer created twice at the vendor (a lost create answer followed by a blind retry). */
  duplicateCustomers: string[];
}

type Json = Record<string, unknown>;
const minor = (v: unknown) => Math.round(Number(v) * 100);
const tagOf = (text: unknown) => /^\[(lb:[a-z]+:[^\]]+)\]/.exec(String(text ?? ''))?.[1];

function consecutive(numbers: number[], what: string): string[] {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] !== sorted[i - 1]! + 1) out.push(`${what}: ${sorted[i - 1]} is followed by ${sorted[i]}`);
  }
  return out;
}

/** The vendor's documents of one ledger, by our reference tag. */
function vendorIndex(e: FakeEconomic) {
  const invoices = new Map<string, Json[]>();
  for (const inv of e.booked.values()) {
    const tag = String((inv.references as Json | undefined)?.other ?? '');
    invoices.set(tag, [...(invoices.get(tag) ?? []), inv]);
  }
  const entries = new Map<string, { voucherNumber: number; entry: Json }[]>();
  for (const v of e.vouchers) {
    for (const list of Object.values((v.entries ?? {}) as Record<string, Json[]>)) {
      for (const entry of list) {
        const tag = tagOf(entry.text) ?? `untagged voucher ${v.voucherNumber}`;
        entries.set(tag, [...(entries.get(tag) ?? []), { voucherNumber: Number(v.voucherNumber), entry }]);
      }
    }
  }
  return { invoices, entries };
}

export async function verifyRun(api: string, plan: TrafficPlan, shops: FaultyShop[], progress: Progress, period = { from: '2026-11-01', to: '2026-11-30' }): Promise<Findings> {
  const f: Findings = { notBooked: [], notExactlyOnce: [], strayDocuments: [], unbalanced: [], numberGaps: [], numbersDisagree: [], reportProblems: [], duplicateCustomers: [] };

  for (const shop of shops) {
    const name = `shop ${shop.index + 1}`;
    const orders = plan.orders.filter((o) => o.shop === shop.index);
    const refunds = plan.refunds.filter((r) => r.shop === shop.index);
    const apiOrders = new Map((progress.orders[shop.index] ?? []).map((o): [string, OrderRow] => [o.orderId, o]));
    const apiRefunds = new Map((progress.refunds[shop.index] ?? []).map((r): [string, RefundRow] => [r.refundId, r]));
    const { invoices, entries } = vendorIndex(shop.economic);
    const expectedTags = new Set<string>();

    const oneDocument = (tag: string, what: string) => {
      expectedTags.add(tag);
      const found = invoices.get(tag) ?? [];
      if (found.length !== 1) f.notExactlyOnce.push(`${name}: ${what} has ${found.length} booked documents at e-conomic`);
      return found[0];
    };
    const oneEntry = (tag: string, what: string) => {
      expectedTags.add(tag);
      const found = entries.get(tag) ?? [];
      if (found.length !== 1) f.notExactlyOnce.push(`${name}: ${what} has ${found.length} journal entries at e-conomic`);
      return found[0];
    };

    for (const o of orders) {
      const row = apiOrders.get(o.orderId);
      if (row?.status !== 'booked') {
        f.notBooked.push(`${name}: order ${o.orderId} is ${row ? `${row.status} with shop status "${row.orderStatus}" (sent last: "${o.final.status}")${row.error ? `, ${row.error.code}: ${row.error.message}` : ''}` : 'unknown to the API'}`);
      }
      const invoice = oneDocument(`lb:inv:${o.orderId}`, `order ${o.orderId}'s invoice`);
      const payment = oneEntry(`lb:pay:${o.orderId}`, `order ${o.orderId}'s payment`);
      if (invoice) {
        const [net, vat, gross] = [minor(invoice.netAmount), minor(invoice.vatAmount), minor(invoice.grossAmount)];
        if (net + vat !== gross || gross !== o.total) f.unbalanced.push(`${name}: invoice ${invoice.bookedInvoiceNumber} of order ${o.orderId}: net ${net} + VAT ${vat} = ${gross}, order total ${o.total}`);
      }
      if (invoice && payment) {
        const paid = -minor(payment.entry.amount);
        if (paid !== minor(invoice.grossAmount) || Number(payment.entry.customerInvoice) !== invoice.bookedInvoiceNumber) {
          f.unbalanced.push(`${name}: payment voucher ${payment.voucherNumber} pays ${paid} on invoice ${payment.entry.customerInvoice}; order ${o.orderId}'s invoice ${invoice.bookedInvoiceNumber} is ${minor(invoice.grossAmount)}`);
        }
      }
      if (row && invoice && row.documents.invoice !== String(invoice.bookedInvoiceNumber)) f.numbersDisagree.push(`${name}: order ${o.orderId} shows invoice ${row.documents.invoice}, e-conomic has ${invoice.bookedInvoiceNumber}`);
      if (row && payment && row.documents.payment !== String(payment.voucherNumber)) f.numbersDisagree.push(`${name}: order ${o.orderId} shows payment ${row.documents.payment}, e-conomic has voucher ${payment.voucherNumber}`);
    }

    for (const r of refunds) {
      const row = apiRefunds.get(r.refundId);
      if (row?.status !== 'booked') {
        f.notBooked.push(`${name}: refund ${r.refundId} of order ${r.orderId} is ${row ? `${row.status}${row.error ? `, ${row.error.code}: ${row.error.message} ${JSON.stringify(row.error.details ?? {})}` : ''}` : 'unknown to the API'}`);
      }
      const note = oneDocument(`lb:cn:${r.refundId}`, `refund ${r.refundId}'s credit note`);
      const payment = oneEntry(`lb:rpay:${r.refundId}`, `refund ${r.refundId}'s refund payment`);
      if (note && (minor(note.netAmount) + minor(note.vatAmount) !== minor(note.grossAmount) || minor(note.grossAmount) !== -r.amount)) {
        f.unbalanced.push(`${name}: credit note ${note.bookedInvoiceNumber} of refund ${r.refundId} is ${minor(note.grossAmount)}, refunded ${r.amount} (a partial refund stays partial)`);
      }
      if (note && payment && (minor(payment.entry.amount) !== -minor(note.grossAmount) || Number(payment.entry.customerInvoice) !== note.bookedInvoiceNumber)) {
        f.unbalanced.push(`${name}: refund payment voucher ${payment.voucherNumber} is ${minor(payment.entry.amount)} on ${payment.entry.customerInvoice}; credit note ${note.bookedInvoiceNumber} is ${minor(note.grossAmount)}`);
      }
      if (row && note && row.documents.creditNote !== String(note.bookedInvoiceNumber)) f.numbersDisagree.push(`${name}: refund ${r.refundId} shows credit note ${row.documents.creditNote}, e-conomic has ${note.bookedInvoiceNumber}`);
    }

    for (const [tag, docs] of invoices) if (!expectedTags.has(tag)) f.strayDocuments.push(`${name}: booked invoice(s) ${docs.map((d) => d.bookedInvoiceNumber).join(', ')} tagged "${tag}"`);
    for (const [tag, list] of entries) if (!expectedTags.has(tag)) f.strayDocuments.push(`${name}: voucher(s) ${list.map((e) => e.voucherNumber).join(', ')} tagged "${tag}"`);
    for (const d of shop.economic.drafts.values()) f.strayDocuments.push(`${name}: draft ${d.draftInvoiceNumber} (${String((d.references as Json | undefined)?.other)}) was never booked`);

    f.numberGaps.push(...consecutive([...shop.economic.booked.keys()], `${name} invoice numbers`));
    f.numberGaps.push(...consecutive(shop.economic.vouchers.map((v) => Number(v.voucherNumber)), `${name} voucher numbers`));
    const voucherNumbers = shop.economic.vouchers.map((v) => Number(v.voucherNumber));
    if (new Set(voucherNumbers).size !== voucherNumbers.length) f.numberGaps.push(`${name}: a voucher number is used twice`);

    const emails = new Map<string, number>();
    for (const c of shop.economic.customers.values()) if (c.email) emails.set(String(c.email), (emails.get(String(c.email)) ?? 0) + 1);
    for (const [email, n] of emails) if (n > 1) f.duplicateCustomers.push(`${name}: ${n} customers with e-mail ${email}`);

    f.reportProblems.push(...(await checkReport(api, shop, orders, refunds, period)).map((p) => `${name}: ${p}`));
  }
  return f;
}

async function checkReport(api: string, shop: FaultyShop, orders: TrafficPlan['orders'], refunds: TrafficPlan['refunds'], period: { from: string; to: string }): Promise<string[]> {
  const res = await call(`${api}/v1/reports/balance?from=${period.from}&to=${period.to}`, shop.apiKey, 'GET');
  if (res.status !== 200) return [`GET /v1/reports/balance answered ${res.status}`];
  const r = res.body as {
    clean: boolean;
    ordersBooked: { count: number; amount: number };
    paymentsRegistered: { count: number; amount: number };
    refunds: { count: number; amount: number };
    acquirers: { acquirer: string; unpaidPayments: number; balanced: boolean }[];
    discrepancies: Record<string, unknown[]>;
  };
  const sold = orders.reduce((s, o) => s + o.total, 0);
  const refunded = refunds.reduce((s, x) => s + x.amount, 0);
  // What e-conomic holds on the Nets receivable (5815): the contra side of every payment and refund payment.
  const receivable = -shop.economic.vouchers
    .flatMap((v) => ((v.entries as Record<string, Json[]> | undefined)?.customerPayments ?? []).filter((e) => Number((e.contraAccount as Json | undefined)?.accountNumber) === 5815))
    .reduce((s, e) => s + minor(e.amount), 0);
  const nets = r.acquirers.find((a) => a.acquirer === 'nets');
  const out: string[] = [];
  if (!r.clean) out.push(`report not clean: ${JSON.stringify({ discrepancies: r.discrepancies, acquirers: r.acquirers })}`);
  if (r.ordersBooked.count !== orders.length || r.ordersBooked.amount !== sold) out.push(`report: ${r.ordersBooked.count} orders for ${r.ordersBooked.amount}; sent ${orders.length} for ${sold}`);
  if (r.paymentsRegistered.count !== orders.length || r.paymentsRegistered.amount !== sold) out.push(`report: ${r.paymentsRegistered.count} payments for ${r.paymentsRegistered.amount}; sent ${orders.length} for ${sold}`);
  if (r.refunds.count !== refunds.length || r.refunds.amount !== refunded) out.push(`report: ${r.refunds.count} refunds for ${r.refunds.amount}; sent ${refunds.length} for ${refunded}`);
  if (nets?.unpaidPayments !== sold - refunded || receivable !== sold - refunded) out.push(`Nets receivable: report ${nets?.unpaidPayments}, e-conomic ${receivable}, expected ${sold - refunded}`);
  return out;
}
