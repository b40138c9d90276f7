import type { Fault, FakeRequest } from '../support/fake-ledgers/server';

/** A small seeded PRNG (mulberry32): the same seed gives the same run of faults, traffic and chaos. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FaultRates {
  /** 500/502/503/504 with the vendor's error body; nothing is written. */
  serverError: number;
  /** 429 with Retry-After; nothing is written. */
  rateLimited: number;
  /** The vendor does the work (a POST commits), then the connection drops before the answer. */
  lostResponse: number;
}

export const issueFaultRates: FaultRates = { serverError: 0.1, rateLimited: 0.05, lostResponse: 0.05 };

export interface FaultMix {
  /** For FakeHttpOptions.faults. */
  pick(req: FakeRequest): Fault | undefined;
  /** Off while a ledger is being connected (the setup check is not what is under test), on for the traffic. */
  enabled: boolean;
  /** Responses lost after a write committed (POST), as opposed to lost reads. */
  lostWrites: number;
}

/** Per request, independently: the issue's mix of vendor faults, drawn from a seeded generator. */
export function faultMix(seed: number, rates: FaultRates = issueFaultRates): FaultMix {
  const random = seededRandom(seed);
  const serverErrors = [500, 502, 503, 504];
  const mix: FaultMix = {
    enabled: false,
    lostWrites: 0,
    pick(req) {
      if (!mix.enabled) return undefined;
      const r = random();
      if (r < rates.serverError) return { status: serverErrors[Math.floor(random() * serverErrors.length)]!, message: 'Service temporarily unavailable' };
      if (r < rates.serverError + rates.rateLimited) return { status: 429, message: 'Too many requests', retryAfter: '1' };
      if (r < rates.serverError + rates.rateLimited + rates.lostResponse) {
        if (req.method !== 'GET') mix.lostWrites++;
        return { loseResponse: true };
      }
      return undefined;
    },
  };
  return mix;
}
