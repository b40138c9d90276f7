import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { ledgerWakeups } from '../../db/schema';
import { saveRequestSeeingLedger, takeRequests, wakeLedger } from '../../src/services/posting/wakeup';
import { workflowIds, type PostingSubmission } from '../../workflows/definitions';
import { inject } from 'vitest';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/**
 * A posting signals its ledger workflow only when the ledger is asleep (src/services/posting/wakeup.ts): a burst to
 * a running ledger costs a few signals, not one per posting, and a ledger falling asleep while a posting is stored
 * never leaves that posting unseen.
 */
const { EventType } = temporal.api.enums.v1;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Signals and workflow tasks in every run of a ledger's workflow so far (following continue-as-new back). */
async function ledgerHistory(ledgerId: string) {
  let runId: string | undefined;
  let signals = 0;
  let tasks = 0;
  for (;;) {
    const events = (await h.client.workflow.getHandle(workflowIds.ledger(ledgerId), runId).fetchHistory()).events ?? [];
    signals += events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).length;
    tasks += events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    if (!runId) return { signals, tasks };
  }
}

describe('a burst of postings to a running ledger', () => {
  it('signals the ledger a few times, not once per posting, and books every order', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('warm-1', 10_000));
    await api.orderReaches('warm-1', 'booked');
    const before = await ledgerHistory(shop.ledgerId);

    const burst = Array.from({ length: 40 }, (_, i) => `burst-${i + 1}`);
    await Promise.all(burst.map((id, i) => api.sendOrder(cardOrder(id, 10_000 + i))));
    for (const id of burst) await api.orderReaches(id, 'booked', 180_000);
    const after = await ledgerHistory(shop.ledgerId);

    const signals = after.signals - before.signals;
    // One posting per order; each signal-with-start that wakes the ledger is one. Before the wake-up protocol: 40.
    console.log(`burst of ${burst.length}: ${signals} signals to the ledger, ${after.tasks - before.tasks} ledger workflow tasks`);
    expect(signals).toBeLessThanOrEqual(burst.length / 4);
    expect((await api.journal()).length).toBe(2 * (burst.length + 1));
  });
});

/**
 * The race itself, driven step by step on PostgreSQL's row locks: a third transaction holds the ledger's marker row
 * while the ledger's take and the posting queue behind it in a chosen order, then lets them go.
 */
describe('a ledger falling asleep while a posting is stored', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ url: inject('databaseUrl') ?? undefined });
    if (database.kind === 'pglite') await database.migrate();
  });
  afterAll(async () => {
    await database?.close();
  });

  const submission = (ledgerId: string): PostingSubmission => ({
    requestId: randomUUID(),
    holderWorkflowId: `order/test/${randomUUID()}`,
    work: { ledgerId } as PostingSubmission['work'],
  });
  /** What activities/lock.ts does before it would signal: true when this posting must signal the ledger. */
  const post = async (s: PostingSubmission) => {
    const { awake, wokenByThis } = await saveRequestSeeingLedger(database.db, s, s.work.ledgerId);
    return wokenByThis || (!awake && (await wakeLedger(database.db, s.work.ledgerId, s.requestId)));
  };
  const take = (ledgerId: string) => takeRequests(database.db, { lockId: ledgerId, ledgerId, token: `run/${randomUUID()}`, limit: 100 });
  const waitingOnLocks = async () => {
    const rows = (await database.db.execute(
      sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%ledger_wakeups%' and cardinality(pg_blocking_pids(pid)) > 0`,
    )) as unknown as { n: number }[];
    return rows[0]!.n;
  };

  /** Runs the ledger's take and the posting queued on the marker row in the given order; with PGlite (one connection) one after the other. */
  async function race(ledgerId: string, s: PostingSubmission, first: 'ledger' | 'posting') {
    const steps = { ledger: () => take(ledgerId), posting: () => post(s) };
    const second = first === 'ledger' ? 'posting' : 'ledger';
    if (database.kind === 'pglite') {
      const a = await steps[first]();
      const b = await steps[second]();
      return first === 'ledger' ? { taken: a as Awaited<ReturnType<typeof take>>, signals: b as boolean } : { taken: b as Awaited<ReturnType<typeof take>>, signals: a as boolean };
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const blocker = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from ledger_wakeups where lock_id = ${ledgerId} for update`);
      locked();
      await held;
    });
    await isLocked;
    const base = await waitingOnLocks();
    const firstRun = steps[first]();
    await eventually(async () => ((await waitingOnLocks()) > base ? true : undefined), 30_000, `${first} waits for the marker row`);
    const secondRun = steps[second]();
    await eventually(async () => ((await waitingOnLocks()) > base + 1 ? true : undefined), 30_000, `${second} waits for the marker row`);
    release();
    await blocker;
    const [a, b] = await Promise.all([firstRun, secondRun]);
    return first === 'ledger' ? { taken: a as Awaited<ReturnType<typeof take>>, signals: b as boolean } : { taken: b as Awaited<ReturnType<typeof take>>, signals: a as boolean };
  }

  /** A ledger marked awake by its last take, which found one request. */
  async function awakeLedger() {
    const ledgerId = `led_wake_${randomUUID().slice(0, 8)}`;
    const earlier = submission(ledgerId);
    await post(earlier);
    expect((await take(ledgerId)).map((r) => r.requestId)).toEqual([earlier.requestId]);
    await database.db.update(ledgerWakeups).set({ awakeUntil: sql`now() + interval '1 hour'` }).where(sql`lock_id = ${ledgerId}`);
    return ledgerId;
  }

  it('signals when the ledger found nothing and went asleep first', async () => {
    const ledgerId = await awakeLedger();
    const s = submission(ledgerId);
    const { taken, signals } = await race(ledgerId, s, 'ledger');
    expect(taken).toEqual([]);
    expect(signals).toBe(true);
  });

  it('leaves the posting to the ledger when the posting was stored first', async () => {
    const ledgerId = await awakeLedger();
    const s = submission(ledgerId);
    const { taken, signals } = await race(ledgerId, s, 'posting');
    expect(taken.map((r) => r.requestId)).toEqual([s.requestId]);
    expect(signals).toBe(false);
    // Taken, the ledger stays awake: the next posting does not signal, and one take later it sleeps.
    expect(await post(submission(ledgerId))).toBe(false);
    expect(await take(ledgerId)).toHaveLength(1);
    expect(await take(ledgerId)).toEqual([]);
    expect(await post(submission(ledgerId))).toBe(true);
  });
});
