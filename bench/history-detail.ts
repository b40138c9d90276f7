/**
 * BENCH_HISTORY_DETAIL=1: where Temporal's work per booked order goes, by what the histories hold. For every workflow
 * type that ran since the scenario started: runs, events by type, activities and local activities by name, signals
 * sent and received, workflow tasks; each per booked order. Order workflows are read from the sample the cost meter
 * reads (their figures are means over it); every other type (ledgers, their continued runs) is read whole, as their
 * work is shared by all orders. Printed only: histories cost Temporal CPU to read, so after the meter has stopped.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

type Counts = Record<string, number>;
const EventType = proto.temporal.api.enums.v1.EventType;
const MAX_RUNS = 200;

/** A local activity's name, from its marker's details (Core writes them as JSON; the key's case varies by version). */
function localActivityType(e: proto.temporal.api.history.v1.IHistoryEvent): string {
  const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return '?';
  try {
    const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string; activityType?: string };
    return parsed.activity_type ?? parsed.activityType ?? '?';
  } catch {
    return '?';
  }
}

function countHistory(events: proto.temporal.api.history.v1.IHistoryEvent[], into: Record<string, Counts>) {
  const add = (group: string, key: string) => {
    const g = (into[group] ??= {});
    g[key] = (g[key] ?? 0) + 1;
  };
  for (const e of events) {
    add('events', String(EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', ''));
    if (e.activityTaskScheduledEventAttributes) add('activities', e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') add('localActivities', localActivityType(e));
    if (e.workflowExecutionSignaledEventAttributes) add('signalsReceived', e.workflowExecutionSignaledEventAttributes.signalName ?? '?');
    if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) add('signalsSent', e.signalExternalWorkflowExecutionInitiatedEventAttributes.signalName ?? '?');
  }
}

/** Prints the breakdown; `sampledOrders`: the order workflows the cost meter sampled, `orders`: booked in the scenario. */
export async function printHistoryDetail(client: Client, opts: { scenario: string; since: Date; sampledOrders: string[]; orders: number }): Promise<void> {
  if (process.env.BENCH_HISTORY_DETAIL !== '1') return;
  const byType = new Map<string, { runs: number; counts: Record<string, Counts>; perOrder: number }>();
  const read = async (type: string, workflowId: string, runId: string | undefined, perOrder: number) => {
    const entry = byType.get(type) ?? { runs: 0, counts: {}, perOrder };
    byType.set(type, entry);
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    entry.runs++;
    countHistory(history.events ?? [], entry.counts);
  };
  const sampled = new Set(opts.sampledOrders);
  for (const id of sampled) await read('orderWorkflow (sampled)', id, undefined, 1 / sampled.size);
  const others = new Map<string, { workflowId: string; runId: string }[]>();
  for await (const w of client.workflow.list({ query: `StartTime >= "${opts.since.toISOString()}"` })) {
    if (w.type === 'orderWorkflow') continue;
    const runs = others.get(w.type) ?? [];
    if (runs.length < MAX_RUNS) runs.push({ workflowId: w.workflowId, runId: w.runId });
    others.set(w.type, runs);
  }
  for (const [type, runs] of others) for (const r of runs) await read(type, r.workflowId, r.runId, 1 / opts.orders);
  console.log(`  ${opts.scenario}: history per booked order, by workflow type (BENCH_HISTORY_DETAIL)`);
  for (const [type, { runs, counts, perOrder }] of byType) {
    console.log(`    ${type}: ${runs} runs read${runs >= MAX_RUNS ? ` (capped at ${MAX_RUNS})` : ''}`);
    for (const [group, c] of Object.entries(counts)) {
      const total = Object.values(c).reduce((a, b) => a + b, 0);
      const parts = Object.entries(c)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${(v * perOrder).toFixed(2)}`);
      console.log(`      ${group} ${(total * perOrder).toFixed(2)}: ${parts.join(', ')}`);
    }
  }
}
