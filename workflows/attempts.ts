import { condition, patched } from '@temporalio/workflow';
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
 * How long a booking has waited for what it needs, for AttemptTriggers.notReadyUntil: a try calls `stop()` once it
 * knows where it stands, and `start(...)` when it waits again. A wait goes on from when it began while the booking
 * waits with the same snapshot; a newer snapshot, or a try in between that did not wait (a hold, a failure), starts
 * it anew.
 */
export class WaitClock<D> {
  private current: { since: number; version: number; limitMs?: number; details: D } | undefined;
  private last: typeof this.current;

  stop(): void {
    this.last = this.current;
    this.current = undefined;
  }

  /** Not ready with snapshot `version`, for at most `limitMs` (none: no end); `details` say what it waits for. */
  start(version: number, limitMs: number | undefined, details: D): void {
    const since = this.last?.version === version ? this.last.since : Date.now();
    this.current = { since, version, limitMs, details };
  }

  readonly until = (): number | undefined => (this.current?.limitMs === undefined ? undefined : this.current.since + this.current.limitMs);

  /** What an EXPIRED booking reports: what it waited for, and for how many hours (one decimal). */
  expired(): { details: D; waitedHours: number } {
    const { since, details } = this.current!;
    return { details, waitedHours: Math.round((Date.now() - since) / 360_000) / 10 };
  }
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

/**
 * untilBooked for a booking whose waiting may end: once it ends as EXPIRED, `expire()` writes that end, and a delivery
 * that came while it was written is judged (the step runs again) instead of being dropped under the completing run.
 * EXPIRED then means the end is written and the run may complete.
 */
export async function untilBookedOrExpired<T>(
  tracker: BookingTracker,
  triggers: AttemptTriggers & Required<Pick<AttemptTriggers, 'notReadyUntil'>>,
  step: () => Promise<T | typeof NOT_READY>,
  expire: () => Promise<unknown>,
): Promise<T | typeof EXPIRED> {
  for (;;) {
    const outcome = await untilBooked<T>(tracker, triggers, step);
    if (outcome !== EXPIRED) return outcome;
    const seen = triggers.snapshots();
    await expire();
    if (triggers.snapshots() === seen || !patched('expiry-judges-late-delivery')) return EXPIRED;
  }
}
