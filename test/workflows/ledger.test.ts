import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  acquireLockSignal,
  ledgerQueueQuery,
  releaseLockSignal,
  renewLeaseSignal,
  setQuotaSignal,
  ledgerTaskQueue,
  submitPostingSignal,
  workflowIds,
} from '../../workflows/definitions';
import type { LedgerWorkflowInput } from '../../workflows/ledger';
import { eventually } from '../support/harness';
import { probeEventsQuery, type ProbeEvent } from './bundle/probes';
import { useWorkflowTier } from './env';

/**
 * The ledger workflow (docs/ARCHITECTURE.md, "The workflows and their signals") with its activities as plain
 * objects: batches, the lease lock, the quota, continue-as-new and a fresh run's pick-up, each with short durations.
 */
const tier = useWorkflowTier();
beforeEach(() => {
  tier().world.batches.length = 0;
  tier().world.stored.length = 0;
  tier().world.pending = [];
  tier().world.down = false;
});

const newLedger = (over: Partial<LedgerWorkflowInput> = {}): LedgerWorkflowInput => ({
  ledgerId: `led_${randomUUID().slice(0, 8)}`,
  leaseMs: 60_000,
  monthlyQuota: null,
  ...over,
});

async function startProbe(): Promise<string> {
  const workflowId = `probe/${randomUUID()}`;
  await tier().client.workflow.start('probeWorkflow', { workflowId, taskQueue: tier().taskQueue });
  return workflowId;
}

/** What a booking does: queue a request in the ledger, starting the ledger workflow if it is not running. */
async function submit(input: LedgerWorkflowInput, holderWorkflowId: string, requestId: string, lock = false) {
  return tier().client.workflow.signalWithStart('ledgerWorkflow', {
    workflowId: workflowIds.ledger(input.ledgerId),
    taskQueue: tier().taskQueue,
    args: [input],
    signal: lock ? acquireLockSignal : submitPostingSignal,
    signalArgs: [{ holderWorkflowId, requestId }],
  });
}

const eventsOf = (probe: string) => tier().client.workflow.getHandle(probe).query(probeEventsQuery);
async function probeSees(probe: string, kind: ProbeEvent['kind'], requestId: string): Promise<ProbeEvent> {
  return eventually(async () => (await eventsOf(probe)).find((e) => e.kind === kind && e.requestId === requestId), 60_000, `${kind} ${requestId}`);
}

describe('the ledger workflow', () => {
  it('posts every request once, in batches of at most maxBatch, in the order submitted', async () => {
    const ledger = newLedger({ maxBatch: 2 });
    const probe = await startProbe();
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    for (const id of ids) await submit(ledger, probe, id);
    for (const id of ids) await probeSees(probe, 'done', id);

    const done = (await eventsOf(probe)).filter((e) => e.kind === 'done').map((e) => e.requestId);
    expect(done.sort()).toEqual(ids);
    expect(tier().world.batches.every((b) => b.length <= 2)).toBe(true);
    expect(tier().world.batches.flat()).toEqual(ids);
  });

  it('passes the lock on when a holder stops renewing: not while it renews, and its late release frees nothing', async () => {
    const ledger = newLedger({ leaseMs: 4_000 });
    const handle = tier().client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    const holder = await startProbe();
    const next = await startProbe();
    await submit(ledger, holder, 'payout-1', true);
    await probeSees(holder, 'granted', 'payout-1');
    await submit(ledger, next, 'payout-2', true);
    // The holder renews twice, as LedgerLine.withLock does before each ledger call; each renewal moves the lease's end.
    const granted = Date.parse((await handle.query(ledgerQueueQuery)).holder!.leaseUntil);
    let leaseUntil = granted;
    for (let i = 0; i < 2; i++) {
      await handle.signal(renewLeaseSignal, { requestId: 'payout-1' });
      const before = leaseUntil;
      leaseUntil = await eventually(async () => {
        const h = (await handle.query(ledgerQueueQuery)).holder;
        return h?.requestId === 'payout-1' && Date.parse(h.leaseUntil) > before ? Date.parse(h.leaseUntil) : undefined;
      }, 30_000, 'the lease renewed');
    }
    // Then it goes silent: the next waiter gets the lock when the last renewed lease is over, not before.
    const second = await probeSees(next, 'granted', 'payout-2');
    expect(second.at).toBeGreaterThanOrEqual(leaseUntil);
    expect(leaseUntil).toBeGreaterThan(granted);
    // The first holder comes back and releases: that must not free the second's lock. A posting sent after the
    // release waits behind the second holder (signals are handled in order, so once it is queued the release was).
    await handle.signal(releaseLockSignal, { requestId: 'payout-1', posted: true });
    await submit(ledger, next, 'after-release');
    const view = await eventually(async () => {
      const v = await handle.query(ledgerQueueQuery);
      return v.queue.some((w) => w.requestId === 'after-release') ? v : undefined;
    }, 30_000, 'the posting queued');
    expect(view).toMatchObject({ holder: { requestId: 'payout-2' }, postedThisMonth: 0 });
    expect(tier().world.batches).toEqual([]);
    await handle.signal(releaseLockSignal, { requestId: 'payout-2', posted: false });
    await probeSees(next, 'done', 'after-release');
  });

  it('holds postings behind a payout that holds the lock, and posts them once it releases', async () => {
    const ledger = newLedger();
    const payout = await startProbe();
    const booking = await startProbe();
    await submit(ledger, payout, 'payout-1', true);
    await probeSees(payout, 'granted', 'payout-1');
    await submit(ledger, booking, 'order-1');
    const handle = tier().client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    await eventually(async () => ((await handle.query(ledgerQueueQuery)).queue.length === 1 ? true : undefined), 30_000, 'the posting queued');
    expect(tier().world.batches).toEqual([]);
    await handle.signal(releaseLockSignal, { requestId: 'payout-1', posted: true });
    await probeSees(booking, 'done', 'order-1');
  });

  it('stops at the monthly quota, tells the waiting booking, and posts it when the quota is raised', async () => {
    const ledger = newLedger({ monthlyQuota: 1 });
    const probe = await startProbe();
    await submit(ledger, probe, 'q1');
    await probeSees(probe, 'done', 'q1');
    await submit(ledger, probe, 'q2');
    await probeSees(probe, 'blocked', 'q2');
    const handle = tier().client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    expect(await handle.query(ledgerQueueQuery)).toMatchObject({ quotaBlocked: true, postedThisMonth: 1 });
    await handle.signal(setQuotaSignal, { monthlyQuota: 2 });
    await probeSees(probe, 'done', 'q2');
  });

  it('continues as new after postingsPerRun postings and carries its queue into the next run', async () => {
    const ledger = newLedger({ postingsPerRun: 2, maxBatch: 1 });
    const probe = await startProbe();
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const { signaledRunId: firstRun } = await submit(ledger, probe, ids[0]!);
    for (const id of ids.slice(1)) await submit(ledger, probe, id);
    for (const id of ids) await probeSees(probe, 'done', id);
    const handle = tier().client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(tier().world.batches.flat()).toEqual(ids);
    expect(await handle.query(ledgerQueueQuery)).toMatchObject({ postingsTotal: 5, queue: [] });
  });

  it('moves from the main queue to the ledgers\' own when it continues as new (a run started before that queue existed)', async () => {
    const ledger = newLedger({ postingsPerRun: 1, maxBatch: 1 });
    const probe = await startProbe();
    // submit() starts it on the main queue, as activities/lock.ts did before ledgers had a queue of their own.
    const { signaledRunId: firstRun } = await submit(ledger, probe, 'm1');
    const handle = tier().client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    expect((await handle.describe()).taskQueue).toBe(tier().taskQueue);
    await probeSees(probe, 'done', 'm1');
    await submit(ledger, probe, 'm2');
    await probeSees(probe, 'done', 'm2');
    const now = await handle.describe();
    expect(now.runId).not.toBe(firstRun);
    expect(now.taskQueue).toBe(ledgerTaskQueue(tier().taskQueue));
  });

  it('continues as new while a payout holds the lock and postings arrive: the lease and every posting carry over, each posted once', async () => {
    const ledger = newLedger({ grantsPerRun: 1, postingsPerRun: 4, maxBatch: 2 });
    const handle = tier().client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    const payout = await startProbe();
    const booking = await startProbe();
    const { signaledRunId: firstRun } = await submit(ledger, payout, 'lock-1', true);
    await probeSees(payout, 'granted', 'lock-1');
    // One grant fills the run: it continues as new with the holder.
    const secondRun = await eventually(async () => {
      const { runId } = await handle.describe();
      return runId !== firstRun ? runId : undefined;
    }, 30_000, 'a second run');
    const waiting = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
    for (const id of waiting) await submit(ledger, booking, id);
    // Sent again (a booking asking again): they keep their place, once.
    await Promise.all(waiting.slice(0, 3).map((id) => submit(ledger, booking, id)));
    const held = await eventually(async () => {
      const v = await handle.query(ledgerQueueQuery);
      return v.queue.length >= waiting.length ? v : undefined;
    }, 30_000, 'the postings queued');
    expect(held).toMatchObject({ holder: { requestId: 'lock-1' }, grantsTotal: 1 });
    expect(held.queue.map((w) => w.requestId)).toEqual(waiting);
    // The carried holder's lease lives in the new run: it renews there, and its release hands over to the postings.
    await handle.signal(renewLeaseSignal, { requestId: 'lock-1' });
    await handle.signal(releaseLockSignal, { requestId: 'lock-1', posted: true });
    // More postings arrive while the runs turn over (every 4 postings), all at once.
    const arriving = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    await Promise.all(arriving.map((id) => submit(ledger, booking, id)));
    const all = [...waiting, ...arriving];
    for (const id of all) await probeSees(booking, 'done', id);

    const posted = tier().world.batches.flat();
    expect(posted.slice(0, waiting.length)).toEqual(waiting);
    expect([...posted].sort()).toEqual([...all].sort());
    const done = (await eventsOf(booking)).filter((e) => e.kind === 'done').map((e) => e.requestId);
    expect([...done].sort()).toEqual([...all].sort());
    expect((await handle.describe()).runId).not.toBe(secondRun);
    expect(await handle.query(ledgerQueueQuery)).toMatchObject({ postingsTotal: all.length, grantsTotal: 1, postedThisMonth: all.length + 1, holder: null, queue: [] });
  });

  it('a new run first posts what an earlier run left pending, in the order submitted', async () => {
    const ledger = newLedger();
    const waiting = await startProbe();
    const starter = await startProbe();
    tier().world.pending = [
      { holderWorkflowId: waiting, requestId: 'left-1' },
      { holderWorkflowId: waiting, requestId: 'left-2' },
    ];
    await submit(ledger, starter, 'new-1');
    await probeSees(waiting, 'done', 'left-1');
    await probeSees(waiting, 'done', 'left-2');
    await probeSees(starter, 'done', 'new-1');
    expect(tier().world.batches.flat()).toEqual(['left-1', 'left-2', 'new-1']);
  });

  it('a batch the ledger refuses for good fails each of its postings, stored before they are told', async () => {
    tier().world.down = true;
    const ledger = newLedger();
    const probe = await startProbe();
    await submit(ledger, probe, 'f1');
    const done = await probeSees(probe, 'done', 'f1');
    expect(done.kind === 'done' && done.outcome.failure?.code).toBe('ledger_unreachable');
    expect(tier().world.stored.map((o) => o.requestId)).toEqual(['f1']);
  });
});
