/**
 * Signal inputs checked inside the workflow. Signals reach a workflow from whoever can reach the Temporal frontend
 * (its CLI, its Web UI), not only through our API's validation: an input that does not have the shape its handler
 * needs is dropped with a warning in the worker log, so it neither books anything nor wedges the workflow in a
 * task-failure loop.
 *
 * Order and refund snapshots use the API's own zod schemas (src/domain/order.ts): one definition, so the workflow
 * can never accept what the API refuses. zod is in the workflow bundle already (src/domain/order.ts is imported for
 * isOlderSnapshot) and parsing is pure, so replay sees the same result. The small internal signals (lock, lease,
 * quota, graduation), which only our own workflows and API send, get hand checks of the fields their handlers read.
 */
import { log } from '@temporalio/workflow';
import { config } from 'zod';
import { orderSchema, refundSchema, type Order, type Refund } from '../src/domain/order';

// zod compiles a fast parser (new Function) on a schema's first parse; in the workflow sandbox that happens again in
// every workflow, and a month of orders stalled the worker on it (workflow tasks over 10 s, the ledger's first task
// never picked up). Interpreted parsing costs each snapshot microseconds and compiles nothing.
config({ jitless: true });
import type { LockGrant, LockRelease, LockRequest, PostingOutcome } from './definitions';

type Check<T> = (input: unknown) => T | undefined;

/** The handler, called only with an input that passed `check`. */
export function checked<T>(signal: string, check: Check<T>, handler: (input: T) => void): (input: unknown) => void {
  return (input) => {
    const value = check(input);
    if (value === undefined) {
      log.warn('signal input refused: not the shape the workflow takes', { signal });
      return;
    }
    handler(value);
  };
}

const record = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 500;
const when = <T>(ok: boolean, v: unknown) => (ok ? (v as T) : undefined);

export const orderInput: Check<Order> = (v) => orderSchema.safeParse(v).data;
export const refundInput: Check<Refund> = (v) => refundSchema.safeParse(v).data;
export const lockRequestInput: Check<LockRequest> = (v) => when(text(record(v)?.holderWorkflowId) && text(record(v)?.requestId), v);
export const lockReleaseInput: Check<LockRelease> = (v) => when(text(record(v)?.requestId) && typeof record(v)?.posted === 'boolean', v);
export const requestIdInput: Check<{ requestId: string }> = (v) => when(text(record(v)?.requestId), v);
export const lockGrantInput: Check<LockGrant> = (v) => {
  const ms = record(v)?.leaseMs;
  return when(text(record(v)?.requestId) && typeof ms === 'number' && Number.isFinite(ms) && ms > 0, v);
};
export const postingOutcomeInput: Check<PostingOutcome> = (v) => {
  const r = record(v);
  return when(text(r?.requestId) && (r?.posted === undefined || record(record(r.posted)?.document) !== undefined) && (r?.failure === undefined || record(r.failure) !== undefined), v);
};
/** As PUT /v1/ledger/quota takes it: a positive whole number, or null for no quota. */
export const quotaInput: Check<{ monthlyQuota: number | null }> = (v) => {
  const q = record(v)?.monthlyQuota;
  return when(q === null || (Number.isSafeInteger(q) && (q as number) > 0), v);
};
/** As POST /v1/ledger/graduation/postpone takes it: up to 365 days. */
export const postponeInput: Check<{ days: number }> = (v) => {
  const d = record(v)?.days;
  return when(typeof d === 'number' && d > 0 && d <= 365, v);
};
