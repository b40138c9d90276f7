import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DandomainOrderService } from '../../../src/adapters/channels/dandomain';
import { apiFailure } from './support';
import { DANDOMAIN_KEY, dandomainOrderFrom, startFakeDandomain, type FakeDandomain } from '../../support/fake-channels/dandomain';

let shop: FakeDandomain;
beforeAll(async () => {
  shop = await startFakeDandomain();
  const t = Date.parse('2026-11-20T10:00:00Z');
  shop.seed(...Array.from({ length: 5 }, (_, i) => dandomainOrderFrom(i + 1, t + i * 60_000)));
});
afterAll(() => shop?.close());

const service = (apiKey = DANDOMAIN_KEY) => new DandomainOrderService({ storeUrl: shop.url, apiKey, timeoutMs: 2000 });

describe('Dandomain order service client', () => {
  it('reads changed orders page by page with the documented parameters only', async () => {
    const page1 = await service().changedOrders('2026-11-20T09:00:00', '2026-11-20T11:00:00', 1, 3);
    const page2 = await service().changedOrders('2026-11-20T09:00:00', '2026-11-20T11:00:00', 2, 3);
    expect([...page1, ...page2].map((o) => (o as { id: number }).id)).toEqual([300001, 300002, 300003, 300004, 300005]);
    const last = shop.http.requests.at(-1)!;
    expect([...last.query.keys()]).toEqual(['start', 'end', 'pageIndex', 'pageSize']);
    expect(last.path).toBe(`/admin/WEBAPI/Endpoints/v1_0/OrderService/${DANDOMAIN_KEY}/GetByModifiedInterval`);
  });

  it('a refused key is a credentials error that never shows the key, even when the answer echoes it', async () => {
    const wrong = '11111111-2222-3333-4444-555555555555';
    const refused = await apiFailure(service(wrong).changedOrders('2026-11-20T09:00:00', '2026-11-20T11:00:00', 1, 3));
    expect(refused.kind).toBe('credentials');
    expect(refused.message).toMatch(/OrderService\/\{KEY\}\/GetByModifiedInterval/);
    expect(refused.message).not.toContain(wrong);

    shop.http.inject({ status: 500, message: `Error at /OrderService/${DANDOMAIN_KEY}/GetByModifiedInterval` });
    const echoed = await apiFailure(service().changedOrders('2026-11-20T09:00:00', '2026-11-20T11:00:00', 1, 3));
    expect(echoed.kind).toBe('unavailable');
    expect(echoed.message).toContain('{KEY}');
    expect(echoed.message).not.toContain(DANDOMAIN_KEY);
  });
});
