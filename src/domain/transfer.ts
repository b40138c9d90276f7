/**
 * When a booking may go to the ledger. A shop onboarding with its history starts `held`: everything is registered
 * and nothing is posted until the owner activates automatic transfer. Orders (and payouts) brought in by a history
 * backfill stay registered even then, until the owner marks them: the books before the start usually exist already.
 */
export type TransferMode = 'automatic' | 'held';

export interface TransferSubject {
  /** Registered by a history backfill rather than sent live by the shop. */
  historical: boolean;
  /** The owner asked for this one to be transferred. */
  marked: boolean;
}

/** Why the booking must wait (shown as the reason of its `registered` state), or null when it may post. */
export function transferHold(mode: TransferMode, subject: TransferSubject): string | null {
  if (subject.marked) return null;
  if (subject.historical) return 'historical: transferred only when the owner marks it (POST /v1/transfer/mark)';
  if (mode === 'held') return 'automatic transfer is not activated yet (POST /v1/transfer/activate)';
  return null;
}
