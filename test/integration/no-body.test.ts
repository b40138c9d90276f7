import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

interface Operation {
  requestBody?: { content: Record<string, { schema?: { type?: string; required?: string[] } }> };
}

/**
 * Actions without parameters take no body: every POST whose OpenAPI operation has no body, or a body with no required
 * field, is called as `curl -X POST` calls it (nothing) and as many clients do (an empty body typed as JSON), and
 * must not be refused for its body.
 */
describe('actions without parameters', () => {
  it('take no body, and an empty JSON body is no body', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, Operation>> };
    const actions = Object.entries(doc.paths)
      .filter(([, ops]) => ops.post)
      .filter(([, ops]) => Object.values(ops.post!.requestBody?.content ?? {}).every((c) => c.schema?.type === 'object' && !c.schema.required?.length))
      .map(([path]) => path)
      // Admin actions last: rotating the shop's key would end the shop's turn.
      .sort((a, b) => Number(a.startsWith('/v1/admin')) - Number(b.startsWith('/v1/admin')));
    expect(actions).toEqual(expect.arrayContaining(['/v1/ledger/graduation/approve', '/v1/orders/restart', '/v1/backfill']));

    const shop = await h.createShop({ mapping: danishMapping, ledger: { mode: 'draft' } });
    const refused: string[] = [];
    for (const path of actions) {
      const url = path.replace('{shopId}', shop.shopId).replace(/\{\w+\}/g, 'none');
      for (const headers of [{}, { 'content-type': 'application/json' }]) {
        const key = url.startsWith('/v1/admin') ? h.adminKey : shop.apiKey;
        const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, ...headers } });
        // A field that must be named (body.orderIds) is a parameter; the body as a whole refused is the fault.
        const error = res.statusCode === 400 ? res.json().error : null;
        const wholeBody = error?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error?.issues?.some((i: { path: string }) => /^body\.?$/.test(i.path));
        if (wholeBody) refused.push(`POST ${path} ${JSON.stringify(headers)}: ${error.message}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
