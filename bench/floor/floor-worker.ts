/**
 * The floor's worker process (bench/floor/floor-workflow.ts), with the same workflow task and activity slots as
 * ledgerbridge's main worker (WORKER_WORKFLOW_TASK_SLOTS, WORKER_ACTIVITY_SLOTS and their defaults, src/config.ts) and
 * the SDK's defaults otherwise, as ours. Started by the bench (bench/floor/floor-scenario.ts).
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { loadConfig } from '../../src/config';
import { runMain } from '../../src/main/run';
import { createFloorActivities } from './floor-activities';
import { floorTaskQueue } from './floor-workflow';

runMain(async () => {
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const sql = postgres(config.DATABASE_URL!, { onnotice: () => {} });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: floorTaskQueue,
    workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
    activities: createFloorActivities(sql),
    maxConcurrentWorkflowTaskExecutions: config.WORKER_WORKFLOW_TASK_SLOTS,
    maxConcurrentActivityTaskExecutions: config.WORKER_ACTIVITY_SLOTS,
  });
  const running = worker.run();
  return async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
    await sql.end();
  };
});
