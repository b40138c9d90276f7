import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  acquireLockSignal,
  ledgerQueueQuery,
  releaseLockSignal,
  setQuotaSignal,
  submitPostingSignal,
  workflowIds,
} from '../../workflows/definitions';
import type { LedgerWorkflowInput } from '../../workflows/ledger';
import { eventually } from '../support/harness';
import { probeEventsQuery, type ProbeEvent } from './bundle/probes';
import { startWorkflowTier, type WorkflowTier } from './ledger-env';

/**
 * The ledger workflow (docs/ARCHITECTURE.md, "The workflows and their signals") with its activities as plain
 * objects: batches, the lease lock, the quota, continue-as-new and a fresh run's pick-up, each with short durations.
 */
let tier: WorkflowTier;
beforeAll(async () => {
  tier = await startWorkflowTier(inject('temporalAddress'));
}, 120_000);
afterAll(async () => tier?.close());
beforeEach(() => {
  tier.ledger.batches.length = 0;
  tier.ledger.stored.length = 0;
  tier.ledger.pending = [];
  tier.ledger.down = false;
});

const newLedger = (over: Partial<LedgerWorkflowInput> = {}): LedgerWorkflowInput => ({
  ledgerId: `led_${randomUUID().slice(0, 8)}`,
  leaseMs: 60_000,
  monthlyQuota: null,
  ...over,
});

async function startProbe(): Promise<string> {
  const workflowId = `probe/${randomUUID()}`;
  await tier.client.workflow.start('probeWorkflow', { workflowId, taskQueue: tier.taskQueue });
  return workflowId;
}

/** What a booking does: queue a request in the ledger, starting the ledger workflow if it is not running. */
async function submit(input: LedgerWorkflowInput, holderWorkflowId: string, requestId: string, lock = false) {
  return tier.client.workflow.signalWithStart('ledgerWorkflow', {
    workflowId: workflowIds.ledger(input.ledgerId),
    taskQueue: tier.taskQueue,
    args: [input],
    signal: lock ? acquireLockSignal : submitPostingSignal,
    signalArgs: [{ holderWorkflowId, requestId }],
  });
}

const eventsOf = (probe: string) => tier.client.workflow.getHandle(probe).query(probeEventsQuery);
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
    expect(tier.ledger.batches.every((b) => b.length <= 2)).toBe(true);
    expect(tier.ledger.batches.flat()).toEqual(ids);
  });

  it('passes the lock on when a holder lets its lease run out', async () => {
    const ledger = newLedger({ leaseMs: 2_000 });
    const silent = await startProbe();
    const next = await startProbe();
    await submit(ledger, silent, 'payout-1', true);
    const first = await probeSees(silent, 'granted', 'payout-1');
    await submit(ledger, next, 'payout-2', true);
    // The first holder never renews nor releases: the second gets the lock once the lease is over, not before.
    const second = await probeSees(next, 'granted', 'payout-2');
    expect(second.at - first.at).toBeGreaterThanOrEqual(2_000);
  });

  it('holds postings behind a payout that holds the lock, and posts them once it releases', async () => {
    const ledger = newLedger();
    const payout = await startProbe();
    const booking = await startProbe();
    await submit(ledger, payout, 'payout-1', true);
    await probeSees(payout, 'granted', 'payout-1');
    await submit(ledger, booking, 'order-1');
    const handle = tier.client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    await eventually(async () => ((await handle.query(ledgerQueueQuery)).queue.length === 1 ? true : undefined), 30_000, 'the posting queued');
    expect(tier.ledger.batches).toEqual([]);
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
    const handle = tier.client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
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
    const handle = tier.client.workflow.getHandle(workflowIds.ledger(ledger.ledgerId));
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect(tier.ledger.batches.flat()).toEqual(ids);
    expect(await handle.query(ledgerQueueQuery)).toMatchObject({ postingsTotal: 5, queue: [] });
  });

  it('a new run first posts what an earlier run left pending, in the order submitted', async () => {
    const ledger = newLedger();
    const waiting = await startProbe();
    const starter = await startProbe();
    tier.ledger.pending = [
      { holderWorkflowId: waiting, requestId: 'left-1' },
      { holderWorkflowId: waiting, requestId: 'left-2' },
    ];
    await submit(ledger, starter, 'new-1');
    await probeSees(waiting, 'done', 'left-1');
    await probeSees(waiting, 'done', 'left-2');
    await probeSees(starter, 'done', 'new-1');
    expect(tier.ledger.batches.flat()).toEqual(['left-1', 'left-2', 'new-1']);
  });

  it('a batch the ledger refuses for good fails each of its postings, stored before they are told', async () => {
    tier.ledger.down = true;
    const ledger = newLedger();
    const probe = await startProbe();
    await submit(ledger, probe, 'f1');
    const done = await probeSees(probe, 'done', 'f1');
    expect(done.kind === 'done' && done.outcome.failure?.code).toBe('ledger_unreachable');
    expect(tier.ledger.stored.map((o) => o.requestId)).toEqual(['f1']);
  });
});
