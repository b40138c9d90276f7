import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DineroLedger, RequestPacer, type DineroOptions } from '../../../src/adapters/ledgers/dinero';
import { referenceUuid } from '../../../src/adapters/ledgers/http';
import { LedgerTransientError } from '../../../src/adapters/ledgers/port';
import { BookingError } from '../../../src/domain/errors';
import { orderSchema } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { DINERO_CLIENT, DINERO_ORG, dineroVatCodes, startFakeDinero, type FakeDinero } from '../../support/fake-ledgers/dinero';
import { cardOrder, danishMapping } from '../../support/fixtures';
import { designPayoutVoucher, ledgerContract, orderPlans, refundPlans } from './contract';

/** A pacer that admits everything at once and only notes the pauses a 429 asks for (the contract injects 429s). */
function freePacer(): RequestPacer & { pauses: number[] } {
  const pacer = Object.assign(new RequestPacer(100_000), { pauses: [] as number[] });
  pacer.pause = async (ms) => void pacer.pauses.push(ms);
  return pacer;
}

const options = (fake: FakeDinero, over: Partial<DineroOptions> = {}): DineroOptions => ({
  ...DINERO_CLIENT,
  organizationId: DINERO_ORG,
  baseUrl: fake.url,
  authUrl: fake.authUrl,
  timeoutMs: 1_000,
  customerMode: 'per_customer',
  vatCodes: { ...dineroVatCodes },
  pacer: freePacer(),
  ...over,
});

ledgerContract('Dinero', async () => {
  const fake = await startFakeDinero();
  return { port: new DineroLedger(options(fake)), fake: fake.http, count: fake.count, secrets: Object.values(DINERO_CLIENT), close: fake.close };
}, { faults: true });

describe('Dinero specifics', () => {
  let fake: FakeDinero;
  beforeAll(async () => {
    fake = await startFakeDinero();
  });
  afterAll(() => fake?.close());

  it('creates the invoice with our Guid and tag, lines in net kroner on accounts, booked with its Timestamp; pays it on the deposit account', async () => {
    const port = new DineroLedger(options(fake));
    const { invoice, payment } = orderPlans(12_345);
    const inv = await port.createInvoice(invoice, 'booked');
    expect(inv.documentId).toBe(referenceUuid('invoice', invoice.reference));
    const stored = fake.invoices.get(inv.documentId)!;
    expect(stored).toMatchObject({ ExternalReference: `lb:inv:${invoice.reference}`, Status: 'Booked', Number: Number(inv.voucherNumber), TotalInclVat: 123.45, Currency: 'DKK' });
    expect((stored.ProductLines as unknown[])[0]).toEqual({ Description: 'Coffee mug', Quantity: 1, AccountNumber: 1010, Unit: 'parts', Discount: 0, LineType: 'Product', BaseAmountValue: 98.76 });
    const before = fake.http.requests.length;
    await port.registerPayment(payment!, inv);
    expect(stored.Payments).toEqual([expect.objectContaining({ DepositAccountNumber: 5815, Amount: 123.45, ExternalReference: `lb:pay:${payment!.reference}`, PaymentDate: '2026-11-02' })]);
    // The Timestamp the booking answered serves the payment: a look-up for an earlier attempt, then the payment.
    expect(fake.http.requests.slice(before).map((r) => `${r.method} ${r.path.split('/').slice(3).join('/')}`)).toEqual([`GET invoices/${inv.documentId}/payments`, `POST invoices/${inv.documentId}/payments`]);
    expect(fake.http.refused).toEqual([]);
  });

  it("lists the chart's VAT rates in percent, as the other ledgers do (Dinero's VatRate is a fraction)", async () => {
    const chart = await new DineroLedger(options(fake)).chart();
    expect(chart.vatCodes).toContainEqual({ code: 'S25', rate: 25, name: 'Salgsmoms 25%' });
  });

  it('a second create with the same Guid answers 409, which finds the first instead of making another', async () => {
    const port = new DineroLedger(options(fake));
    const { invoice } = orderPlans();
    const creates = () => fake.http.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/invoices')).length;
    const before = creates();
    const first = await port.createInvoice(invoice, 'draft');
    // firstAttempt skips the look-up: only Dinero's 409 stands between us and a second invoice.
    const again = await port.createInvoice(invoice, 'booked', { firstAttempt: true });
    expect(creates() - before).toBe(2);
    expect(again).toMatchObject({ documentId: first.documentId, state: 'booked' });
    expect(fake.count('invoice', invoice.reference)).toBe(1);
  });

  it('a credit note names the invoice it credits; its refund is a payment on the credit note', async () => {
    const port = new DineroLedger(options(fake));
    const { order, invoice, payment } = orderPlans(20_000);
    const inv = await port.createInvoice(invoice, 'booked');
    await port.registerPayment(payment!, inv);
    const { creditNote, refundPayment } = refundPlans(order, 5_000);
    const cn = await port.createInvoice(creditNote, 'booked');
    const stored = fake.creditNotes.get(cn.documentId)!;
    expect(stored).toMatchObject({ CreditNoteFor: inv.documentId, Status: 'Booked', TotalInclVat: 50 });
    await port.registerPayment(refundPayment, cn);
    expect(stored.Payments).toEqual([expect.objectContaining({ DepositAccountNumber: 5815, Amount: 50 })]);
  });

  it('posts payouts as a booked manual voucher, debit positive and credit negative, balanced', async () => {
    const port = new DineroLedger(options(fake));
    const doc = await port.postVoucher('payout', 'conn/po_7', designPayoutVoucher());
    const v = fake.vouchers.get(doc.documentId)!;
    expect(v).toMatchObject({ Status: 'Booked', ExternalReference: 'lb:po:conn/po_7', VoucherNumber: Number(doc.voucherNumber) });
    expect((v.Lines as { AccountNumber: number; Amount: number }[]).map((l) => [l.AccountNumber, l.Amount])).toEqual([
      [5815, -100],
      [5815, -200],
      [5815, -200],
      [5820, 450],
      [3630, 50],
    ]);
  });

  it("refuses an invoice line whose account books another VAT than the mapping's, before writing", async () => {
    const port = new DineroLedger(options(fake, { vatCodes: { ...dineroVatCodes, S25: 'UEUV' } }));
    const before = fake.invoices.size;
    const e = await port.createInvoice(orderPlans().invoice, 'draft').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BookingError);
    expect(e).toMatchObject({ code: 'ledger_rejected', details: { account: '1010' } });
    expect(fake.invoices.size).toBe(before);
  });

  it('registers payments only on a deposit account: another account stops as payment_account_not_bank', async () => {
    const mapping = { ...danishMapping, paymentMethods: { dankort: { acquirer: 'nets', receivableAccount: '5600' } } };
    const { invoice, payment } = planOrder(orderSchema.parse(cardOrder(`nb-${Date.now()}`, 10_000)), mapping);
    const port = new DineroLedger(options(fake));
    const inv = await port.createInvoice(invoice, 'booked');
    expect(await port.registerPayment(payment!, inv).catch((x: unknown) => x)).toMatchObject({ code: 'payment_account_not_bank', details: { account: '5600', bankAccounts: '5815, 5820' } });
    expect(fake.invoices.get(inv.documentId)!.Payments).toEqual([]);
  });

  it('fetches one token per organization for all adapter instances, sends it as a bearer token, and drops it after a 401', async () => {
    const own = await startFakeDinero();
    try {
      const opts = options(own);
      await Promise.all([new DineroLedger(opts).findDocument('invoice', 't1'), new DineroLedger(opts).findDocument('payout', 't2')]);
      expect(own.tokensIssued).toBe(1);
      const token = own.auth.requests[0]!;
      expect(token.headers.authorization).toBe(`Basic ${Buffer.from(`${DINERO_CLIENT.clientId}:${DINERO_CLIENT.clientSecret}`).toString('base64')}`);
      expect(own.http.requests.every((r) => /^Bearer dinero-access-1-/.test(String(r.headers.authorization)))).toBe(true);
      own.http.inject({ status: 401 }, { path: /invoices/ });
      expect(await new DineroLedger(opts).findDocument('invoice', 't3').catch((e: unknown) => e)).toMatchObject({ code: 'ledger_credentials_rejected' });
      await new DineroLedger(opts).findDocument('invoice', 't4');
      expect(own.tokensIssued).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('a wrong API key is ledger_credentials_rejected, naming none of the keys', async () => {
    const e = await new DineroLedger(options(fake, { apiKey: 'not-the-key-123' })).findDocument('invoice', 'k1').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ledger_credentials_rejected' });
    const shown = JSON.stringify({ message: (e as Error).message, details: (e as BookingError).details });
    for (const secret of [...Object.values(DINERO_CLIENT), 'not-the-key-123']) expect(shown).not.toContain(secret);
  });
});

describe('Dinero pacing per organization', () => {
  // Dinero's limit shrunk to 5 calls a second (the real one is per minute) so the test runs in seconds.
  const limit = { perWindow: 5, windowMs: 1_000 };

  it('a busy shop paced at the limit never meets 429; the calls spread over the windows', async () => {
    const fake = await startFakeDinero({ rateLimit: limit });
    try {
      // Paced below the limit, as the default (60 a minute) is below Dinero's 100: arrival jitter stays inside it.
      const pacer = new RequestPacer(limit.perWindow - 1, limit.windowMs, 250);
      const ports = [new DineroLedger(options(fake, { pacer })), new DineroLedger(options(fake, { pacer }))];
      await Promise.all([...Array(12)].map((_, i) => ports[i % 2]!.findDocument('invoice', `busy${i}`)));
      const starts = fake.http.startedAt.slice(-12);
      expect(fake.http.requests).toHaveLength(12);
      // 4 a window: calls 9-12 start in the third window.
      expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(2 * limit.windowMs - 50);
    } finally {
      await fake.close();
    }
  }, 10_000);

  it('a shared window that cannot be reached fails that call only, not every later one of the organization', async () => {
    let unreachable = true;
    const window = {
      take: async () => {
        if (!unreachable) return 0;
        unreachable = false;
        throw new Error('database unreachable');
      },
      pause: async () => undefined,
    };
    const pacer = new RequestPacer(100, limit.windowMs, 50, window);
    await expect(pacer.run(async () => 'first')).rejects.toThrow('database unreachable');
    expect(await pacer.run(async () => 'second')).toBe('second');
  });

  it('without pacing the same burst meets 429, a retryable fault, and the pacer then holds the organization back for Retry-After', async () => {
    const fake = await startFakeDinero({ rateLimit: limit });
    try {
      const unpaced = new DineroLedger(options(fake));
      const results = await Promise.allSettled([...Array(8)].map((_, i) => unpaced.findDocument('invoice', `burst${i}`)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(f.reason).toBeInstanceOf(LedgerTransientError);

      const pacer = new RequestPacer(1_000, limit.windowMs);
      const port = new DineroLedger(options(fake, { pacer }));
      fake.http.inject({ status: 429, retryAfter: '1' });
      const t0 = Date.now();
      expect(await port.findDocument('invoice', 'p1').catch((e: unknown) => e)).toMatchObject({ name: 'LedgerTransientError', retryAfterMs: 1_000 });
      await port.findDocument('invoice', 'p2');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    } finally {
      await fake.close();
    }
  }, 10_000);
});
