import { condition } from '@temporalio/workflow';
import type { BookingTracker } from './booking-state';
import { toBookingFailure } from './failures';

export const NOT_READY = 'not_ready' as const;
/** Not ready when its waiting time ran out (AttemptTriggers.notReadyUntil): the booking ends. */
export const EXPIRED = 'expired' as const;

export interface AttemptTriggers {
  /** Counts restart signals. */
  restarts(): number;
  /** Counts new snapshots. */
  snapshots(): number;
  /** When not ready, also look again after this long (e.g. a refund waiting for its order); none = only on a signal. */
  pollMs?: (tries: number) => number;
  /**
   * When not ready: the instant (ms) after which waiting ends, or undefined for no end (a deliberate hold). One more
   * try is made at that instant; still not ready, the step ends as EXPIRED.
   */
  notReadyUntil?: () => number | undefined;
}

/**
 * Runs one booking step until it succeeds. A failure is shown as `failed` with its code and waits for a restart;
 * "not ready" waits for a new snapshot, a restart, or the next poll, and ends as EXPIRED once `notReadyUntil` passed.
 */
export function untilBooked<T>(
  tracker: BookingTracker,
  triggers: AttemptTriggers & Required<Pick<AttemptTriggers, 'notReadyUntil'>>,
  step: () => Promise<T | typeof NOT_READY>,
): Promise<T | typeof EXPIRED>;
export function untilBooked<T>(tracker: BookingTracker, triggers: Omit<AttemptTriggers, 'notReadyUntil'>, step: () => Promise<T | typeof NOT_READY>): Promise<T>;
export async function untilBooked<T>(
  tracker: BookingTracker,
  triggers: AttemptTriggers,
  step: () => Promise<T | typeof NOT_READY>,
): Promise<T | typeof EXPIRED> {
  for (let tries = 0; ; tries++) {
    const restarts = triggers.restarts();
    const snapshots = triggers.snapshots();
    try {
      const outcome = await step();
      if (outcome !== NOT_READY) return outcome;
      const until = triggers.notReadyUntil?.();
      if (until !== undefined && Date.now() >= until) return EXPIRED;
      const woken = () => triggers.snapshots() !== snapshots || triggers.restarts() !== restarts;
      // Without an end or a poll there is no timer at all: histories recorded before waits could end replay unchanged.
      const timeouts = [triggers.pollMs?.(tries), until === undefined ? undefined : Math.max(1, until - Date.now())].filter((t) => t !== undefined);
      if (timeouts.length > 0) await condition(woken, Math.min(...timeouts));
      else await condition(woken);
    } catch (err) {
      await tracker.set('failed', { error: toBookingFailure(err) });
      await condition(() => triggers.restarts() !== restarts);
    }
  }
}
