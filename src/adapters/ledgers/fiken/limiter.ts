import { createHash } from 'node:crypto';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Fiken allows one request at a time per client ("more gives 429 or a ban") and slows clients above 4 requests per
 * second. Every request of one client goes through this queue: strictly one after the other, starts at least
 * `minIntervalMs` apart.
 */
export class RequestLimiter {
  private tail: Promise<unknown> = Promise.resolve();
  private lastStart = 0;

  constructor(readonly minIntervalMs: number) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const wait = this.lastStart + this.minIntervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastStart = Date.now();
      return task();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const shared = new Map<string, RequestLimiter>();

/**
 * One limiter per client (token and API), shared by every adapter instance in this process: the registry builds
 * a new adapter per activity, and two activities of the same ledger must still not overlap. The map is keyed by a
 * hash so the token itself is not kept around as a key.
 */
export function limiterFor(baseUrl: string, token: string, minIntervalMs: number): RequestLimiter {
  const key = `${createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex')}:${minIntervalMs}`;
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new RequestLimiter(minIntervalMs);
    shared.set(key, limiter);
  }
  return limiter;
}
