/**
 * Some ledgers keep journal vouchers (payments, payouts) in a journal (daybook) until a person books it there
 * (e-conomic's kassekladde): our booking is done, but the voucher is not yet in the books. The timeline says so.
 */
import type { DocumentState } from './posting';

export interface NotedDocument {
  /** What the document is to a person: "payment", "refund payment", "payout". */
  name: string;
  voucherNumber: string | null;
  state: DocumentState;
}

export function journalNote(documents: readonly NotedDocument[]): string | undefined {
  const waiting = documents.filter((d) => d.state === 'in_journal');
  if (waiting.length === 0) return undefined;
  const named = waiting.map((d) => `${d.name} voucher ${d.voucherNumber ?? '(no number)'}`).join(' and ');
  return `${named} ${waiting.length === 1 ? 'is' : 'are'} in the ledger's journal, not booked: it waits there until someone books the journal in the ledger`;
}

/** Joins the notes a booking leaves on its last timeline event. */
export const joinNotes = (...notes: (string | undefined)[]): { reason?: string } => {
  const present = notes.filter((n): n is string => Boolean(n));
  return present.length ? { reason: present.join('; ') } : {};
};
