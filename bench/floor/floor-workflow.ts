/**
 * The floor (issue 16): the least a Temporal-based booking can cost per order. One workflow per order, started by
 * signal-with-start, that waits for its order and runs one activity doing one INSERT. Nothing else: no validation, no
 * search attributes, no status writes, no ledger. ledgerbridge's CPU per order is measured against this.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { FloorActivities } from './floor-activities';

export interface FloorOrder {
  orderId: string;
  total: number;
}

export const floorOrderSignal = defineSignal<[FloorOrder]>('floorOrder');
export const floorTaskQueue = 'bench-floor';
export const floorWorkflowId = (orderId: string) => `floor/${orderId}`;

const { bookFloorOrder } = proxyActivities<FloorActivities>({ startToCloseTimeout: '1 minute' });

export async function floorOrderWorkflow(): Promise<void> {
  let order: FloorOrder | undefined;
  setHandler(floorOrderSignal, (o) => {
    order = o;
  });
  await condition(() => order !== undefined);
  await bookFloorOrder(order!);
}
