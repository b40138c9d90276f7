/**
 * Fair scheduling between shops (issue 17, point 7). Every workflow we start carries its shop as Temporal's task-queue
 * fairness key; its activities inherit it. With fairness on in the server (matching.enableFairness, Temporal ≥ 1.29),
 * the matching service dispatches the tasks of different keys in turn instead of first come first served, so 300
 * orders from one shop queue behind each other, not in front of another shop's one order.
 *
 * Fairness works where tasks wait in the server: the worker's slots (src/worker.ts) are kept small enough that a
 * backlog stays there rather than inside the worker, whose own queue knows no shops.
 */
import type { Priority } from '@temporalio/common';

/**
 * Temporal's priority levels run 1 (first) to 5; unset is 3. A shop's work beyond what it has in progress at full
 * priority starts at BACKLOG_PRIORITY: it runs whenever no other shop's work waits, and never ahead of it.
 */
const BACKLOG_PRIORITY = 4;

/**
 * Bookings of one shop in progress at full priority. Fairness alone shares dispatch between shops, but every task of
 * a flooding shop still takes worker slots and CPU from the others' (bench/hostile.ts: 300 orders took another shop's
 * booking from 0.4 s to 7.5 s); past this many, a shop's further bookings wait until the others' are done.
 */
export const BOOKINGS_AHEAD_PER_SHOP = 20;

/**
 * A booking, backfill or fetch of one shop. Keys are at most 64 bytes: ids are short. `backlog`: the shop already has
 * BOOKINGS_AHEAD_PER_SHOP in progress (or the work is bulk, as a file's payouts): it yields to every other shop.
 */
export const shopPriority = (shopId: string, backlog = false): Priority => ({
  fairnessKey: `shop/${shopId}`,
  ...(backlog ? { priorityKey: BACKLOG_PRIORITY } : {}),
});

/** A ledger's queue serves every shop posting into it: it is its own tenant, so no shop's backlog delays it. */
export const ledgerPriority = (ledgerId: string): Priority => ({ fairnessKey: `ledger/${ledgerId}` });

/**
 * The dynamic config that turns fairness on (off by default in Temporal 1.29). The dev server takes it as arguments;
 * docker-compose sets the same key in deploy/temporal-dynamicconfig.yaml.
 */
export const fairnessDynamicConfig = [
  '--dynamic-config-value', 'matching.enableFairness=true',
  // Priority and fairness hold within a partition of a task queue; one node needs no more than one, and with the
  // default four a poll that meets a partition holding only the flooding shop's tasks takes one of them.
  '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
  '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
];
