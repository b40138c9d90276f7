/**
 * A stand-in for the bookings and payouts that talk to a ledger workflow: it records every signal the ledger sends
 * it, and holds a granted lock until the test releases it (or never, to let the lease run out).
 */
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { lockGrantedSignal, postingDoneSignal, quotaBlockedSignal, type PostingOutcome } from '../../../workflows/definitions';

export type ProbeEvent =
  | { kind: 'done'; requestId: string; outcome: PostingOutcome; at: number }
  | { kind: 'granted'; requestId: string; at: number }
  | { kind: 'blocked'; requestId: string; at: number };

export const probeEventsQuery = defineQuery<ProbeEvent[]>('probeEvents');
export const stopProbeSignal = defineSignal('stopProbe');

export async function probeWorkflow(): Promise<ProbeEvent[]> {
  const events: ProbeEvent[] = [];
  let stopped = false;
  setHandler(postingDoneSignal, (outcome) => void events.push({ kind: 'done', requestId: outcome.requestId, outcome, at: Date.now() }));
  setHandler(lockGrantedSignal, ({ requestId }) => void events.push({ kind: 'granted', requestId, at: Date.now() }));
  setHandler(quotaBlockedSignal, ({ requestId }) => void events.push({ kind: 'blocked', requestId, at: Date.now() }));
  setHandler(probeEventsQuery, () => events);
  setHandler(stopProbeSignal, () => void (stopped = true));
  await condition(() => stopped);
  return events;
}
