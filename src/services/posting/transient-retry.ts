import { LedgerTransientError } from '../../adapters/ledgers/port';

/**
 * Runs one posting of a batch again after a transient ledger fault, for up to `budgetMs`, before the fault fails
 * the whole batch activity. Each try resumes where the last one stopped (our postings table, then the vendor looked
 * up by reference), exactly like an activity retry would. Without this, a batch shares one retry budget
 * (ledgerRetry: 10 attempts) among all its postings: at a 20 % fault rate a posting needs ~5 tries, so a batch of
 * 20 ran out after a few postings and every posting in it failed as `ledger_unreachable`. (The batch's own
 * interval heartbeat keeps it alive while it waits here.)
 */
export async function retryTransient<T>(work: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  const until = Date.now() + budgetMs;
  for (let tries = 0; ; tries++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof LedgerTransientError)) throw err;
      const wait = err.retryAfterMs ?? Math.min(2_000, 100 * 1.5 ** tries);
      if (Date.now() + wait > until) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
