import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acquireLockSignal, bookingStateQuery, ledgerQueueQuery, releaseLockSignal, workflowIds } from '../../workflows/definitions';
import { probeEventsQuery } from './bundle/probes';
import { danishMapping } from '../support/fixtures';
import { eventually } from '../support/harness';
import { useWorkflowTier } from './env';

/**
 * The lease lock from the holder's side (workflows/ledger-line.ts withLock): a holder whose ledger call takes longer
 * than the lease (a payout part's posting retried for minutes) keeps the lock, so the ledger never has two writers.
 */
const tier = useWorkflowTier();
const leaseMs = 3_000;

describe("a payout holding its ledger's lock", () => {
  it('keeps its lease while a part posts for longer than the lease; the next holder gets the lock when it releases', async () => {
    const { world, client, taskQueue } = tier();
    const shopId = `shop_${randomUUID().slice(0, 8)}`;
    const ledgerId = `led_${randomUUID().slice(0, 8)}`;
    world.shops.set(shopId, { ledgerId, mode: 'auto', mapping: structuredClone(danishMapping) });
    world.ledgerSettings.set(ledgerId, { leaseMs });
    let finishPart!: () => void;
    world.payoutPartGate = new Promise((resolve) => (finishPart = resolve));

    const connectionId = `conn_${randomUUID().slice(0, 8)}`;
    const payoutWorkflowId = workflowIds.payout(connectionId, 'P-1');
    await client.workflow.start('payoutWorkflow', { workflowId: payoutWorkflowId, taskQueue, args: [{ shopId, connectionId, payoutId: 'P-1' }] });
    await eventually(async () => world.payoutParts.includes(`${connectionId}/P-1#1`) || undefined, 60_000, 'the part posting');

    // Another holder (a reviewed draft, say) queues behind the payout.
    const next = `probe/${randomUUID()}`;
    await client.workflow.start('probeWorkflow', { workflowId: next, taskQueue });
    const ledger = client.workflow.getHandle(workflowIds.ledger(ledgerId));
    await ledger.signal(acquireLockSignal, { holderWorkflowId: next, requestId: 'next-holder' });

    // The part's posting goes on past two leases: the payout holds the lock all along, its lease renewed.
    const held = await eventually(async () => {
      const { holder } = await ledger.query(ledgerQueueQuery);
      if (holder?.workflowId !== payoutWorkflowId) return `lost to ${holder?.workflowId ?? 'nobody'}`;
      return Date.parse(holder.leaseUntil) - Date.parse(holder.grantedAt) >= 3 * leaseMs ? 'held' : undefined;
    }, 60_000, 'the payout holding the lock for three leases');
    expect(held).toBe('held');
    const nextEvents = () => client.workflow.getHandle(next).query(probeEventsQuery);
    expect((await nextEvents()).filter((e) => e.kind === 'granted')).toEqual([]);

    // The posting ends: the payout books and releases, and only then does the next holder get the lock.
    finishPart();
    world.payoutPartGate = undefined;
    await eventually(async () => {
      const state = await client.workflow.getHandle(payoutWorkflowId).query(bookingStateQuery);
      return state.status === 'booked' || undefined;
    }, 60_000, 'the payout booked');
    await eventually(async () => (await nextEvents()).find((e) => e.kind === 'granted' && e.requestId === 'next-holder'), 60_000, 'the next holder granted');
    await ledger.signal(releaseLockSignal, { requestId: 'next-holder', posted: false });
  });
});
