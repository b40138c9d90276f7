import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { and, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { settlementUploads } from '../../db/schema';
import { bulkTaskQueue, workflowIds } from '../../workflows/definitions';
import type { settlementUploadWorkflow } from '../../workflows/settlement-upload';
import { shopPriority } from '../temporal/fairness';

export type UploadStatus = 'received' | 'parsing' | 'done' | 'refused';

/** The outcome of a file that was read: the payouts found, how many were new, and their bookings. */
export interface UploadResult {
  payouts: number;
  new: number;
  workflowIds: string[];
}

/** Why a file was refused: the 1-based line and what is wrong there. */
export interface UploadRefusal {
  line: number;
  reason: string;
}

/**
 * Stores an uploaded settlement file and starts reading it off the request path (workflows/settlement-upload.ts): a
 * large file is parsed by a worker activity as a stream, never inside the API's request. The same file uploaded again
 * is read again (payouts already known are left alone, so its result says new: 0) and names the earlier upload.
 */
export async function storeSettlementUpload(
  db: Db,
  temporal: Client,
  taskQueue: string,
  upload: { id: string; shopId: string; connectionId: string; content: string },
): Promise<{ uploadId: string; duplicateOf: string | null }> {
  const sha256 = createHash('sha256').update(upload.content).digest('hex');
  const [earlier] = await db
    .select({ id: settlementUploads.id })
    .from(settlementUploads)
    .where(and(eq(settlementUploads.connectionId, upload.connectionId), eq(settlementUploads.sha256, sha256), ne(settlementUploads.status, 'refused')))
    .orderBy(desc(settlementUploads.createdAt))
    .limit(1);
  await db.insert(settlementUploads).values({ ...upload, sha256, bytes: Buffer.byteLength(upload.content), status: 'received' });
  await temporal.workflow.start<typeof settlementUploadWorkflow>('settlementUploadWorkflow', {
    workflowId: workflowIds.settlementUpload(upload.id),
    // Reading a large file keeps an activity slot for minutes: one of bulk work's own (src/worker.ts), never one that
    // other shops' orders run in, and behind every shop's payouts there (backlog priority).
    taskQueue: bulkTaskQueue(taskQueue),
    args: [{ uploadId: upload.id }],
    priority: shopPriority(upload.shopId, true),
    staticSummary: `settlement file ${upload.id} of connection ${upload.connectionId}`,
  });
  return { uploadId: upload.id, duplicateOf: earlier?.id ?? null };
}

/** One upload of a shop's connection as the status route shows it; null when the shop has no such upload. */
export async function settlementUploadStatus(db: Db, shopId: string, connectionId: string, uploadId: string) {
  const [u] = await db
    .select({
      id: settlementUploads.id,
      status: settlementUploads.status,
      bytes: settlementUploads.bytes,
      sha256: settlementUploads.sha256,
      linesRead: settlementUploads.linesRead,
      result: settlementUploads.result,
      error: settlementUploads.error,
      createdAt: settlementUploads.createdAt,
      finishedAt: settlementUploads.finishedAt,
    })
    .from(settlementUploads)
    .where(and(eq(settlementUploads.shopId, shopId), eq(settlementUploads.connectionId, connectionId), eq(settlementUploads.id, uploadId)));
  if (!u) return null;
  return { ...u, status: u.status as UploadStatus, result: u.result as UploadResult | null, error: u.error as UploadRefusal | null };
}
