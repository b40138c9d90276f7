import { describe, expect, it } from 'vitest';
import { BookingError } from '../../../../src/domain/errors';
import { assertCreditFits } from '../../../../src/services/posting/credit';
import { postEach } from '../../../../src/services/posting/batch';
import { firstAttempts, keyOf, referencesOf, writesOf } from '../../../../src/services/posting/session';
import type { PostingKey } from '../../../../src/services/posting/records';
import type { InvoicePlan, PaymentPlan, PostedRecord, PostingRecord } from '../../../../src/domain/posting';
import type { PostingWork } from '../../../../workflows/definitions';

const work = (reference: string, withPayment = true): PostingWork => ({
  ledgerId: 'L1',
  mode: 'booked',
  document: { kind: 'invoice', reference } as InvoicePlan,
  ...(withPayment ? { payment: { kind: 'payment', reference: `${reference}-pay`, documentReference: reference } as PaymentPlan } : {}),
});
const posted = (reference: string): PostedRecord => ({ kind: 'invoice', reference, documentId: 'd', voucherNumber: '1', state: 'booked', amount: 1, currency: 'DKK', created: true });

describe('a batch', () => {
  it('plans each document and its payment, and looks up what the payments settle', () => {
    const works = [work('a'), work('b', false)];
    expect(writesOf(works)).toEqual([
      { ledgerId: 'L1', kind: 'invoice', reference: 'a' },
      { ledgerId: 'L1', kind: 'payment', reference: 'a-pay' },
      { ledgerId: 'L1', kind: 'invoice', reference: 'b' },
    ]);
    expect([...referencesOf(works)]).toEqual(['a', 'a-pay', 'b']);
  });

  it('counts only the first try of a write noted fresh as a first attempt; a write not planned is noted then', async () => {
    const a: PostingKey = { ledgerId: 'L1', kind: 'invoice', reference: 'a' };
    const b: PostingKey = { ledgerId: 'L1', kind: 'invoice', reference: 'b' };
    const c: PostingKey = { ledgerId: 'L1', kind: 'payment', reference: 'c' };
    const notedLater: string[] = [];
    // b was noted by an earlier run of the batch: its write may have reached the ledger.
    const isFirst = firstAttempts([a, b], [a], async (w) => (notedLater.push(keyOf(w)), true));
    expect(await isFirst(a)).toBe(true);
    expect(await isFirst(a)).toBe(false); // retried within the batch
    expect(await isFirst(b)).toBe(false);
    expect(await isFirst(c)).toBe(true);
    expect(notedLater).toEqual([keyOf(c)]);
  });

  it('keeps a business error as that posting’s outcome and goes on; any other error ends the batch', async () => {
    const works = new Map([
      ['r1', work('a')],
      ['r2', work('b')],
      ['r3', work('c')],
    ]);
    const heard: number[] = [];
    const outcomes = await postEach(
      ['r1', 'r2', 'r3'],
      works,
      async (w) => {
        if (w.document.reference === 'b') throw new BookingError('missing_account', { account: '1000' });
        return { document: posted(w.document.reference) };
      },
      (n) => heard.push(n),
    );
    expect(outcomes).toEqual([
      { requestId: 'r1', posted: { document: posted('a') } },
      { requestId: 'r2', failure: { code: 'missing_account', details: { account: '1000' } } },
      { requestId: 'r3', posted: { document: posted('c') } },
    ]);
    expect(heard).toEqual([1, 2, 3]);
    await expect(postEach(['r1', 'r2'], works, async () => Promise.reject(new Error('ledger down')))).rejects.toThrow('ledger down');
    await expect(postEach(['r9'], works, async () => ({ document: posted('x') }))).rejects.toThrow('r9 is not in posting_requests');
  });
});

describe('a credit note', () => {
  const invoice: PostingRecord = { kind: 'invoice', reference: 'o1', documentId: 'd', voucherNumber: '1', state: 'booked', amount: 10_000, currency: 'DKK' };
  const credit = (total: number, currency = 'DKK') => ({ kind: 'credit_note', reference: 'r1', creditsReference: 'o1', total, currency }) as InvoicePlan;

  it('fits up to what the invoice booked, counting the credit notes before it', () => {
    expect(() => assertCreditFits(credit(4_000), invoice, 6_000)).not.toThrow();
    expect(() => assertCreditFits(credit(4_001), invoice, 6_000)).toThrow(
      expect.objectContaining({ code: 'refund_exceeds_order', details: { refund: 4_001, refundable: 4_000, orderTotal: 10_000, alreadyRefunded: 6_000 } }),
    );
  });

  it('is in the invoice’s currency', () => {
    expect(() => assertCreditFits(credit(100, 'EUR'), invoice, 0)).toThrow(expect.objectContaining({ code: 'currency_mismatch' }));
  });
});
