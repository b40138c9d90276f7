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
  const { matched, signalled, more } = await signalSome(db, temporal, shopId, limits, workflowIds, restartSignal);
  return { matched, restarted: signalled, more };
}

/**
 * Sends `signal` to the first of `workflowIds` the shop has room for now (each sets a booking working: a restart, a
 * reviewed draft to book); the rest are `more`, for the next call. 429 with Retry-After when there is no room.
 */
export async function signalSome(
  db: Db,
  temporal: Client,
  shopId: string,
  limits: WorkLimits,
  workflowIds: string[],
  signal: SignalDefinition<[]>,
): Promise<{ matched: number; signalled: number; more: number }> {
  const admitted = await admitSome(db, shopId, limits, workflowIds.length);
  const { signalled } = await signalBookings(temporal, workflowIds.slice(0, admitted), signal);
  return { matched: workflowIds.length, signalled, more: workflowIds.length - admitted };
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
