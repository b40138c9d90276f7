/** Issue 16's burst and open-orders scenarios, as bench/run.ts runs them: each on a freshly started worker. */
import { monthBurstBench, type MonthBurstResult, type Post } from './month-burst';
import { openOrdersBench, type OpenOrdersResult } from './open-orders';
import type { Stack } from './stack';

export async function burstScenarios(stack: Stack, scenarios: Set<string>, post: Post): Promise<{ monthBurst?: MonthBurstResult; openOrders?: OpenOrdersResult }> {
  const results: { monthBurst?: MonthBurstResult; openOrders?: OpenOrdersResult } = {};
  if (scenarios.has('month-burst')) {
    await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'ledger' });
    results.monthBurst = await monthBurstBench(stack, post);
  }
  if (scenarios.has('open-orders')) {
    await stack.restartWorker({ LEDGER_LOCK_SCOPE: 'ledger' });
    results.openOrders = await openOrdersBench(stack, post);
  }
  return results;
}
