import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateEnvironment, type FaultEnvironment } from './environment';
import { runFaultScenario, type FaultRunReport } from './scenario';
import { printSummary } from './summary';

/**
 * npm run test:faults — the full fault run: 500 orders over 5 e-conomic ledgers that answer 10 % 5xx, 5 % 429 and
 * lose 5 % of their answers after doing the work; 10 % of webhooks twice, 5 % of orders out of order; the worker
 * SIGKILLed three times at random and once inside a ledger lock; PostgreSQL and the Temporal server restarted.
 * FAULT_ORDERS, FAULT_SHOPS and FAULT_SEED change the size and the dice; FAULT_STALL_SECONDS (default 420) is how
 * long nothing may change before the run counts as stuck.
 */
const orders = Number(process.env.FAULT_ORDERS ?? 500);
const shops = Number(process.env.FAULT_SHOPS ?? 5);
const seed = Number(process.env.FAULT_SEED ?? 20261122);
const log = (line: string) => process.stdout.write(`${line}\n`);

let env: FaultEnvironment;
let report: FaultRunReport;

beforeAll(async () => {
  env = await privateEnvironment(log);
  report = await runFaultScenario(env.target, {
    seed,
    orders,
    shops,
    // Slow enough that webhooks still arrive while the worker, PostgreSQL and Temporal go down.
    rate: 1.2,
    chaos: ['kill-worker', 'kill-worker', 'kill-worker', 'kill-worker-in-lock', 'restart-postgres', 'restart-temporal'],
    stallMs: Number(process.env.FAULT_STALL_SECONDS ?? 420) * 1000,
    settleTimeoutMs: 90 * 60_000,
    chaosGapMs: 20_000,
    log,
  });
  printSummary(report, log);
  log(`  API and worker logs: ${env.logDir}`);
});
// A run that did not settle keeps the Temporal server's state next to the logs, to replay what happened.
afterAll(() => env?.stop(report ? !report.settled : true));

describe(`${orders} orders over ${shops} faulty e-conomic ledgers, with the worker, PostgreSQL and Temporal going down`, () => {
  it('had every fault and every outage happen while orders were being booked', () => {
    expect(report.chaos.filter((c) => c.at === undefined).map((c) => c.kind)).toEqual([]);
    for (const kind of ['5xx', '429', 'lost_response', 'lost_after_write']) expect(report.faults[kind], kind).toBeGreaterThan(0);
    expect(report.plan.duplicates).toBeGreaterThan(0);
    expect(report.plan.updateBeforeCreate + report.plan.refundBeforeOrder).toBeGreaterThan(0);
  });

  it('settles with every order and refund booked, none failed or lost', () => {
    expect(report.findings.notBooked).toEqual([]);
    expect(report.settled).toBe(true);
  });

  it('has exactly one invoice and one payment per order, one credit note and refund payment per refund, nothing else', () => {
    expect(report.findings.notExactlyOnce).toEqual([]);
    expect(report.findings.strayDocuments).toEqual([]);
    expect(report.findings.duplicateCustomers).toEqual([]);
  });

  it('balances every document and payment, with gapless numbers the API agrees with', () => {
    expect(report.findings.unbalanced).toEqual([]);
    expect(report.findings.numberGaps).toEqual([]);
    expect(report.findings.numbersDisagree).toEqual([]);
  });

  it('gives a clean balance report per shop that matches the ledger', () => {
    expect(report.findings.reportProblems).toEqual([]);
  });
});
