import { readFileSync } from 'node:fs';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../../src/domain/errors';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** The saved views the README tells an operator to create, as written there. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const savedViews = [...readme.matchAll(/^\| \*\*(.+?)\*\* \| `(.+?)` \|/gm)].map((m) => ({ name: m[1]!, query: m[2]! }));

/** A booking's page in the Temporal Web UI: what it shows as the workflow's current details. */
const currentDetails = async (workflowId: string) => (await h.client.workflow.getHandle(workflowId).query(workflowMetadataQuery)).currentDetails ?? '';

describe('the Temporal Web UI as an operator sees it', () => {
  it("a failed order's row names order and shop, its page its error and fix; after the fix and a restart it shows booked", async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('OV1', 10_000, { payment: { method: 'klarna', amount: 10_000 } }));
    await api.orderReaches('OV1', 'failed');
    const workflowId = `order/${shop.shopId}/OV1`;
    const { message, fix } = describeError('unmapped_payment_method');
    // Its row in the list names the order and the shop, not ids.
    const summary = await (await h.client.workflow.getHandle(workflowId).describe()).staticSummary();
    expect(summary).toBe(`Order ${cardOrder('OV1', 10_000).orderNumber} · Test shop`);
    const failed = await currentDetails(workflowId);
    expect(failed).toMatch(/^\*\*order \S+ \(OV1\)\*\* of shop `shop_\w+`: \*\*failed\*\*/);
    expect(failed).toContain(message);
    expect(failed).toContain(fix);

    // The README's saved view for failures finds it, written as the README writes it.
    const failures = savedViews.find((v) => v.name === 'Failed');
    expect(failures, 'README lists a saved view "Failed"').toBeDefined();
    const found = await eventually(async () => {
      for await (const wf of h.client.workflow.list({ query: `${failures!.query} AND ShopId="${shop.shopId}"` })) if (wf.workflowId === workflowId) return true;
      return undefined;
    }, 30_000, 'the failed order in the saved view');
    expect(found).toBe(true);

    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, klarna: { acquirer: 'klarna', receivableAccount: '5816' } } };
    expect((await api.call('PUT', '/v1/mapping', mapping)).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'POST', url: '/v1/orders/OV1/restart', headers: { authorization: `Bearer ${shop.apiKey}` } })).statusCode).toBe(202);
    await api.orderReaches('OV1', 'booked');
    const booked = await currentDetails(workflowId);
    expect(booked).toMatch(/: \*\*booked\*\*/);
    expect(booked).toMatch(/Documents: invoice \d+, payment \d+$/);
    expect(booked).not.toContain('unmapped_payment_method');
  });

  it('every saved view in the README is a query Temporal accepts', async () => {
    expect(savedViews.map((v) => v.name)).toEqual(expect.arrayContaining(['Failed', 'Quota-blocked', 'Waiting longer than a day']));
    for (const view of savedViews) {
      // "<yesterday, e.g. …>" is for the operator to fill in.
      const query = view.query.replace(/"<[^>"]+>"/g, `"${new Date(Date.now() - 86_400_000).toISOString()}"`);
      await expect(h.client.workflow.count(query), view.name).resolves.toMatchObject({ count: expect.any(Number) });
    }
  });
});
