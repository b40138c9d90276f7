/**
 * How a posting reaches its ledger workflow without a signal each: the ledger reads posting_requests itself while it
 * is awake, and a posting signals it only when it is asleep. Signal-with-start costs Temporal ~10–13 ms of CPU and
 * the ledger a workflow task; in a burst only the first posting after each sleep pays it.
 *
 * No wake-up is lost, because both sides serialize on the ledger's row in `ledger_wakeups`:
 * - the ledger, finding nothing new pending, marks itself asleep in the transaction that found nothing, holding the
 *   row for update (`takeRequests`);
 * - a posting stores its request and reads the marker in one statement holding the row for share
 *   (`saveRequestSeeingLedger`).
 * If the posting holds the row first, the ledger's read comes after its commit and finds the request; if the ledger
 * holds it first, the posting waits and reads "asleep", and signals. Of the postings that read "asleep", the one
 * whose `wakeLedger` turns the marker awake signals; the ledger's next take finds the others' requests.
 *
 * A ledger run that ended while marked awake (terminated, timed out) is not waited for forever: the marker is awake
 * only until `awake_until`, which each take renews, and a posting that finds it run out signals (and so starts a new
 * run, which queues all that is pending). A busy ledger whose take is older than that only gets one signal more.
 * A posting whose worker died between waking the marker and signalling signals on its retry (`woken_by`); a signal
 * that failed puts the marker back to asleep. Holders (payouts, reviewed drafts) signal as before.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import type { LockRequest, PostingSubmission } from '../../../workflows/definitions';

/** How long a take keeps its ledger awake: a ledger that takes nothing again within it is signalled as if asleep. */
export const AWAKE_FOR_MS = 60_000;

/** Rows of db.execute: postgres.js answers an array, PGlite an object with rows. */
async function rowsOf<T>(db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(res) ? res : res.rows;
}

/**
 * Stores the request (a request submitted again is kept as first stored) and answers whether its ledger is awake,
 * in one statement under the ledger's marker row (for share: postings do not wait for each other); and whether this
 * request woke it, before its retry (the signal may not have gone out).
 */
export async function saveRequestSeeingLedger(db: Db, submission: PostingSubmission, lockId: string): Promise<{ awake: boolean; wokenByThis: boolean }> {
  const { requestId, holderWorkflowId, work } = submission;
  const rows = await rowsOf<{ awake: boolean; woken_by_this: boolean }>(
    db,
    sql`with saved as (
      insert into posting_requests (request_id, ledger_id, work, holder_workflow_id)
      values (${requestId}, ${work.ledgerId}, ${JSON.stringify(work)}::jsonb, ${holderWorkflowId})
      on conflict do nothing)
    select awake_until > now() as awake, woken_by = ${requestId} as woken_by_this from ledger_wakeups where lock_id = ${lockId} for share`,
  );
  return { awake: rows[0]?.awake === true, wokenByThis: rows[0]?.woken_by_this === true };
}

/** Turns an asleep (or run-out) marker awake; true only for the one caller that did, which must signal the ledger. */
export async function wakeLedger(db: Db, lockId: string, requestId: string): Promise<boolean> {
  const rows = await rowsOf<{ lock_id: string }>(
    db,
    sql`insert into ledger_wakeups (lock_id, awake_until, woken_by) values (${lockId}, now() + ${AWAKE_FOR_MS} * interval '1 millisecond', ${requestId})
    on conflict (lock_id) do update set awake_until = excluded.awake_until, woken_by = excluded.woken_by
    where ledger_wakeups.awake_until is null or ledger_wakeups.awake_until <= now()
    returning lock_id`,
  );
  return rows.length > 0;
}

/** The signal that was to wake the ledger failed: the next posting (or this one's retry) signals instead. */
export async function forgetWake(db: Db, lockId: string): Promise<void> {
  await db.execute(sql`update ledger_wakeups set awake_until = null, woken_by = null where lock_id = ${lockId}`);
}

export interface Take {
  /** The ledger workflow's lock id (the marker's row). */
  lockId: string;
  /** Whose requests: one ledger's, or all (null: the global queue). */
  ledgerId: string | null;
  /** `<runId>/<n>`: the n-th take of that run; its retry hands the same requests again. */
  token: string;
  limit: number;
}

/**
 * The ledger's side: pending requests no earlier take handed out, oldest first, marked as taken by this take. None:
 * the ledger is marked asleep in the same transaction, under the marker row held for update; some: awake for
 * AWAKE_FOR_MS more.
 */
export async function takeRequests(db: Db, take: Take): Promise<LockRequest[]> {
  const { lockId, ledgerId, token, limit } = take;
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into ledger_wakeups (lock_id) values (${lockId}) on conflict do nothing`);
    await tx.execute(sql`select 1 from ledger_wakeups where lock_id = ${lockId} for update`);
    // A statement of its own, after the lock: in READ COMMITTED it sees every request whose posting held the row before.
    const rows = await rowsOf<{ request_id: string; holder_workflow_id: string }>(
      tx,
      sql`with picked as (
        select request_id, holder_workflow_id, created_at from posting_requests
        where outcome is null and holder_workflow_id is not null ${ledgerId === null ? sql`` : sql`and ledger_id = ${ledgerId}`}
          and (taken_in is null or taken_in = ${token})
        order by created_at, request_id limit ${limit}),
      marked as (update posting_requests set taken_in = ${token} from picked where posting_requests.request_id = picked.request_id)
      select request_id, holder_workflow_id from picked order by created_at, request_id`,
    );
    await tx.execute(
      sql`update ledger_wakeups set awake_until = ${rows.length > 0 ? sql`now() + ${AWAKE_FOR_MS} * interval '1 millisecond'` : null}, woken_by = null
      where lock_id = ${lockId}`,
    );
    return rows.map((r) => ({ requestId: r.request_id, holderWorkflowId: r.holder_workflow_id }));
  });
}
