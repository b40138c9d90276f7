import { planChaos, runChaos, type ChaosEvent, type ChaosKind, type ChaosTargets, type RunState } from './chaos';
import { connectFaultyShops, enableFaults, faultTotals, type FaultyShop } from './ledgers';
import { postMortem } from './post-mortem';
import { waitUntilSettled, type Progress } from './settle';
import { planTraffic, sendTraffic, type SendStats, type TrafficPlan } from './traffic';
import { verifyRun, type Findings } from './verify';

export interface FaultRunOptions {
  seed: number;
  orders: number;
  shops: number;
  /** New orders per second. */
  rate: number;
  chaos: ChaosKind[];
  stallMs: number;
  settleTimeoutMs: number;
  /** Least time between two chaos events. */
  chaosGapMs: number;
  /** At least this many refunds arrive before their order (spread over the run). */
  refundBeforeOrder?: number;
  log: (line: string) => void;
}

/** The running system the scenario drives: the API's address and the handles chaos needs. */
export interface FaultRunTarget extends Omit<ChaosTargets, 'shops'> {
  api: string;
  temporalAddress: string;
  adminKey: string;
  /** Exits of the API or worker nobody asked for (counted by the environment, which restarts them). */
  unexpectedExits(): number;
}

export interface FaultRunReport {
  plan: TrafficPlan;
  shops: FaultyShop[];
  settled: boolean;
  secondsToSettle: number;
  totalSeconds: number;
  progress: Progress;
  chaos: ChaosEvent[];
  send: SendStats;
  faults: Record<string, number>;
  unexpectedExits: number;
  findings: Findings;
  /** For a run that did not settle: where each unfinished booking is stuck, from Temporal. */
  postMortem: string[];
}

/** Shops on faulty ledgers, the traffic, the chaos, then waiting until it settles and checking the books. */
export async function runFaultScenario(target: FaultRunTarget, o: FaultRunOptions): Promise<FaultRunReport> {
  const t0 = Date.now();
  const shops = await connectFaultyShops(target.api, target.adminKey, o.shops, o.seed);
  try {
    const plan = planTraffic({ seed: o.seed, orders: o.orders, shops: o.shops, rate: o.rate, refundBeforeOrder: o.refundBeforeOrder });
    const chaos = planChaos(o.seed, o.chaos);
    o.log(
      `fault run: ${plan.orders.length} orders, ${plan.refunds.length} partial refunds, ${plan.deliveries.length} webhooks over ${o.shops} e-conomic ledgers; ` +
        `chaos at ${chaos.map((c) => `${c.kind} ${Math.round(c.atBookedShare * 100)} %`).join(', ')}`,
    );
    enableFaults(shops);

    let state: RunState = { bookedShare: 0, bookedTimes: [], orderStatuses: [], refundStatuses: [] };
    let done = false;
    let chaosError: unknown;
    const chaosRun = runChaos(chaos, { ...target, shops }, () => state, { seed: o.seed, log: o.log, stop: () => done, minGapMs: o.chaosGapMs }).catch((e) => {
      chaosError = e;
    });
    const sending = sendTraffic(plan, target.api, shops.map((s) => s.apiKey));
    const started = Date.now();
    const settling = waitUntilSettled(target.api, shops, {
      expectedOrders: plan.orders.length,
      expectedRefunds: plan.refunds.length,
      stallMs: o.stallMs,
      timeoutMs: o.settleTimeoutMs,
      onProgress: (p) =>
        (state = {
          bookedShare: p.ordersBooked / plan.orders.length,
          bookedTimes: [...p.orders.flat(), ...p.refunds.flat()].filter((x) => x.status === 'booked').map((x) => Date.parse(x.updatedAt)),
          orderStatuses: p.orders.flat().map((x) => x.status),
          refundStatuses: p.refunds.flat().map((x) => x.status),
        }),
      log: o.log,
    });
    const send = await sending;
    const settle = await settling;
    done = true;
    await chaosRun;
    if (chaosError) throw chaosError;
    const secondsToSettle = Math.round((Date.now() - started) / 1000);
    enableFaults(shops, false);

    const findings = await verifyRun(target.api, plan, shops, settle.progress);
    const report: FaultRunReport = {
      plan,
      shops,
      settled: settle.settled,
      secondsToSettle,
      totalSeconds: Math.round((Date.now() - t0) / 1000),
      progress: settle.progress,
      chaos,
      send,
      faults: faultTotals(shops),
      unexpectedExits: target.unexpectedExits(),
      findings,
      postMortem: [],
    };
    if (!settle.settled) report.postMortem = await postMortem(target.temporalAddress, report).catch((e: Error) => [`post-mortem failed: ${e.message}`]);
    return report;
  } finally {
    await Promise.all(shops.map((s) => s.economic.close()));
  }
}
