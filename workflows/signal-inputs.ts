/**
 * Signal inputs checked inside the workflow. Signals reach a workflow from whoever can reach the Temporal frontend
 * (its CLI, its Web UI), not only through our API's validation: an input that does not have the shape its handler
 * needs is dropped with a warning in the worker log, so it neither books anything nor wedges the workflow in a
 * task-failure loop.
 *
 * Every check here is by hand, of the fields the workflow code reads: every workflow context evaluates the whole
 * bundle, and a validation library in it cost each open workflow about 17 ms of worker CPU and 1 MiB (issue 16; the
 * lint rule in eslint.config.js and test/unit/workflows/no-zod-in-bundle.test.ts keep it out). That a snapshot is
 * ours comes from the payload codec (src/temporal/payload-codec.ts: only a holder of the key seals a payload), not
 * from its shape. The full check with the API's own schema (src/domain/order.ts) runs outside the sandbox, in the
 * activity every booking calls before it plans (activities/snapshot-check.ts through loadBookingContext): a snapshot
 * that fails it stops as `invalid_snapshot` and nothing is booked. Planning (src/domain/plan-*.ts) runs after that
 * check; the hand checks cover what workflow code reads besides, some of it with no activity in front (an older
 * delivery's updatedAt, a booked order's later snapshots), and fill in the schema's defaults, so that planning sees
 * what the API would have passed on.
 */
import { log } from '@temporalio/workflow';
import type { Order, Refund } from '../src/domain/order';
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

const amount = (v: unknown) => Number.isSafeInteger(v);
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/**
 * What workflows/order.ts reads of a snapshot besides planning: status (cancelled?), updatedAt (older?), orderNumber
 * (a search attribute), payment (split?), and the amounts a booked order's later snapshot is compared on
 * (domain/order-decision.ts changedAmounts). The defaults are orderSchema's own (pricesIncludeVat, a line's kind and
 * discount).
 */
export const orderInput: Check<Order> = (v) => {
  const o = record(v);
  const lines = Array.isArray(o?.lines) ? o.lines.map(record) : undefined;
  const linesOk =
    lines !== undefined &&
    lines.every((l) => l && typeof l.quantity === 'number' && amount(l.unitPrice) && optional(l.discount, amount) && typeof l.vatRate === 'number');
  const ok =
    linesOk &&
    text(o?.orderNumber) &&
    text(o?.status) &&
    typeof o?.currency === 'string' &&
    amount(o?.total) &&
    optional(o?.updatedAt, (t) => typeof t === 'string') &&
    optional(o?.pricesIncludeVat, (b) => typeof b === 'boolean') &&
    optional(o?.payment, (p) => record(p) !== undefined);
  if (!ok) return undefined;
  return {
    ...(o as Order),
    pricesIncludeVat: (o!.pricesIncludeVat as boolean | undefined) ?? true,
    lines: lines!.map((l) => ({ ...l, kind: l!.kind ?? 'goods', discount: l!.discount ?? 0 }) as Order['lines'][number]),
  };
};
/** The refund workflow reads its order's id before the activity's full check (to find the order and wait for it). */
export const refundInput: Check<Refund> = (v) => when(text(record(v)?.orderId), v);
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
