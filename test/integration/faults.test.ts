import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sharedEnvironment, type FaultEnvironment } from '../faults/environment';
import { runFaultScenario, type FaultRunReport } from '../faults/scenario';
import { printSummary } from '../faults/summary';

/**
 * The short fault run of `npm test` (the long one is `npm run test:faults`): the same vendor fault mix, duplicate and
 * out-of-order webhooks and checks, on fewer orders, with one worker SIGKILL. It uses the run's shared Temporal
 * server and database and never restarts them: other test files are using them.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
let env: FaultEnvironment;
let report: FaultRunReport;

beforeAll(async () => {
  env = await sharedEnvironment(inject('temporalAddress'), inject('databaseUrl'), log);
  report = await runFaultScenario(env.target, {
    seed: 7,
    orders: 60,
    shops: 6,
    rate: 10,
    chaos: ['kill-worker'],
    stallMs: 90_000,
    settleTimeoutMs: 150_000,
    chaosGapMs: 0,
    log,
  });
  printSummary(report, log);
}, 240_000);
afterAll(() => env?.stop());

describe('60 orders over 6 faulty e-conomic ledgers, the worker SIGKILLed once', () => {
  it('had the faults and the kill happen while orders were being booked', () => {
    expect(report.chaos.every((c) => c.at !== undefined)).toBe(true);
    for (const kind of ['5xx', '429', 'lost_after_write']) expect(report.faults[kind], kind).toBeGreaterThan(0);
  });

  it('books every order and refund, none failed or lost', () => {
    expect(report.findings.notBooked).toEqual([]);
  });

  it('has exactly one invoice and payment per order at the vendor, balanced, with gapless numbers', () => {
    expect(report.findings.notExactlyOnce).toEqual([]);
    expect(report.findings.strayDocuments).toEqual([]);
    expect(report.findings.unbalanced).toEqual([]);
    expect(report.findings.numberGaps).toEqual([]);
    expect(report.findings.numbersDisagree).toEqual([]);
  });

  it('gives a clean balance report per shop', () => {
    expect(report.findings.reportProblems).toEqual([]);
  });
});
