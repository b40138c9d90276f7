import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { orderSchema } from '../../src/domain/order';
import {
  approveGraduationSignal,
  bookingStateQuery,
  graduationQuery,
  postponeGraduationSignal,
  stayOnDraftsSignal,
  workflowIds,
} from '../../workflows/definitions';
import type { GraduationInput } from '../../workflows/graduation';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually } from '../support/harness';
import { deliverOrder, useWorkflowTier } from './env';

/**
 * The end of the trial (docs/ARCHITECTURE.md, "Modes, history and the quota"): the graduation workflow with its
 * trial injected as seconds, the ledger's mode and its failed postings as plain objects.
 */
const tier = useWorkflowTier();

/** As the admin route starts it when a ledger is created (src/api/routes/admin.ts), with a trial of `trialMs`. */
async function startTrial(trialMs: number, failedPostings = 0) {
  const ledgerId = `led_${randomUUID().slice(0, 8)}`;
  const shopId = `shop_${randomUUID().slice(0, 8)}`;
  tier().world.shops.set(shopId, { ledgerId, mode: 'draft', mapping: structuredClone(danishMapping) });
  tier().world.failedPostings.set(ledgerId, failedPostings);
  const handle = await tier().client.workflow.start('graduationWorkflow', {
    workflowId: workflowIds.graduation(ledgerId),
    taskQueue: tier().taskQueue,
    args: [{ ledgerId, trialMs } satisfies GraduationInput],
  });
  return { ledgerId, shopId, handle };
}

const modeChangesOf = (ledgerId: string) => tier().world.modeChanges.filter((c) => c.ledgerId === ledgerId);

/** Books an order of the shop and answers whether the ledger made it a draft or booked it. */
async function bookOrder(shopId: string, orderId: string) {
  const handle = await deliverOrder(tier(), shopId, orderSchema.parse(cardOrder(orderId, 10_000)));
  return eventually(async () => {
    const { status } = await handle.query(bookingStateQuery);
    return status === 'drafted' || status === 'booked' ? status : undefined;
  }, 60_000, `order ${orderId} drafted or booked`);
}

describe('the end of the trial', () => {
  it('a trial without failed postings ends in auto-post: drafts before, booked after, the trial drafts left as drafts', async () => {
    const { ledgerId, shopId, handle } = await startTrial(3_000);
    const trialStart = Date.parse((await handle.query(graduationQuery)).trialStartedAt!);
    expect(await bookOrder(shopId, 'g-1')).toBe('drafted');
    expect(await handle.query(graduationQuery)).toMatchObject({ state: 'trial', failedPostingsInTrial: null });

    expect(await handle.result()).toBe('graduated');
    const [change, ...more] = modeChangesOf(ledgerId);
    expect(more).toEqual([]);
    expect(change).toMatchObject({ mode: 'auto' });
    expect(change!.at).toBeGreaterThanOrEqual(trialStart + 3_000);
    expect(await handle.query(graduationQuery)).toMatchObject({ state: 'graduated', failedPostingsInTrial: 0 });

    expect(await bookOrder(shopId, 'g-2')).toBe('booked');
    expect(tier().world.documents.get(`${ledgerId}/invoice/g-1`)?.state).toBe('draft');
    expect(tier().world.documents.get(`${ledgerId}/invoice/g-2`)?.state).toBe('booked');
  });

  it('a trial with failed postings waits for the owner: no auto-post until approved', async () => {
    const { ledgerId, handle } = await startTrial(1_000, 2);
    const waiting = await eventually(async () => {
      const view = await handle.query(graduationQuery);
      return view.state === 'awaiting_approval' ? view : undefined;
    }, 30_000, 'awaiting approval');
    expect(waiting.failedPostingsInTrial).toBe(2);
    expect(modeChangesOf(ledgerId)).toEqual([]);

    await handle.signal(approveGraduationSignal);
    expect(await handle.result()).toBe('graduated');
    expect(modeChangesOf(ledgerId).map((c) => c.mode)).toEqual(['auto']);
  });

  it('a postponement moves the end of the trial: the workflow waits for the new end, and staying on drafts ends it', async () => {
    const { ledgerId, handle } = await startTrial(60_000);
    const { trialEndsAt } = await handle.query(graduationQuery);
    await handle.signal(postponeGraduationSignal, { days: 2 });
    const moved = await eventually(async () => {
      const view = await handle.query(graduationQuery);
      return view.trialEndsAt !== trialEndsAt ? view : undefined;
    }, 30_000, 'the trial end moved');
    expect(Date.parse(moved.trialEndsAt) - Date.parse(trialEndsAt)).toBe(2 * 24 * 3600_000);
    // The workflow now sleeps until the new end: its timer, in the history, runs about two days and a minute.
    const timer = await eventually(async () => {
      const { events } = await handle.fetchHistory();
      const timers = (events ?? []).filter((e) => e.timerStartedEventAttributes).map((e) => Number(String(e.timerStartedEventAttributes!.startToFireTimeout!.seconds)));
      return timers.length === 2 ? timers : undefined;
    }, 30_000, 'a second timer');
    expect(timer[0]).toBeLessThanOrEqual(60);
    expect(timer[1]).toBeGreaterThan(2 * 24 * 3600);
    expect(timer[1]).toBeLessThanOrEqual(2 * 24 * 3600 + 60);

    await handle.signal(stayOnDraftsSignal);
    expect(await handle.result()).toBe('staying_on_drafts');
    expect(modeChangesOf(ledgerId)).toEqual([]);
  });
});
