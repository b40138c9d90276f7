import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateEnvironment, type FaultEnvironment } from './environment';
import { runFaultScenario, type FaultRunReport } from './scenario';
import { printSummary } from './summary';

/**
 * npm run test:faults — the short scenario of `npm test` over many seeds (FAULT_SEEDS, default 20, from
 * FAULT_FIRST_SEED): each run on new shops of one private stack, with the worker SIGKILLed while a refund waits for
 * its order and again while postings wait in a ledger's queue. Every seed must end with 0 findings; the recovery time
 * after each kill (first booking after it) is printed.
 */
const seeds = Number(process.env.FAULT_SEEDS ?? 20);
const firstSeed = Number(process.env.FAULT_FIRST_SEED ?? 1);
const log = (line: string) => process.stdout.write(`${line}\n`);

let env: FaultEnvironment;
const reports = new Map<number, FaultRunReport>();
beforeAll(async () => {
  env = await privateEnvironment(log);
});
afterAll(async () => {
  const rows = [...reports.entries()].map(([seed, r]) => {
    const findings = Object.values(r.findings).reduce((n, list) => n + list.length, 0);
    const recoveries = r.chaos.map((c) => (c.recoveredAfterMs === undefined ? '–' : `${(c.recoveredAfterMs / 1000).toFixed(1)} s`)).join(' / ');
    return `  seed ${String(seed).padStart(3)}: ${r.settled ? 'settled' : 'NOT SETTLED'} in ${r.secondsToSettle} s, ${findings} findings, recovery after kills ${recoveries}`;
  });
  log(['', `fault runs over ${reports.size} seeds`, ...rows].join('\n'));
  await env?.stop([...reports.values()].some((r) => !r.settled));
});

describe(`the short fault scenario over ${seeds} seeds, the worker killed while a refund waits and while postings are queued`, () => {
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    it(`seed ${seed}: books every order and refund exactly once, balanced, with a clean report`, async () => {
      const report = await runFaultScenario(env.target, {
        seed,
        orders: 40,
        shops: 4,
        rate: 10,
        chaos: ['kill-worker-refund-waiting', 'kill-worker-queued'],
        stallMs: 90_000,
        settleTimeoutMs: 240_000,
        chaosGapMs: 0,
        // Every seed has a refund that arrives before its order, for the first kill to hit.
        refundBeforeOrder: 1,
        log,
      });
      reports.set(seed, report);
      printSummary(report, log);
      expect(report.chaos.filter((c) => c.at === undefined).map((c) => c.kind)).toEqual([]);
      expect(report.findings).toEqual(Object.fromEntries(Object.keys(report.findings).map((k) => [k, []])));
      expect(report.settled).toBe(true);
    }, 600_000);
  }
});
