import type { Db } from '../../../db/client';
import type { LedgerRegistry } from '../../adapters/ledgers/registry';
import { BookingError } from '../../domain/errors';
import type { PostingOutcome, PostingWork } from '../../../workflows/definitions';
import { storeOutcomes, sweepDoneRequests, workOf } from './requests';
import { batchSession } from './session';
import { retryTransient } from './transient-retry';
import { PostingWriter } from './writer';

export interface BatchDeps {
  db: Db;
  ledgers: LedgerRegistry;
}

/**
 * The ledger workflow's batch: postings one after the other, so the ledger is called back to back. A business
 * error fails that posting alone; a transient one fails the batch, and its retry finds the postings done so far
 * in our postings table without calling the ledger again. `onOutcome` hears how many postings are done.
 */
export async function postBatch(deps: BatchDeps, requestIds: string[], onOutcome?: (done: number) => void): Promise<PostingOutcome[]> {
  const works = await workOf(deps.db, requestIds);
  const session = await batchSession(deps.db, deps.ledgers, [...works.values()]);
  const writer = new PostingWriter(deps.db, session);
  let outcomes: PostingOutcome[];
  try {
    outcomes = await postEach(requestIds, works, (work) => retryTransient(() => postWork(writer, work)), onOutcome);
  } catch (err) {
    // What was recorded so far is stored before the batch's retry looks for it.
    await session.settle().catch(() => undefined);
    throw err;
  }
  // Nothing is reported posted before it is stored.
  await session.settle();
  // The outcomes are stored before they are signalled: a booking that missed its signal reads them here.
  await storeOutcomes(deps.db, outcomes);
  await sweepDoneRequests(deps.db);
  return outcomes;
}

/** Each request's outcome, in order: a posting's business error is its outcome, any other error ends the batch. */
export async function postEach(
  requestIds: string[],
  works: Map<string, PostingWork>,
  post: (work: PostingWork) => Promise<NonNullable<PostingOutcome['posted']>>,
  onOutcome?: (done: number) => void,
): Promise<PostingOutcome[]> {
  const outcomes: PostingOutcome[] = [];
  for (const requestId of requestIds) {
    const work = works.get(requestId);
    if (!work) throw new Error(`posting request ${requestId} is not in posting_requests`);
    try {
      outcomes.push({ requestId, posted: await post(work) });
    } catch (err) {
      if (!(err instanceof BookingError)) throw err;
      outcomes.push({ requestId, failure: { code: err.code, details: err.details } });
    }
    onOutcome?.(outcomes.length);
  }
  return outcomes;
}

/**
 * One request of a batch: its document, then its payment once the document is booked. The batch writes no booking
 * status: the booking's workflow is the one writer of its status (workflows/booking-state.ts), told by the outcome.
 */
async function postWork(writer: PostingWriter, work: PostingWork) {
  const document = await writer.postInvoice(work.ledgerId, work.document, work.mode);
  if (document.state !== 'booked' || !work.payment) return { document };
  const payment = await writer.registerPayment(work.ledgerId, work.payment);
  if (!work.otherPayments?.length) return { document, payment };
  // A split payment's other parts, one after the other: each is its own registration, found again by its own
  // reference when the batch runs again.
  const otherPayments = [];
  for (const plan of work.otherPayments) otherPayments.push(await writer.registerPayment(work.ledgerId, plan));
  return { document, payment, otherPayments };
}
