import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { shopClient } from './api';
import { cardOrder, refundOf } from './fixtures';

/**
 * The sales behind test/fixtures/settlements/danish-export.csv (a shop's own Danish-style export of Nets payouts,
 * read with examples/settlements/danish-export.mapping.json): orders 1001 and 1002 and refund R-1001, booked, and a
 * generic file connection with the export's column mapping saved. Payout 8812001 then books; 8812002 (EUR) fails.
 */
export async function bookDanishExportSales(api: ReturnType<typeof shopClient>): Promise<{ connectionId: string }> {
  const txn = (n: number) => `0262a3f1e9a04c7c8c2b1d0e5f6a7b8${n}`;
  await api.sendOrder(cardOrder('1001', 10_000, { payment: { method: 'dankort', transactionId: txn(1), amount: 10_000 } }));
  await api.sendOrder(cardOrder('1002', 125_000, { payment: { method: 'visa', transactionId: txn(2), amount: 125_000 } }));
  await api.orderReaches('1001', 'booked');
  await api.orderReaches('1002', 'booked');
  await api.sendRefund(refundOf('R-1001', '1001', 2_500));
  await api.refundReaches('R-1001', 'booked');
  const created = await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'generic' });
  expect(created.statusCode, created.body).toBe(201);
  const connectionId = created.json().connectionId as string;
  const mapping = JSON.parse(readFileSync(new URL('../../examples/settlements/danish-export.mapping.json', import.meta.url), 'utf8'));
  expect((await api.call('PUT', `/v1/acquirers/${connectionId}/csv-mapping`, mapping)).statusCode).toBe(200);
  return { connectionId };
}

/** A file of test/fixtures/settlements as text. */
export const settlementFile = (name: string) => readFileSync(new URL(`../fixtures/settlements/${name}`, import.meta.url), 'utf8');
