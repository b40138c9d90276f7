import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { restartSignal } from '../../workflows/definitions';
import { admitSome, type WorkLimits } from './work-limits';

export const restartAnswer = z.object({
  matched: z.number(),
  restarted: z.number(),
  more: z.number().describe('Matched but not restarted by this request (the per-request or per-shop limit): call again for them'),
});

/**
 * A bulk restart within the shop's work limits (src/services/work-limits.ts): the first of `workflowIds` the shop has
 * room for now; the rest are `more`, for the next call.
 */
export async function restartSome(db: Db, temporal: Client, shopId: string, limits: WorkLimits, workflowIds: string[]): Promise<z.infer<typeof restartAnswer>> {
  const admitted = await admitSome(db, shopId, limits, workflowIds.length);
  const { restarted } = await restartBookings(temporal, workflowIds.slice(0, admitted));
  return { matched: workflowIds.length, restarted, more: workflowIds.length - admitted };
}

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
