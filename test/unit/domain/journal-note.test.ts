import { describe, expect, it } from 'vitest';
import { journalNote, joinNotes } from '../../../src/domain/journal-note';

describe('journal note', () => {
  it('names the vouchers that wait in the journal, and nothing when all are booked', () => {
    expect(journalNote([{ name: 'payment', voucherNumber: '7', state: 'in_journal' }])).toBe(
      "payment voucher 7 is in the ledger's journal, not booked: it waits there until someone books the journal in the ledger",
    );
    expect(journalNote([{ name: 'payout', voucherNumber: '3', state: 'booked' }])).toBeUndefined();
    expect(joinNotes(undefined, 'a', undefined, 'b')).toEqual({ reason: 'a; b' });
    expect(joinNotes(undefined)).toEqual({});
  });
});
