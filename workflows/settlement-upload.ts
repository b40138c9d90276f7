/** Reads one uploaded settlement file and starts the bookings of its payouts (activities/settlement-uploads.ts). */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

// A 160 MB file reads in minutes; the activity heartbeats every 10,000 rows, so a worker that died is noticed soon.
const { readSettlementUpload } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 10, nonRetryableErrorTypes: ['upload_missing'] },
});

export async function settlementUploadWorkflow(input: { uploadId: string }) {
  return readSettlementUpload(input);
}
