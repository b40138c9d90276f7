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

/** A booking, backfill or fetch of one shop. Keys are at most 64 bytes: ids are short. */
export const shopPriority = (shopId: string): Priority => ({ fairnessKey: `shop/${shopId}` });

/** A ledger's queue serves every shop posting into it: it is its own tenant, so no shop's backlog delays it. */
export const ledgerPriority = (ledgerId: string): Priority => ({ fairnessKey: `ledger/${ledgerId}` });

/**
 * The dynamic config that turns fairness on (off by default in Temporal 1.29). The dev server takes it as arguments;
 * docker-compose sets the same key in deploy/temporal-dynamicconfig.yaml.
 */
export const fairnessDynamicConfig = ['--dynamic-config-value', 'matching.enableFairness=true'];
