/**
 * The floor's API process: one Fastify route that starts (or signals) the order's workflow by signal-with-start and
 * answers 202, the bare way to hand a webhook to Temporal. Started by the bench (bench/floor/floor-scenario.ts).
 */
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import { loadConfig } from '../../src/config';
import { runMain } from '../../src/main/run';
import { floorOrderSignal, floorOrderWorkflow, floorTaskQueue, floorWorkflowId, type FloorOrder } from './floor-workflow';

runMain(async () => {
  const config = loadConfig(process.env, []);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ ok: true }));
  app.post<{ Body: FloorOrder }>('/v1/webhooks/orders', async (req, reply) => {
    const { orderId, total } = req.body;
    await client.workflow.signalWithStart(floorOrderWorkflow, {
      workflowId: floorWorkflowId(orderId),
      taskQueue: floorTaskQueue,
      signal: floorOrderSignal,
      signalArgs: [{ orderId, total }],
    });
    return reply.code(202).send({ accepted: true });
  });
  await app.listen({ host: '127.0.0.1', port: config.PORT });
  return async () => {
    await app.close();
    await connection.close();
  };
});
