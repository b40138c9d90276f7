import { createHash } from 'node:crypto';
import type { RequestWindow } from '../request-window';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Dinero limits calls per organization and client id (a minute's window). Every request to one organization goes
 * through its pacer: request starts are admitted so that no 60-second window holds more than `perMinute` of them
 * (a sliding window: a quiet shop's few calls go at once, a busy one settles at the limit instead of meeting 429).
 * A 429 that still comes (another integration) pauses the organization's pacer for Retry-After.
 * With a shared `window` (request-window.ts) the count and the pause hold across processes: the API and every worker
 * together stay under the limit; without one (unit tests), this process alone.
 */
export class RequestPacer {
  private readonly starts: number[] = [];
  private pausedUntil = 0;
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * `marginMs`: how much longer than the window a start is counted, because Dinero counts arrivals and a request
   * admitted now may arrive later than one admitted after it (default a twentieth of the window: 3 s a minute).
   */
  constructor(
    readonly perMinute: number,
    private readonly windowMs = 60_000,
    private readonly marginMs = windowMs / 20,
    private readonly window?: RequestWindow,
  ) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    const admitted = this.tail.then(() => this.admit());
    // A take the shared window could not answer (the database unreachable) fails that call only: the next caller still
    // gets its turn instead of inheriting the rejection for the rest of the process's life.
    this.tail = admitted.catch(() => undefined);
    return admitted.then(task);
  }

  /** No request starts before `ms` from now (Dinero answered 429). */
  async pause(ms: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    // The other processes learn of the pause before this 429 is reported, so none of them starts a call meanwhile.
    // Best effort: if the database cannot be reached they meet their own 429.
    await this.window?.pause(ms).catch(() => undefined);
  }

  private async admit(): Promise<void> {
    if (this.window) {
      for (;;) {
        const wait = await this.window.take(this.perMinute, this.windowMs + this.marginMs);
        if (wait <= 0) return;
        await sleep(wait);
      }
    }
    for (;;) {
      const now = Date.now();
      const span = this.windowMs + this.marginMs;
      while (this.starts.length && this.starts[0]! <= now - span) this.starts.shift();
      const full = this.starts.length >= this.perMinute ? this.starts[0]! + span - now : 0;
      const wait = Math.max(this.pausedUntil - now, full);
      if (wait <= 0) {
        this.starts.push(now);
        return;
      }
      await sleep(wait);
    }
  }
}

const shared = new Map<string, RequestPacer>();

/**
 * One pacer per organization and client id in this process, shared by every adapter instance (the registry builds
 * one per posting batch), over the window all processes share when one is given. Keyed by a hash, so the client id
 * is not kept as a key, here or in the database.
 */
export function pacerFor(baseUrl: string, clientId: string, organizationId: number, perMinute: number, sharedWindow?: (key: string) => RequestWindow): RequestPacer {
  const account = createHash('sha256').update(`${baseUrl}\n${clientId}\n${organizationId}`).digest('hex');
  const key = `${account}:${perMinute}:${sharedWindow ? 'shared' : 'local'}`;
  let pacer = shared.get(key);
  if (!pacer) {
    pacer = new RequestPacer(perMinute, undefined, undefined, sharedWindow?.(`dinero:${account}`));
    shared.set(key, pacer);
  }
  return pacer;
}
