/** Issue 16's burst and open-orders scenarios, as bench/run.ts runs them: each on a freshly started worker. */
import { monthBurstBench, type MonthBurstResult, type Post } from './month-burst';
import { openOrdersBench, type OpenOrdersResult } from './open-orders';
import { quiet } from './proc';
import type { Stack } from './stack';

/** Restarts the worker and waits until it has bundled the workflows and idles, so no scenario times its start-up. */
async function fresh(stack: Stack) {
  await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'ledger' });
  await quiet(stack.worker.pid, 180_000);
}

export async function burstScenarios(stack: Stack, scenarios: Set<string>, post: Post): Promise<{ monthBurst?: MonthBurstResult; openOrders?: OpenOrdersResult }> {
  const results: { monthBurst?: MonthBurstResult; openOrders?: OpenOrdersResult } = {};
  if (scenarios.has('month-burst')) {
    await fresh(stack);
    results.monthBurst = await monthBurstBench(stack, post);
  }
  if (scenarios.has('open-orders')) {
    await fresh(stack);
    results.openOrders = await openOrdersBench(stack, post);
  }
  return results;
}
