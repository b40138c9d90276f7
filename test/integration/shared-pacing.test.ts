import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { DineroLedger, RequestPacer, type DineroOptions } from '../../src/adapters/ledgers/dinero';
import { postgresRequestWindow } from '../../src/adapters/ledgers/request-window';
import { DINERO_CLIENT, DINERO_ORG, dineroVatCodes, startFakeDinero, type FakeDinero } from '../support/fake-ledgers/dinero';

// Dinero's limit shrunk to 5 calls a second (the real one is 100 a minute) so the test runs in seconds.
const limit = { perWindow: 5, windowMs: 1_000 };

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ url: inject('databaseUrl') ?? undefined });
  if (database.kind === 'pglite') await database.migrate();
});
afterAll(() => database?.close());

const options = (fake: FakeDinero, pacer: RequestPacer): DineroOptions => ({
  ...DINERO_CLIENT,
  organizationId: DINERO_ORG,
  baseUrl: fake.url,
  authUrl: fake.authUrl,
  timeoutMs: 2_000,
  customerMode: 'per_customer',
  vatCodes: { ...dineroVatCodes },
  pacer,
});

/** Two processes' pacers for one organization (the API's and a worker's), each paced at 4 a window. */
function twoProcesses(fake: FakeDinero, key: string | null) {
  const pacer = () => new RequestPacer(limit.perWindow - 1, limit.windowMs, 250, key ? postgresRequestWindow(database.db, key) : undefined);
  return [new DineroLedger(options(fake, pacer())), new DineroLedger(options(fake, pacer()))];
}

describe('Dinero pacing shared by the API and the workers', () => {
  it('two processes paced on their own meet 429 together: each keeps its own count', async () => {
    const fake = await startFakeDinero({ rateLimit: limit });
    try {
      const [api, worker] = twoProcesses(fake, null);
      const results = await Promise.allSettled([...Array(8)].map((_, i) => (i % 2 ? api! : worker!).findDocument('invoice', `alone${i}`)));
      expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    } finally {
      await fake.close();
    }
  }, 30_000);

  it('two processes counting in one window in PostgreSQL stay under the limit: no 429, the calls spread over the windows', async () => {
    const fake = await startFakeDinero({ rateLimit: limit });
    try {
      const [api, worker] = twoProcesses(fake, `test:${Math.random()}`);
      const results = await Promise.allSettled([...Array(12)].map((_, i) => (i % 2 ? api! : worker!).findDocument('invoice', `shared${i}`)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const starts = fake.http.startedAt.slice(-12);
      // 4 a window across both: calls 9-12 start in the third window.
      expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(2 * limit.windowMs - 50);
    } finally {
      await fake.close();
    }
  }, 30_000);

  it("a 429 one process meets holds the other back for Retry-After", async () => {
    const fake = await startFakeDinero();
    try {
      const [api, worker] = twoProcesses(fake, `test:${Math.random()}`);
      fake.http.inject({ status: 429, retryAfter: '1' });
      expect(await api!.findDocument('invoice', 'p1').catch((e: unknown) => e)).toMatchObject({ name: 'LedgerTransientError' });
      const refusedAt = fake.http.startedAt.at(-1)!;
      await worker!.findDocument('invoice', 'p2');
      expect(fake.http.startedAt.at(-1)! - refusedAt).toBeGreaterThanOrEqual(900);
    } finally {
      await fake.close();
    }
  }, 30_000);
});
