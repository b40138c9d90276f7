/**
 * One acquirer payout, booked as one journal voucher: a line per payment it settles against the acquirer's
 * receivable account, the bank line for what was paid out, fees, unmatched lines on the error account.
 */
import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { BookingError } from '../src/domain/errors';
import { journalNote, joinNotes } from '../src/domain/journal-note';
import type { DocumentState } from '../src/domain/posting';
import { transferHold } from '../src/domain/transfer';
import { NOT_READY, untilBooked } from './attempts';
import { BookingTracker } from './booking-state';
import { bookingStateQuery, restartSignal, transferSignal } from './definitions';
import { LedgerLine } from './ledger-line';
import { ledgerRetry } from './retry';

const { loadBookingContext, planPayoutBooking, postPayoutPart } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: ledgerRetry,
});

export interface PayoutWorkflowInput {
  shopId: string;
  connectionId: string;
  payoutId: string;
  /** Registered by a history backfill: posted only once the owner marks it (transfer signal). */
  historical?: boolean;
}

export async function payoutWorkflow({ shopId, connectionId, payoutId, historical }: PayoutWorkflowInput): Promise<string> {
  const tracker = new BookingTracker('payout', shopId, `${connectionId}/${payoutId}`);
  const ledgerLine = new LedgerLine();
  let voucherState: DocumentState = 'booked';
  let restarts = 0;
  let marked = false;
  setHandler(restartSignal, () => void restarts++);
  setHandler(transferSignal, () => {
    marked = true;
    restarts++;
  });
  setHandler(bookingStateQuery, () => tracker.state);

  await untilBooked(tracker, { restarts: () => restarts, snapshots: () => 0 }, async () => {
    const reference = `${connectionId}/${payoutId}`;
    const ctx = await loadBookingContext({ shopId, postings: [{ kind: 'payout', reference }] });
    const ledgerId = ctx.ledger.id;
    tracker.identify(ledgerId);
    if (ctx.posted.payout) {
      tracker.state.documents.payout = ctx.posted.payout.voucherNumber;
      voucherState = ctx.posted.payout.state;
      return 'booked';
    }
    const hold = transferHold(ctx.transfer, { historical: historical ?? false, marked });
    if (hold) {
      await tracker.hold(hold);
      return NOT_READY;
    }
    const mapping = ctx.mapping;
    if (!mapping) throw new BookingError('mapping_missing');
    await ledgerLine.withLock(
      ledgerId,
      tracker.waitingAt(ledgerId),
      async (lock) => {
        await tracker.set('posting');
        // Matching runs inside the lock: two payouts must never claim the same payment. The plan stays in the
        // database (payout_plan_parts); only its number of parts passes through here, whatever the payout's size.
        const plan = await planPayoutBooking({ ledgerId, connectionId, payoutId, mapping, ledgerCurrency: ctx.ledger.currency });
        for (let part = 1; part <= plan.parts; part++) {
          await lock.renew();
          const posted = await postPayoutPart({ ledgerId, connectionId, payoutId, part });
          if (posted.created) lock.posted();
          // The last part carries the bank line: its voucher is the payout's.
          tracker.state.documents.payout = posted.voucherNumber;
          voucherState = posted.state;
        }
      },
    );
    return 'booked';
  });
  await tracker.set('booked', joinNotes(journalNote([{ name: 'payout', voucherNumber: tracker.state.documents.payout ?? null, state: voucherState }])));
  return 'booked';
}
