import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bookingStateQuery, ledgerQueueQuery, workflowIds } from '../../workflows/definitions';
import type { FaultRunReport } from './scenario';

/** The history's last events in short (type, signal name, failure message): what the workflow last did and saw. */
async function storyOf(handle: ReturnType<Client['workflow']['getHandle']>): Promise<string> {
  const history = await handle.fetchHistory();
  const events = (history.events ?? []).map((e) => {
    const type = String(temporal.api.enums.v1.EventType[e.eventType ?? 0] ?? e.eventType).replace('EVENT_TYPE_', '');
    const signal = e.workflowExecutionSignaledEventAttributes?.signalName ?? e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName;
    const failure = e.workflowTaskFailedEventAttributes?.failure?.message ?? e.activityTaskFailedEventAttributes?.failure?.message;
    const marker = e.markerRecordedEventAttributes?.markerName;
    return [type, signal, marker, failure?.slice(0, 200)].filter(Boolean).join(' ');
  });
  return events.slice(-40).join(' | ');
}

/**
 * Where each booking that did not settle is stuck, from Temporal itself: the workflow's status, what it is waiting
 * for (pending activities, its booking state) and the queue of its ledger. Read before the servers go away.
 */
export async function postMortem(temporalAddress: string, r: FaultRunReport): Promise<string[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection });
  const lines: string[] = [];
  const describe = async (workflowId: string) => {
    const handle = client.workflow.getHandle(workflowId);
    try {
      const d = await handle.describe();
      const pending = (d.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (${a.lastFailure.message.slice(0, 120)})` : ''}`);
      const state = await handle.query(bookingStateQuery).catch((e: Error) => `query failed: ${e.message}`);
      return `${d.status.name}, ${d.historyLength} events, state ${JSON.stringify(state)}${pending.length ? `, pending: ${pending.join('; ')}` : ''}\n      history: ${await storyOf(handle)}`;
    } catch (e) {
      return `describe failed: ${(e as Error).message}`;
    }
  };
  try {
    for (const shop of r.shops) {
      for (const o of r.progress.orders[shop.index] ?? []) {
        if (o.status !== 'booked') lines.push(`order ${o.orderId} (shop ${shop.index + 1}, ${o.status}): ${await describe(workflowIds.order(shop.shopId, o.orderId))}`);
      }
      for (const x of r.progress.refunds[shop.index] ?? []) {
        if (x.status !== 'booked') lines.push(`refund ${x.refundId} (shop ${shop.index + 1}, ${x.status}): ${await describe(workflowIds.refund(shop.shopId, x.refundId))}`);
      }
      const queue = await client.workflow
        .getHandle(workflowIds.ledger(shop.ledgerId))
        .query(ledgerQueueQuery)
        .then((q) => `holder ${q.holder?.workflowId ?? 'none'}, ${q.queue.length} queued${q.queue.length ? ` (first ${q.queue[0]!.workflowId} since ${q.queue[0]!.since})` : ''}, batch ${JSON.stringify(q.batch)}, ${q.postingsTotal} postings`)
        .catch((e: Error) => `query failed: ${e.message}`);
      lines.push(`ledger of shop ${shop.index + 1}: ${queue}`);
    }
  } finally {
    await connection.close();
  }
  return lines;
}
