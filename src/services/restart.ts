import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { restartSignal } from '../../workflows/definitions';

/**
 * Signals `restart` to each booking; answers how many matched and how many took the signal (a booking that has
 * finished meanwhile cannot be signalled and is not counted).
 */
export async function restartBookings(temporal: Client, workflowIds: string[]): Promise<{ matched: number; restarted: number }> {
  const { matched, signalled } = await signalBookings(temporal, workflowIds, restartSignal);
  return { matched, restarted: signalled };
}

/** Sends a signal without arguments to each booking; answers how many matched and how many took it. */
export async function signalBookings(temporal: Client, workflowIds: string[], signal: SignalDefinition<[]>): Promise<{ matched: number; signalled: number }> {
  const results = await Promise.allSettled(workflowIds.map((id) => temporal.workflow.getHandle(id).signal(signal)));
  return { matched: workflowIds.length, signalled: results.filter((r) => r.status === 'fulfilled').length };
}
