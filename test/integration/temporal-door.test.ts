import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { intakeHandoffs } from '../../db/schema';
import { orderSnapshotSignal, workflowIds } from '../../workflows/definitions';
import { temporalDataConverter } from '../../src/temporal/data-converter';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/**
 * Someone who reaches the Temporal frontend (not our API) signals order snapshots straight into workflows: forged
 * in clear when payloads are encrypted, or malformed.
 */
const { EventType } = temporal.api.enums.v1;
let h: Harness;
let intruder: Client;
let intruderConnection: Connection;
beforeAll(async () => {
  h = await startHarness({ dataConverter: temporalDataConverter({ PAYLOAD_KEY: randomBytes(32).toString('base64') }) });
  intruderConnection = await Connection.connect({ address: inject('temporalAddress') });
  intruder = new Client({ connection: intruderConnection });
});
afterAll(async () => {
  await intruderConnection?.close();
  await h?.close();
});

const eventTypes = async (workflowId: string) =>
  ((await h.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).map((e) => e.eventType);

/** The relay has signalled the shop's stored deliveries to their bookings. */
const handedOver = (shopId: string) =>
  eventually(async () => ((await h.db.select().from(intakeHandoffs).where(eq(intakeHandoffs.shopId, shopId))).length === 0 ? true : undefined));

describe('signals from outside the API', () => {
  it('does not book an order snapshot sent in clear while payloads are encrypted', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const workflowId = workflowIds.order(shop.shopId, 'FORGED-1');
    await intruder.workflow.signalWithStart('orderWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ shopId: shop.shopId, orderId: 'FORGED-1' }],
      signal: orderSnapshotSignal,
      signalArgs: [cardOrder('FORGED-1', 99_900)],
    });
    // The workflow ran its first task and stays waiting for a snapshot: no activity, nothing booked.
    await eventually(async () => ((await eventTypes(workflowId)).includes(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) ? true : undefined));
    expect((await eventTypes(workflowId)).filter((t) => t === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED || t === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
    // The shop's own order through the API books as always.
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('REAL-1', 10_000));
    await api.orderReaches('REAL-1', 'booked');
    expect((await api.journal()).map((v) => v.reference)).not.toContain('FORGED-1');
  });

  it('drops a malformed snapshot instead of wedging the workflow: the real one books after it', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const workflowId = workflowIds.order(shop.shopId, 'W-1');
    // Sealed like ours (the intruder has the key, or there is none), but not an order.
    await h.client.workflow.signalWithStart('orderWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ shopId: shop.shopId, orderId: 'W-1' }],
      signal: orderSnapshotSignal,
      signalArgs: [{ orderId: 'W-1', status: 'paid', total: 'lots' } as never],
    });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('W-1', 10_000));
    await api.orderReaches('W-1', 'booked');
    expect(await eventTypes(workflowId)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  });

  it('stops a snapshot the API would refuse as invalid_snapshot before anything is booked; the shop\'s own books after a restart', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    // The shop's order, not ready yet: its booking waits.
    await api.sendOrder(cardOrder('W-2', 10_000, { status: 'pending' }));
    await handedOver(shop.shopId);
    // Everything the workflow reads is there, but the API refuses it (country in small letters, no customer).
    const { customer: _customer, ...forged } = cardOrder('W-2', 99_900, { deliveryCountry: 'dk' });
    await h.client.workflow.getHandle(workflowIds.order(shop.shopId, 'W-2')).signal(orderSnapshotSignal, forged as never);
    const failed = await api.orderReaches('W-2', 'failed');
    expect(failed.error?.code).toBe('invalid_snapshot');
    expect((failed.error?.details.issues as { field: string }[]).map((i) => i.field).sort()).toEqual(['customer', 'deliveryCountry']);
    expect((await api.journal()).map((v) => v.reference)).not.toContain('W-2');
    expect(await eventTypes(workflowIds.order(shop.shopId, 'W-2'))).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    // The fix the catalog names: the order through the API, then a restart.
    await api.sendOrder(cardOrder('W-2', 10_000));
    // Restarted only once the relay has handed the delivery over: the restart books the latest snapshot.
    await handedOver(shop.shopId);
    expect((await api.call('POST', '/v1/orders/W-2/restart')).statusCode).toBe(202);
    const booked = await api.orderReaches('W-2', 'booked');
    expect(booked.documents.invoice).toBeTruthy();
  });
});
