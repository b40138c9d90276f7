/**
 * What a booked order costs, per process (issue 16), for any scenario:
 *
 * - CPU: utime + stime from /proc/<pid>/stat before and after the scenario, for the API process, the worker process,
 *   the Temporal dev server and PostgreSQL. PostgreSQL is every process named `postgres` (postmaster, background
 *   processes and the backends alive at the reading) plus the postmaster's cutime + cstime, which holds the CPU of
 *   backends that exited (reaped children), so connections opened and closed in between count too. The server is
 *   shared: other databases' work on it in the span counts as well (quiet machine, quiet figure). So it is also read
 *   for the bench database's backends alone (`postgresBackends`, and `totalWithBackends` with it).
 * - History: for a sample of booked orders, the events of their workflow's history and its WorkflowTaskCompleted
 *   events (the workflow tasks), averaged; read once the sampled workflows have closed (or after a minute).
 * - PostgreSQL commits: pg_stat_database.xact_commit of the bench database, after minus before, less the bench's own
 *   polling queries. PostgreSQL 15 flushes a backend's counters at most every second, and an idle backend's after up
 *   to 10 s: the after-reading waits for that.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import postgres from 'postgres';

const TICK_MS = 1000 / (Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);
/** PostgreSQL 15's PGSTAT_IDLE_INTERVAL (10 s) and a margin. */
const STATS_FLUSH_MS = 11_000;

export interface CpuMsPerOrder {
  api: number;
  worker: number;
  temporal: number;
  postgres: number;
  total: number;
  /**
   * Only the backends connected to the bench database (pg_stat_activity at each reading): what this scenario's
   * queries cost, without other databases' work on a shared server (backends that exited in between are missing).
   */
  postgresBackends: number;
  /** api + worker + temporal + postgresBackends. */
  totalWithBackends: number;
}

export interface OrderCost {
  cpuMsPerOrder: CpuMsPerOrder;
  eventsPerOrder: number;
  workflowTasksPerOrder: number;
  /** How many booked orders' histories were read, and how many of those were still running when read. */
  historySample: number;
  historiesOpen: number;
  commitsPerOrder: number;
}

interface Stat {
  comm: string;
  ppid: number;
  /** utime + stime, in ticks. */
  cpu: number;
  /** cutime + cstime: reaped children, in ticks. */
  children: number;
}

/** /proc/<pid>/stat, split after the command name (which may hold spaces and parentheses). */
function readStat(pid: number | string): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  const f = text.slice(close + 2).split(' ');
  // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17); f[0] is field 3.
  return { comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
}

const pids = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d));

/** All of PostgreSQL's CPU so far, in ticks: see the top of this file. */
function postgresTicks(): number {
  const stats = new Map<string, Stat>();
  for (const pid of pids()) {
    const s = readStat(pid);
    if (s?.comm === 'postgres') stats.set(pid, s);
  }
  let ticks = 0;
  for (const s of stats.values()) ticks += s.cpu + (stats.has(String(s.ppid)) ? 0 : s.children);
  return ticks;
}

/** The Temporal dev server listening on `address` (host:port): the `temporal server start-dev --port <port>` process. */
export function temporalServerPid(address: string): number {
  const port = address.split(':').at(-1)!;
  for (const pid of pids()) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes('start-dev') && args[args.indexOf('--port') + 1] === port) return Number(pid);
  }
  throw new Error(`no Temporal dev server process with --port ${port} found in /proc`);
}

/** Waits until a worker of process `pid` polls each of `taskQueues`: it has bundled its workflows and is ready. */
export async function workerPolling(client: Client, pid: number, taskQueues: string[], timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const name of taskQueues) {
    for (;;) {
      const { pollers } = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name } });
      if (pollers.some((p) => p.identity?.startsWith(`${pid}@`))) break;
      if (Date.now() > deadline) throw new Error(`worker ${pid} did not poll ${name} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export interface CostProcesses {
  api: number;
  worker: number;
  temporal: number;
}

/**
 * Starts measuring: reads CPU and commits now. `stop` reads them again, samples histories, and divides by `orders`.
 * `databaseUrl` is the bench database; the commit counter is read over a connection to another database
 * (`postgres`), so the readings are not commits of their own.
 */
export async function startCostMeter(processes: CostProcesses, databaseUrl: string) {
  const database = new URL(databaseUrl).pathname.slice(1);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const commits = async () => Number((await admin`SELECT xact_commit FROM pg_stat_database WHERE datname = ${database}`)[0]!.xact_commit);
  const backends = async () =>
    new Map((await admin`SELECT pid FROM pg_stat_activity WHERE datname = ${database}`).map((r) => [Number(r.pid), readStat(Number(r.pid))?.cpu ?? 0]));
  const cpu = () => ({
    api: readStat(processes.api)?.cpu ?? NaN,
    worker: readStat(processes.worker)?.cpu ?? NaN,
    temporal: readStat(processes.temporal)?.cpu ?? NaN,
    postgres: postgresTicks(),
  });
  const commitsBefore = await commits();
  const backendsBefore = await backends();
  const before = cpu();
  return {
    /**
     * Call when the last order is booked. `benchQueries`: the bench's own statements on the bench database in the span
     * (its polls for the booked count); `workflowIds`: booked orders' workflows to sample.
     */
    async stop(opts: { orders: number; benchQueries: number; temporal: Client; workflowIds: string[] }): Promise<OrderCost> {
      const after = cpu();
      const backendsAfter = await backends();
      const stoppedAt = Date.now();
      // A backend opened in the span counts from its start.
      const backendTicks = [...backendsAfter].reduce((t, [pid, ticks]) => t + ticks - (backendsBefore.get(pid) ?? 0), 0);
      const per = (k: keyof typeof before) => Number((((after[k] - before[k]) * TICK_MS) / opts.orders).toFixed(1));
      const c = { api: per('api'), worker: per('worker'), temporal: per('temporal'), postgres: per('postgres') };
      const postgresBackends = Number(((backendTicks * TICK_MS) / opts.orders).toFixed(1));
      const cpuMsPerOrder: CpuMsPerOrder = {
        ...c,
        total: Number((c.api + c.worker + c.temporal + c.postgres).toFixed(1)),
        postgresBackends,
        totalWithBackends: Number((c.api + c.worker + c.temporal + postgresBackends).toFixed(1)),
      };
      const history = await sampleHistories(opts.temporal, opts.workflowIds);
      const wait = stoppedAt + STATS_FLUSH_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const commitsAfter = await commits();
      await admin.end();
      return { cpuMsPerOrder, ...history, commitsPerOrder: Number(((commitsAfter - commitsBefore - opts.benchQueries) / opts.orders).toFixed(2)) };
    },
  };
}

/** Up to `size` of the workflows, spread over the list. */
export function sample<T>(xs: T[], size = Number(process.env.BENCH_HISTORY_SAMPLE ?? 20)): T[] {
  const step = Math.max(1, xs.length / size);
  const picked: T[] = [];
  for (let i = 0; i < xs.length && picked.length < size; i += step) picked.push(xs[Math.floor(i)]!);
  return picked;
}

/** Mean history events and workflow tasks of these workflows (latest run), once closed or after a minute. */
async function sampleHistories(client: Client, workflowIds: string[]) {
  const deadline = Date.now() + 60_000;
  let events = 0;
  let tasks = 0;
  let open = 0;
  for (const id of workflowIds) {
    const handle = client.workflow.getHandle(id);
    let running = true;
    while (running && Date.now() < deadline) {
      running = (await handle.describe()).status.name === 'RUNNING';
      if (running) await new Promise((r) => setTimeout(r, 500));
    }
    if (running) open++;
    const history = await handle.fetchHistory();
    events += history.events?.length ?? 0;
    tasks += history.events?.filter((e) => e.workflowTaskCompletedEventAttributes).length ?? 0;
  }
  const n = Math.max(1, workflowIds.length);
  return { eventsPerOrder: Number((events / n).toFixed(1)), workflowTasksPerOrder: Number((tasks / n).toFixed(2)), historySample: workflowIds.length, historiesOpen: open };
}

/** The cost table: one row per scenario that has one, with its ratio to the floor. */
export function printCosts(rows: ({ scenario: string; ledger: string; ratioToFloor?: number | null; ratioToFloorWithBackends?: number | null } & Partial<OrderCost>)[]): void {
  const costed = rows.filter((r) => r.cpuMsPerOrder);
  if (!costed.length) return;
  console.log('per booked order: CPU ms by process, order workflow history, PostgreSQL commits');
  console.table(
    costed.map((r) => ({
      scenario: r.scenario,
      ledger: r.ledger,
      ...r.cpuMsPerOrder,
      events: r.eventsPerOrder,
      workflowTasks: r.workflowTasksPerOrder,
      commits: r.commitsPerOrder,
      ratioToFloor: r.ratioToFloor,
      ratioWithBackends: r.ratioToFloorWithBackends,
    })),
  );
}
