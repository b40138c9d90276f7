import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { LedgerTransientError, type LedgerPort } from '../../../src/adapters/ledgers/port';
import { BookingError, type ErrorCode } from '../../../src/domain/errors';
import { orderSchema, refundSchema, type Order } from '../../../src/domain/order';
import type { Payout, PayoutLine } from '../../../src/domain/payout';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';
import { planOrder } from '../../../src/domain/plan-order';
import { planPayout } from '../../../src/domain/plan-payout';
import { planRefund } from '../../../src/domain/plan-refund';
import type { DocumentKind, DocumentState, Voucher } from '../../../src/domain/posting';
import type { Fault, FaultMatch } from '../../support/fake-ledgers/server';
import { cardOrder, danishMarket, refundOf, type Market } from '../../support/fixtures';

/**
 * The ledger port contract: what every adapter must do, checked against the local ledger and against each vendor
 * adapter talking to its fake vendor server. Fault tests (lost answers, 401, 429, 5xx, timeouts) need a fake to
 * inject into and are not defined for the local ledger.
 */
export interface ContractSubject {
  port: LedgerPort;
  /**
   * The vendor fake behind the port, for fault injection. Its `refused` lists the requests the vendor's published
   * document does not allow (test/support/vendor-schemas.ts): an adapter must never send one.
   */
  fake?: { inject(fault: Fault, match?: FaultMatch): void; refused?: { call: string; problems: string[] }[] };
  /** How many documents of this kind with this reference the ledger holds (drafts and booked alike). */
  count(kind: DocumentKind, reference: string): number | Promise<number>;
  /** Credentials the port was built with: they must never appear in an error. */
  secrets?: string[];
  close(): Promise<void>;
}

let seq = 0;
const uniq = (prefix: string) => `${prefix}${Date.now().toString(36)}${++seq}`;

/** A paid domestic card order of `total` minor units in the market's currency, planned with its mapping. */
export function orderPlans(total = 10_000, market: Market = danishMarket) {
  const order = orderSchema.parse(cardOrder(uniq('o'), total, { currency: market.currency, deliveryCountry: market.country }));
  return { order, ...planOrder(order, market.mapping) };
}

/** A card order paid with two cards (dankort 60 %, visa the rest) on the same receivable: two registrations. */
export function splitOrderPlans(total = 10_000, market: Market = danishMarket) {
  const id = uniq('s');
  const first = Math.round(total * 0.6);
  const transactions = [
    { id: '1', method: 'dankort', amount: first, transactionId: `txn-${id}-1`, captured: true },
    { id: '2', method: 'visa', amount: total - first, transactionId: `txn-${id}-2`, captured: true },
  ];
  const order = orderSchema.parse(cardOrder(id, total, { currency: market.currency, deliveryCountry: market.country, payment: { method: 'dankort', amount: total, splitMethods: ['dankort', 'visa'], transactions } }));
  return { order, ...planOrder(order, market.mapping) };
}

/** The credit note and refund payment of a refund of a paid order. */
export function refundPlans(order: Order, amount: number, market: Market = danishMarket) {
  const { creditNote, refundPayment } = planRefund(refundSchema.parse(refundOf(uniq('r'), order.orderId, amount, { currency: market.currency })), order, market.mapping, 0);
  if (!refundPayment) throw new Error(`order ${order.orderId} is not paid: a refund of it has no refund payment`);
  return { creditNote, refundPayment };
}

/** The ARCHITECTURE.md payout: Nets pays 450 for orders of 100 + 200 + 200 and keeps 50 in fees. */
export function designPayoutVoucher(market: Market = danishMarket): Voucher {
  const { mapping, currency } = market;
  const docs: OpenDocument[] = [10_000, 20_000, 20_000].map((amount, i) => ({
    reference: `A${i}`,
    kind: 'invoice',
    orderNumber: `#A${i}`,
    transactionId: `txn-A${i}`,
    amount,
    date: '2026-11-02',
    receivableAccount: mapping.paymentMethods.dankort!.receivableAccount,
    acquirer: 'nets',
  }));
  const lines: PayoutLine[] = docs.map((d, i) => ({ lineNo: i + 1, type: 'payment', amount: d.amount, fee: d.amount / 10, currency, date: '2026-11-02', transactionId: d.transactionId }));
  const payout: Payout = { acquirer: 'nets', payoutId: 'P1', currency, paidOutAt: '2026-11-04', netAmount: 45_000, lines };
  return planPayout(payout, matchPayout(payout, docs), mapping, currency);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
}

async function expectBookingError(p: Promise<unknown>, code: ErrorCode, value?: string): Promise<BookingError> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(BookingError);
  const err = e as BookingError;
  expect(err.code).toBe(code);
  if (value !== undefined) expect(Object.values(err.details)).toContain(value);
  return err;
}

/**
 * `journalState`: what payments and payout vouchers are once written: `booked`, or `in_journal` where the ledger keeps
 * journal vouchers in its daybook until a person books it (e-conomic).
 * `faults`: the subject runs against a fake vendor server that can lose answers and inject errors. `market`: the
 * mapping, currency and country its test orders have (a Norwegian ledger keeps the Norwegian chart of accounts).
 */
export function ledgerContract(
  name: string,
  makePort: () => Promise<ContractSubject>,
  { faults, market = danishMarket, journalState = 'booked' }: { faults: boolean; market?: Market; journalState?: DocumentState },
) {
  const { mapping } = market;
  const receivable = mapping.paymentMethods.dankort!.receivableAccount;
  const sales = mapping.goods.domestic;
  const plans = (total?: number) => orderPlans(total, market);
  const splitPlans = () => splitOrderPlans(undefined, market);
  const refunds = (order: Order, amount: number) => refundPlans(order, amount, market);
  const payoutVoucher = () => designPayoutVoucher(market);
  const voucherWith = (lines: Voucher['lines']): Voucher => ({ currency: market.currency, date: '2026-11-04', text: 'Test voucher', lines });
  describe(`${name} — ledger port contract`, () => {
    let s: ContractSubject;
    beforeAll(async () => {
      s = await makePort();
    });
    afterAll(async () => {
      await s?.close();
    });
    afterEach(() => {
      // Every request the adapter sent is one the vendor documents (path, query parameters, body schema).
      const refused = s?.fake?.refused ?? [];
      expect(refused.splice(0), 'requests the vendor document does not allow').toEqual([]);
    });
    const needFake = (_ctx?: TestContext) => {
      if (!s.fake) throw new Error(`${name} has no fake server to inject faults into`);
      return s.fake;
    };

    it('creates a draft invoice, finds it, and books it (twice is still once)', async () => {
      const { invoice } = plans();
      const draft = await s.port.createInvoice(invoice, 'draft');
      expect(draft).toMatchObject({ kind: 'invoice', reference: invoice.reference, state: 'draft', voucherNumber: null });
      expect(await s.port.findDocument('invoice', invoice.reference)).toMatchObject({ state: 'draft', documentId: draft.documentId });
      const booked = await s.port.bookDraft(draft);
      expect(booked).toMatchObject({ kind: 'invoice', reference: invoice.reference, state: 'booked' });
      expect(booked.voucherNumber).toBeTruthy();
      expect(await s.port.bookDraft(draft)).toMatchObject({ state: 'booked', voucherNumber: booked.voucherNumber });
      expect(await s.port.findDocument('invoice', invoice.reference)).toEqual(booked);
      expect(await s.count('invoice', invoice.reference)).toBe(1);
    });

    it('creates a booked invoice and registers its payment against it', async () => {
      const { invoice, payment } = plans(20_000);
      const doc = await s.port.createInvoice(invoice, 'booked');
      expect(doc).toMatchObject({ kind: 'invoice', reference: invoice.reference, state: 'booked' });
      expect(doc.voucherNumber).toBeTruthy();
      expect(await s.port.findDocument('payment', payment!.reference)).toBeNull();
      const paid = await s.port.registerPayment(payment!, doc);
      expect(paid).toMatchObject({ kind: 'payment', reference: payment!.reference, state: journalState });
      expect(await s.port.findDocument('payment', payment!.reference)).toMatchObject({ kind: 'payment', documentId: paid.documentId });
      expect(await s.count('payment', payment!.reference)).toBe(1);
    });

    it('credits an invoice with a credit note and registers the refund payment', async () => {
      const { order, invoice, payment } = plans(20_000);
      const inv = await s.port.createInvoice(invoice, 'booked');
      await s.port.registerPayment(payment!, inv);
      const { creditNote, refundPayment } = refunds(order, 5_000);
      const cn = await s.port.createInvoice(creditNote, 'booked');
      expect(cn).toMatchObject({ kind: 'credit_note', reference: creditNote.reference, state: 'booked' });
      expect(await s.port.findDocument('credit_note', creditNote.reference)).toEqual(cn);
      expect(await s.port.findDocument('invoice', creditNote.reference)).toBeNull();
      const refund = await s.port.registerPayment(refundPayment, cn);
      expect(refund).toMatchObject({ kind: 'refund_payment', reference: refundPayment.reference, state: journalState });
      expect(await s.port.findDocument('refund_payment', refundPayment.reference)).toMatchObject({ documentId: refund.documentId });
      expect(await s.count('credit_note', creditNote.reference)).toBe(1);
      expect(await s.count('refund_payment', refundPayment.reference)).toBe(1);
    });

    it('refuses a payment on a draft invoice', async () => {
      const { invoice, payment } = plans();
      const draft = await s.port.createInvoice(invoice, 'draft');
      await expectBookingError(s.port.registerPayment(payment!, draft), 'payment_unknown_invoice');
    });

    it('posts the ARCHITECTURE.md payout voucher and finds it by reference', async () => {
      const reference = uniq('conn_1/po_');
      const voucher = payoutVoucher();
      expect(voucher.lines.map((l) => [l.account, l.amount])).toEqual([
        [receivable, -10_000],
        [receivable, -20_000],
        [receivable, -20_000],
        [mapping.accounts.bank, 45_000],
        [mapping.accounts.fee, 5_000],
      ]);
      const doc = await s.port.postVoucher('payout', reference, voucher);
      expect(doc).toMatchObject({ kind: 'payout', reference, state: journalState });
      expect(doc.voucherNumber).toBeTruthy();
      expect(await s.port.findDocument('payout', reference)).toEqual(doc);
      expect(await s.count('payout', reference)).toBe(1);
    });

    it('finds nothing for references it never saw', async () => {
      for (const kind of ['invoice', 'credit_note', 'payment', 'refund_payment', 'payout'] as const) {
        expect(await s.port.findDocument(kind, uniq('never'))).toBeNull();
      }
    });

    it('names a missing account and a missing VAT code', async () => {
      const missingAccount = await expectBookingError(
        s.port.postVoucher('payout', uniq('p'), voucherWith([{ account: '9999', amount: 500, text: 'Nowhere' }, { account: mapping.accounts.bank, amount: -500, text: 'Bank' }])),
        'missing_account',
        '9999',
      );
      expect(JSON.stringify(missingAccount.details)).toContain('9999');
      await expectBookingError(
        s.port.postVoucher('payout', uniq('p'), voucherWith([{ account: sales.account, amount: -8_000, text: 'Sale', vatCode: 'XX9' }, { account: mapping.accounts.bank, amount: 8_000, text: 'Bank' }])),
        'missing_vat_code',
        'XX9',
      );
    });

    it('lists its chart: every account and VAT code checkSetup finds is one an owner can pick, and nothing it lacks', async () => {
      const chart = await s.port.chart();
      const numbers = chart.accounts.map((a) => a.number);
      expect(numbers).toEqual(expect.arrayContaining([sales.account, receivable, mapping.accounts.bank]));
      expect(numbers).not.toContain('9999');
      const codes = chart.vatCodes.map((v) => v.code);
      expect(codes).toContain(sales.vatCode);
      expect(codes).not.toContain('XX9');
      // What the chart offers, the setup check accepts: a dropdown never offers what the mapping would then lack.
      expect(await s.port.checkSetup({ accounts: numbers, vatCodes: codes })).toMatchObject({ missingAccounts: [], missingVatCodes: [] });
    });

    it('checkSetup names the missing VAT code and account', async () => {
      const report = await s.port.checkSetup({ accounts: [sales.account, receivable, '9999'], vatCodes: [sales.vatCode, 'XX9'] });
      expect(report.missingAccounts).toEqual(['9999']);
      expect(report.missingVatCodes).toEqual(['XX9']);
      expect(report.missingPaymentTerms).toEqual([]);
    });

    // Fault injection needs a vendor-shaped server; the local ledger is our own database.
    if (faults) {
      it('exactly once: a created invoice whose answer is lost is found, not duplicated', async (ctx) => {
        const fake = needFake(ctx);
        await s.port.createInvoice(plans().invoice, 'draft'); // the customer exists now, so the next write is the invoice
        const { invoice } = plans();
        fake.inject({ loseResponse: true }, { method: 'POST' });
        expect(await rejection(s.port.createInvoice(invoice, 'booked'))).toBeInstanceOf(LedgerTransientError);
        const found = await s.port.findDocument('invoice', invoice.reference);
        expect(found).not.toBeNull();
        // The retry (createInvoice looks up first) completes the booking on the document that exists.
        const doc = await s.port.createInvoice(invoice, 'booked');
        expect(doc.state).toBe('booked');
        expect(await s.count('invoice', invoice.reference)).toBe(1);
      });

      it('exactly once: a draft booked with a lost answer is booked once', async (ctx) => {
        const fake = needFake(ctx);
        const { invoice } = plans();
        const draft = await s.port.createInvoice(invoice, 'draft');
        fake.inject({ loseResponse: true }, { method: /^(POST|PUT)$/ });
        expect(await rejection(s.port.bookDraft(draft))).toBeInstanceOf(LedgerTransientError);
        const again = await s.port.bookDraft(draft);
        expect(again.state).toBe('booked');
        expect(await s.port.findDocument('invoice', invoice.reference)).toEqual(again);
        expect(await s.count('invoice', invoice.reference)).toBe(1);
      });

      it('exactly once: a payment whose answer is lost is found, not duplicated', async (ctx) => {
        const fake = needFake(ctx);
        const { invoice, payment } = plans();
        const inv = await s.port.createInvoice(invoice, 'booked');
        fake.inject({ loseResponse: true }, { method: 'POST' });
        expect(await rejection(s.port.registerPayment(payment!, inv))).toBeInstanceOf(LedgerTransientError);
        const found = await s.port.findDocument('payment', payment!.reference);
        expect(found).toMatchObject({ kind: 'payment', reference: payment!.reference, state: journalState });
        expect(await s.port.registerPayment(payment!, inv)).toEqual(found);
        expect(await s.count('payment', payment!.reference)).toBe(1);
      });

      it('exactly once: each part of a split payment is registered once, found by its own reference after a lost answer', async (ctx) => {
        const fake = needFake(ctx);
        const { invoice, payment, otherPayments } = splitPlans();
        const second = otherPayments![0]!;
        const inv = await s.port.createInvoice(invoice, 'booked');
        const first = await s.port.registerPayment(payment!, inv);
        // The second part is not the first found again: a lost answer on it is found as itself, and written once.
        fake.inject({ loseResponse: true }, { method: 'POST' });
        expect(await rejection(s.port.registerPayment(second, inv))).toBeInstanceOf(LedgerTransientError);
        const again = await s.port.registerPayment(second, inv);
        expect(again).toMatchObject({ kind: 'payment', reference: second.reference });
        expect(again.documentId).not.toBe(first.documentId);
        expect(await s.port.registerPayment(payment!, inv)).toMatchObject({ documentId: first.documentId });
        // Two registrations in the ledger, however it counts them (per reference, or per invoice they settle).
        expect((await s.count('payment', payment!.reference)) + (await s.count('payment', second.reference))).toBe(2);
      });

      it('exactly once: a payout voucher whose answer is lost is found, not duplicated', async (ctx) => {
        const fake = needFake(ctx);
        const reference = uniq('conn_1/po_');
        fake.inject({ loseResponse: true }, { method: 'POST' });
        expect(await rejection(s.port.postVoucher('payout', reference, payoutVoucher()))).toBeInstanceOf(LedgerTransientError);
        const found = await s.port.findDocument('payout', reference);
        expect(found).toMatchObject({ kind: 'payout', reference });
        // A ledger that creates and books a voucher in two calls (Dinero) may hold it as a draft: the retry books it.
        const again = await s.port.postVoucher('payout', reference, payoutVoucher());
        if (found!.state === 'draft') expect(again).toEqual({ ...found, state: journalState, voucherNumber: again.voucherNumber });
        else expect(again).toEqual(found);
        expect(again.state).toBe(journalState);
        expect(await s.count('payout', reference)).toBe(1);
      });

      it('401 → ledger_credentials_rejected, without the credentials in the error', async (ctx) => {
        const fake = needFake(ctx);
        fake.inject({ status: 401 });
        const err = await expectBookingError(s.port.findDocument('invoice', uniq('x')), 'ledger_credentials_rejected');
        const shown = JSON.stringify({ message: err.message, details: err.details, stack: err.stack });
        for (const secret of s.secrets ?? []) expect(shown).not.toContain(secret);
      });

      it('429 → LedgerTransientError with retryAfterMs from Retry-After', async (ctx) => {
        const fake = needFake(ctx);
        fake.inject({ status: 429, retryAfter: '7' });
        const e = await rejection(s.port.findDocument('invoice', uniq('x')));
        expect(e).toBeInstanceOf(LedgerTransientError);
        expect((e as LedgerTransientError).retryAfterMs).toBe(7_000);
      });

      it('500 and timeouts → LedgerTransientError', async (ctx) => {
        const fake = needFake(ctx);
        fake.inject({ status: 500 });
        expect(await rejection(s.port.findDocument('payout', uniq('x')))).toBeInstanceOf(LedgerTransientError);
        fake.inject({ slowMs: 2_500 });
        const e = await rejection(s.port.findDocument('invoice', uniq('x')));
        expect(e).toBeInstanceOf(LedgerTransientError);
        expect((e as Error).message).toMatch(/no answer within/);
      });

      it('other 4xx → ledger_rejected with the vendor message', async (ctx) => {
        const fake = needFake(ctx);
        fake.inject({ status: 422, message: 'Something about this document is wrong' }, { method: 'POST' });
        const err = await expectBookingError(s.port.postVoucher('payout', uniq('p'), payoutVoucher()), 'ledger_rejected');
        expect(String(err.details.vendorMessage)).toContain('Something about this document is wrong');
      });
    }
  });
}
