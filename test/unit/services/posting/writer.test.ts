import { describe, expect, it } from 'vitest';
import type { Db } from '../../../../db/client';
import type { LedgerPort, WriteOptions } from '../../../../src/adapters/ledgers/port';
import { BookingError } from '../../../../src/domain/errors';
import { orderSchema } from '../../../../src/domain/order';
import { planOrder } from '../../../../src/domain/plan-order';
import type { DocumentKind, PostedDocument, PostingRecord } from '../../../../src/domain/posting';
import { keyOf } from '../../../../src/services/posting/session';
import type { WriteSession } from '../../../../src/services/posting/session';
import { PostingWriter } from '../../../../src/services/posting/writer';
import { cardOrder, danishMarket } from '../../../support/fixtures';

/**
 * The exactly-once protocol's order of steps, with our postings table as a map (the session is our own seam; the
 * tables behind it are covered by test/integration/lost-postings.test.ts and booking-core.test.ts) and a ledger
 * that records its calls.
 */
function world(ledgerState: 'draft' | 'booked' = 'booked') {
  const table = new Map<string, PostingRecord>();
  const attempted = new Set<string>();
  const calls: string[] = [];
  const answer = (kind: DocumentKind, reference: string, state = ledgerState): PostedDocument => ({
    kind,
    reference,
    documentId: `${kind}-${reference}`,
    voucherNumber: state === 'booked' ? `V-${reference}` : null,
    state,
  });
  const port = {
    createInvoice: async (plan, mode, opts?: WriteOptions) => (calls.push(`createInvoice ${mode} first=${opts?.firstAttempt}`), answer(plan.kind, plan.reference)),
    bookDraft: async (doc) => (calls.push(`bookDraft ${doc.documentId}`), answer(doc.kind, doc.reference, 'booked')),
    registerPayment: async (plan, settles, opts?: WriteOptions) => (calls.push(`registerPayment ${settles.documentId} first=${opts?.firstAttempt}`), answer(plan.kind, plan.reference, 'booked')),
  } as Pick<LedgerPort, 'createInvoice' | 'bookDraft' | 'registerPayment'> as LedgerPort;
  const session: WriteSession = {
    portOf: async () => port,
    find: async (ledgerId, kind, reference) => table.get(keyOf({ ledgerId, kind, reference })) ?? null,
    firstAttempt: async (ledgerId, kind, reference) => !attempted.has(keyOf({ ledgerId, kind, reference })) && !!attempted.add(keyOf({ ledgerId, kind, reference })),
    record: async (v) => {
      const rec: PostingRecord = { kind: v.kind as DocumentKind, reference: v.reference, documentId: v.documentId, voucherNumber: v.voucherNumber ?? null, state: v.state as PostingRecord['state'], amount: v.amount, currency: v.currency };
      table.set(keyOf(v), rec);
      return rec;
    },
    settle: async () => undefined,
  };
  // Invoices and payments never read the database beside the session (only a credit note's check does).
  return { writer: new PostingWriter({} as Db, session), table, attempted, calls };
}

const plans = () => planOrder(orderSchema.parse(cardOrder('o1', 10_000)), danishMarket.mapping);

describe('PostingWriter', () => {
  it('writes a new invoice once, as a first attempt, and records it as created', async () => {
    const { writer, table, calls } = world();
    const { invoice } = plans();
    const rec = await writer.postInvoice('L1', invoice, 'booked');
    expect(rec).toEqual({ kind: 'invoice', reference: 'o1', documentId: 'invoice-o1', voucherNumber: 'V-o1', state: 'booked', amount: 10_000, currency: 'DKK', created: true });
    expect(calls).toEqual(['createInvoice booked first=true']);
    expect(table.size).toBe(1);
  });

  it('answers a posting our table has without calling the ledger', async () => {
    const { writer, calls } = world();
    const { invoice } = plans();
    await writer.postInvoice('L1', invoice, 'booked');
    const again = await writer.postInvoice('L1', invoice, 'booked');
    expect(again.created).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('tells the ledger a write tried before is not a first attempt (so it looks the document up)', async () => {
    const { writer, attempted, calls } = world();
    const { invoice } = plans();
    attempted.add(keyOf({ ledgerId: 'L1', kind: 'invoice', reference: 'o1' }));
    await writer.postInvoice('L1', invoice, 'booked');
    expect(calls).toEqual(['createInvoice booked first=false']);
  });

  it('finishes the booking of an invoice the ledger left as a draft, keeping it counted as created', async () => {
    const { writer, calls } = world('draft');
    const { invoice } = plans();
    const rec = await writer.postInvoice('L1', invoice, 'booked');
    expect(calls).toEqual(['createInvoice booked first=true', 'bookDraft invoice-o1']);
    expect(rec).toMatchObject({ state: 'booked', voucherNumber: 'V-o1', created: true });
  });

  it('registers a payment against the invoice it settles, and refuses one whose invoice is not posted', async () => {
    const { writer, calls } = world();
    const { invoice, payment } = plans();
    await expect(writer.registerPayment('L1', payment!)).rejects.toMatchObject({ code: 'payment_unknown_invoice' });
    expect(calls).toEqual([]);
    await writer.postInvoice('L1', invoice, 'booked');
    const rec = await writer.registerPayment('L1', payment!);
    expect(calls).toEqual(['createInvoice booked first=true', 'registerPayment invoice-o1 first=true']);
    expect(rec).toMatchObject({ kind: 'payment', reference: payment!.reference, amount: 10_000, created: true });
  });

  it('books a reviewed draft, and answers a booked one as it is', async () => {
    const { writer, calls } = world('draft');
    const { invoice } = plans();
    await writer.postInvoice('L1', invoice, 'draft');
    expect(await writer.bookDraft('L1', 'invoice', 'o1')).toMatchObject({ state: 'booked', voucherNumber: 'V-o1' });
    expect(await writer.bookDraft('L1', 'invoice', 'o1')).toMatchObject({ state: 'booked' });
    expect(calls).toEqual(['createInvoice draft first=true', 'bookDraft invoice-o1']);
    await expect(writer.bookDraft('L1', 'invoice', 'nope')).rejects.toBeInstanceOf(BookingError);
  });
});
