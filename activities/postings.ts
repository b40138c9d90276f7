import { Context } from '@temporalio/activity';
import type { Db } from '../db/client';
import type { LedgerRegistry } from '../src/adapters/ledgers/registry';
import type { DocumentKind, PaymentPlan } from '../src/domain/posting';
import { postBatch } from '../src/services/posting/batch';
import { storeOutcomes } from '../src/services/posting/requests';
import { singleWriteSession } from '../src/services/posting/session';
import { PostingWriter } from '../src/services/posting/writer';
import { asActivityFailure } from './failures';
import type { PostingOutcome } from '../workflows/definitions';

/** Ledger writes, each exactly once: the protocol is in src/services/posting/ (writer.ts, batch.ts). */
export function postingActivities(db: Db, ledgers: LedgerRegistry) {
  const singleWrite = () => new PostingWriter(db, singleWriteSession(db, ledgers));
  return {
    registerPayment: (input: { ledgerId: string; plan: PaymentPlan }) => asActivityFailure(() => singleWrite().registerPayment(input.ledgerId, input.plan)),

    /** The ledger workflow's batch (src/services/posting/batch.ts). */
    postBatch: (input: { requestIds: string[] }) =>
      asActivityFailure(() => whileAlive((progress) => postBatch({ db, ledgers }, input.requestIds, progress))),

    /** Outcomes of a batch that failed as a whole (its retries ran out), stored as a batch stores its own. */
    storePostingOutcomes: (input: { outcomes: PostingOutcome[] }) => storeOutcomes(db, input.outcomes),

    bookDraft: (input: { ledgerId: string; kind: DocumentKind; reference: string }) =>
      asActivityFailure(() => singleWrite().bookDraft(input.ledgerId, input.kind, input.reference)),
  };
}

/** Heartbeats while this process is alive: a ledger call may take longer than the heartbeat timeout, a dead worker not. */
async function whileAlive<T>(work: (progress: (done: number) => void) => Promise<T>): Promise<T> {
  const context = Context.current();
  let done = 0;
  const alive = setInterval(() => context.heartbeat(done), 3_000);
  try {
    return await work((n) => (done = n));
  } finally {
    clearInterval(alive);
  }
}
