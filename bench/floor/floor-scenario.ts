/**
 * The floor scenario (issue 16): bench/floor's API and worker as processes of their own, on the bench's Temporal dev
 * server and database, driven like ledgerbridge's one-ledger scenario (the same orders, rate, pacing and HTTP client),
 * so its CPU per order per process is what ledgerbridge's is compared with. Stops ledgerbridge's worker first, so the
 * floor has the machine's Temporal and PostgreSQL to itself; the scenarios after it restart that worker.
 */
import postgres from 'postgres';
import { ServiceProcess } from '../../test/support/stack/service-process';
import { waitForHttp } from '../../test/support/stack/services';
import { sample, startCostMeter, workerPolling, type OrderCost } from '../cost';
import { benchOrder, percentile, type ScenarioResult } from '../shared';
import { peakRssMiB, type Stack } from '../stack';
import { floorTableDdl } from './floor-activities';
import { floorTaskQueue, floorWorkflowId } from './floor-workflow';

type PostJson = (url: string, apiKey: string, body: unknown) => Promise<{ status: number; text: string }>;

export interface FloorResult extends ScenarioResult, OrderCost {
  scenario: 'floor';
  /** No ledger: null, where the other scenarios have theirs. */
  serializationEfficiency: null;
}

export async function floorScenario(stack: Stack, postJson: PostJson, opts: { orders: number; rate: number; port: number }): Promise<FloorResult> {
  await stack.worker.stop();
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(floorTableDdl);
  const env = { ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, PORT: String(opts.port), LOG_LEVEL: 'error' };
  const worker = new ServiceProcess('bench/floor/floor-worker.ts', env);
  const api = new ServiceProcess('bench/floor/floor-api.ts', env);
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${url}/health`);
    await workerPolling(stack.temporal, worker.pid!, [floorTaskQueue]);
    const meter = await startCostMeter({ api: api.pid!, worker: worker.pid!, temporal: stack.temporalPid }, stack.databaseUrl);

    const sentAt = new Map<string, number>();
    const accept: number[] = [];
    const sends: Promise<void>[] = [];
    const t0 = Date.now();
    for (let i = 0; i < opts.orders; i++) {
      const wait = t0 + (i * 1000) / opts.rate - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const orderId = `floor-${i}`;
      const start = Date.now();
      sentAt.set(orderId, start);
      sends.push(
        postJson(`${url}/v1/webhooks/orders`, '', benchOrder(orderId, 1_000 + (i % 50) * 100, `#${i}`)).then(({ status, text }) => {
          if (status !== 202) throw new Error(`floor webhook answered ${status}: ${text}`);
          accept.push(Date.now() - start);
        }),
      );
    }
    await Promise.all(sends);

    let booked = 0;
    let polls = 0;
    while (booked < opts.orders) {
      polls++;
      booked = Number((await sql`SELECT count(*)::int AS n FROM bench_floor_orders`)[0]!.n);
      if (Date.now() - t0 > 3_600_000) throw new Error(`floor: only ${booked} of ${opts.orders} booked after an hour`);
      if (booked < opts.orders) await new Promise((r) => setTimeout(r, 500));
    }
    const cost = await meter.stop({ orders: opts.orders, benchQueries: polls, temporal: stack.temporal, workflowIds: sample([...sentAt.keys()]).map(floorWorkflowId) });

    const rows = await sql<{ order_id: string; booked_at: Date }[]>`SELECT order_id, booked_at FROM bench_floor_orders`;
    const bookedLatency = rows.map((r) => r.booked_at.getTime() - sentAt.get(r.order_id)!);
    const end = Math.max(...rows.map((r) => r.booked_at.getTime()));
    return {
      scenario: 'floor',
      ledger: 'one INSERT',
      ledgers: 1,
      orders: opts.orders,
      ordersPerSecond: Number((opts.orders / ((end - t0) / 1000)).toFixed(2)),
      acceptP50Ms: percentile(accept, 50),
      acceptP99Ms: percentile(accept, 99),
      bookedP50Ms: percentile(bookedLatency, 50),
      bookedP99Ms: percentile(bookedLatency, 99),
      serializationEfficiency: null,
      workerPeakRssMiB: peakRssMiB(worker.pid),
      apiPeakRssMiB: peakRssMiB(api.pid),
      ...cost,
    };
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
    await sql.end();
  }
}
