/**
 * The posting_requests table: a booking's posting waits here for its ledger's batch, which stores the outcome here
 * before it signals it (docs/ARCHITECTURE.md, "Exactly once", 3). A posting stores its request with wakeup.ts, which
 * also decides whether its ledger must be signalled.
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { postingRequests } from '../../../db/schema';
import type { LockRequest, PostingOutcome, PostingWork } from '../../../workflows/definitions';

/** The outcome a batch stored for the request; null while it is pending. */
export async function storedOutcome(db: Db, requestId: string) {
  const [row] = await db.select({ outcome: postingRequests.outcome }).from(postingRequests).where(eq(postingRequests.requestId, requestId));
  if (!row) throw new Error(`posting request ${requestId} is not in posting_requests`);
  return row.outcome as PostingOutcome | null;
}

/** Requests not done, oldest first: of one ledger, or of all (ledgerId null: the global queue). */
export async function pendingRequests(db: Db, ledgerId: string | null): Promise<LockRequest[]> {
  const rows = await db
    .select({ requestId: postingRequests.requestId, holderWorkflowId: postingRequests.holderWorkflowId })
    .from(postingRequests)
    .where(and(ledgerId === null ? undefined : eq(postingRequests.ledgerId, ledgerId), isNull(postingRequests.outcome), isNotNull(postingRequests.holderWorkflowId)))
    .orderBy(asc(postingRequests.createdAt));
  return rows.map((r) => ({ requestId: r.requestId, holderWorkflowId: r.holderWorkflowId! }));
}

/** What a batch is to post, by request id. */
export async function workOf(db: Db, requestIds: string[]) {
  const rows = await db.select().from(postingRequests).where(inArray(postingRequests.requestId, requestIds));
  return new Map(rows.map((r) => [r.requestId, r.work as PostingWork]));
}

/** Stores outcomes with their requests, as a batch does before it signals them (and for a batch that failed whole). */
export async function storeOutcomes(db: Db, outcomes: PostingOutcome[]) {
  if (outcomes.length === 0) return;
  const rows = JSON.stringify(outcomes.map((o) => ({ request_id: o.requestId, outcome: o })));
  await db.execute(sql`
    update ${postingRequests} set outcome = v.outcome, done_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as v(request_id text, outcome jsonb)
    where ${postingRequests.requestId} = v.request_id`);
}

/**
 * Done requests are kept a day, so a batch retried after its answer was lost still finds its work; then swept.
 * (A request left pending by code older than its outcome column is swept after 60 days.)
 */
export async function sweepDoneRequests(db: Db) {
  await db
    .delete(postingRequests)
    .where(or(lt(postingRequests.doneAt, new Date(Date.now() - 86_400_000)), lt(postingRequests.createdAt, new Date(Date.now() - 60 * 86_400_000))));
}
