import { expect } from 'vitest';
import type { OrderInput, Refund } from '../../src/domain/order';
import { eventually, type Harness } from './harness';

export interface JournalVoucher {
  number: number | null;
  kind: string;
  reference: string;
  state: string;
  lines: { account: string; amount: number; text: string; vatCode: string | null }[];
}

export interface OrderView {
  orderId: string;
  status: string;
  documents: Record<string, string | null>;
  error: { code: string; message: string; fix: string; details: Record<string, unknown> } | null;
}

/** A shop as its owner uses the API: with its own key. */
export function shopClient(h: Harness, apiKey: string) {
  const headers = { authorization: `Bearer ${apiKey}` };
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    h.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const self = {
    call,
    async sendOrder(order: OrderInput) {
      const res = await call('POST', '/v1/webhooks/orders', order);
      expect(res.statusCode, res.body).toBe(202);
    },
    async sendRefund(refund: Refund) {
      const res = await call('POST', '/v1/webhooks/refunds', refund);
      expect(res.statusCode, res.body).toBe(202);
    },
    async order(orderId: string): Promise<OrderView | undefined> {
      const res = await call('GET', `/v1/orders/${orderId}`);
      return res.statusCode === 200 ? res.json() : undefined;
    },
    /** Waits until the order reaches `status` (or fails the test with the status it is stuck in). */
    async orderReaches(orderId: string, status: string, timeoutMs = 60_000): Promise<OrderView> {
      let last: OrderView | undefined;
      try {
        return await eventually(async () => {
          last = await self.order(orderId);
          return last?.status === status ? last : undefined;
        }, timeoutMs);
      } catch {
        throw new Error(`order ${orderId} did not reach ${status}; last seen: ${JSON.stringify(last)}`);
      }
    },
    async refundReaches(refundId: string, status: string, timeoutMs = 60_000) {
      return eventually(async () => {
        const res = await call('GET', `/v1/refunds/${refundId}`);
        return res.statusCode === 200 && res.json().status === status ? res.json() : undefined;
      }, timeoutMs, `refund ${refundId} ${status}`);
    },
    /** Uploads a settlement file (answered 202 at once) and waits until it is read: 'done' or 'refused'. */
    async uploadSettlement(connectionId: string, csv: string, timeoutMs = 60_000) {
      const res = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${connectionId}/settlements`, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
      expect(res.statusCode, res.body).toBe(202);
      return self.uploadFinished(connectionId, res.json().uploadId, timeoutMs);
    },
    /** Waits until a settlement upload is read; answers its status view. */
    async uploadFinished(connectionId: string, uploadId: string, timeoutMs = 60_000) {
      return eventually(async () => {
        const res = await call('GET', `/v1/acquirers/${connectionId}/uploads/${uploadId}`);
        return res.statusCode === 200 && ['done', 'refused'].includes(res.json().status) ? res.json() : undefined;
      }, timeoutMs, `upload ${uploadId} read`);
    },
    /** Waits until the payout reaches `status`; answers its view. */
    async payoutReaches(connectionId: string, payoutId: string, status: string) {
      return eventually(async () => {
        const res = await call('GET', `/v1/payouts/${connectionId}/${payoutId}`);
        return res.statusCode === 200 && res.json().status === status ? res.json() : undefined;
      }, 60_000, `payout ${payoutId} ${status}`);
    },
    /** The whole journal, page by page. */
    async journal(query = ''): Promise<JournalVoucher[]> {
      const out: JournalVoucher[] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const res = await call('GET', `/v1/ledger/vouchers?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        out.push(...res.json().vouchers);
        cursor = res.json().nextCursor;
      }
      return out;
    },
  };
  return self;
}

/** Journal lines as [account, amount] pairs, sorted, for exact comparison. */
export const linePairs = (v: JournalVoucher) => v.lines.map((l) => [l.account, l.amount] as const).sort();
