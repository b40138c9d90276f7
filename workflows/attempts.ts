import { condition } from '@temporalio/workflow';
import type { BookingTracker } from './booking-state';
import { toBookingFailure } from './failures';

export const NOT_READY = 'not_ready' as const;

export interface AttemptTriggers {
  /** Counts restart signals. */
  restarts(): number;
  /** Counts new snapshots. */
  snapshots(): number;
  /** When not ready, also look again after this long (e.g. a refund waiting for its order); none = only on a signal. */
  pollMs?: (tries: number) => number;
}

/**
 * Runs one booking step until it succeeds. A failure is shown as `failed` with its code and waits for a restart;
 * "not ready" waits for a new snapshot, a restart, or the next poll.
 */
export async function untilBooked<T>(
  tracker: BookingTracker,
  triggers: AttemptTriggers,
  step: () => Promise<T | typeof NOT_READY>,
): Promise<T> {
  for (let tries = 0; ; tries++) {
    const restarts = triggers.restarts();
    const snapshots = triggers.snapshots();
    try {
      const outcome = await step();
      if (outcome !== NOT_READY) return outcome;
      const woken = () => triggers.snapshots() !== snapshots || triggers.restarts() !== restarts;
      if (triggers.pollMs) await condition(woken, triggers.pollMs(tries));
      else await condition(woken);
    } catch (err) {
      await tracker.set('failed', { error: toBookingFailure(err) });
      await condition(() => triggers.restarts() !== restarts);
    }
  }
}
