import type { Client } from '@temporalio/client';
import { restartSignal } from '../../workflows/definitions';

/**
 * Signals `restart` to each booking; answers how many matched and how many took the signal (a booking that has
 * finished meanwhile cannot be signalled and is not counted).
 */
export async function restartBookings(temporal: Client, workflowIds: string[]): Promise<{ matched: number; restarted: number }> {
  const results = await Promise.allSettled(workflowIds.map((id) => temporal.workflow.getHandle(id).signal(restartSignal)));
  return { matched: workflowIds.length, restarted: results.filter((r) => r.status === 'fulfilled').length };
}
