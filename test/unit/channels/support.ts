import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ChannelApiError, ChannelPayloadError } from '../../../src/adapters/channels';
import { orderSchema, refundSchema, type Order, type Refund } from '../../../src/domain/order';
import { lineNetAndVat } from '../../../src/domain/plan-order';

/** A vendor's own published example (test/fixtures/vendors/<vendor>/, see its SOURCE.md), parsed. */
export function vendorExample(path: string): Json {
  return JSON.parse(readFileSync(new URL(`../../fixtures/vendors/${path}`, import.meta.url), 'utf8'));
}

/** A fixture as raw bytes (what the signature covers) and as parsed JSON (what the mapper reads). */
export function fixture(path: string): { raw: Buffer; json: unknown } {
  const raw = readFileSync(new URL(`../../fixtures/channels/${path}`, import.meta.url));
  return { raw, json: JSON.parse(raw.toString('utf8')) };
}

/** JSON as JSON.parse types it: tests reach into fixtures freely to break one field at a time. */
export type Json = ReturnType<typeof JSON.parse>;

/** A deep copy of a fixture's JSON to edit in one test. */
export function edit(path: string): Json {
  return structuredClone(fixture(path).json);
}

/** The mapped order is canonical, and its lines (incl. VAT, rounded per line) add up to the shop's total. */
export function expectCanonicalOrder(order: Order): void {
  expect(orderSchema.parse(order)).toEqual(order);
  const gross = order.lines.map((l) => {
    const { net, vat } = lineNetAndVat(l, order.pricesIncludeVat);
    return net + vat;
  });
  const difference = Math.abs(gross.reduce((a, b) => a + b, 0) - order.total);
  expect(difference).toBeLessThanOrEqual(order.lines.length);
}

export function expectCanonicalRefund(refund: Refund): void {
  expect(refundSchema.parse(refund)).toEqual(refund);
}

/** The path and reason of the ChannelPayloadError a call throws (fails the test on anything else). */
export function payloadError(fn: () => unknown): { path: string; reason: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ChannelPayloadError) return { path: e.path, reason: e.reason };
    throw e;
  }
  throw new Error('expected a ChannelPayloadError, nothing was thrown');
}

/** The ChannelApiError a store call rejects with (fails the test on anything else). */
export async function apiFailure(promise: Promise<unknown>): Promise<ChannelApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ChannelApiError)) throw new Error(`expected a ChannelApiError, got ${String(err)}`);
  return err;
}
