import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { acquirerConnections, settlementUploads } from '../db/schema';
import { findLedgerOfShop } from '../src/services/ledger-settings-repository';
import { genericCsvMappingSchema, parseSettlementStream, SettlementParseError, type SettlementFormat } from '../src/adapters/acquirers/files';
import type { Payout } from '../src/domain/payout';
import { ingestPayouts } from '../src/services/payout-intake';
import type { UploadRefusal, UploadResult } from '../src/services/settlement-uploads';

/** Characters handed to the CSV parser at a time; the event loop gets a turn after each. */
const CHUNK_CHARS = 64 * 1024;

async function* chunksOf(text: string) {
  for (let at = 0; at < text.length; at += CHUNK_CHARS) yield text.slice(at, at + CHUNK_CHARS);
}

export function settlementUploadActivities(deps: { db: Db; client: Client; taskQueue: string }) {
  const { db } = deps;
  return {
    /**
     * Reads a stored settlement file with the csv-parse stream parser, handing it one 64 KiB slice of the text per
     * event-loop turn (progress every 10,000 rows), then stores its payouts all or none and starts their bookings, as
     * the upload route once did inside the request. The file's text is loaded whole (one column of one row): the
     * slices keep the worker's other activities and workflows running while a large file is parsed, they do not
     * bound its memory. A refused file ends as 'refused' with the line and reason. Run again, it answers what it found.
     */
    async readSettlementUpload(input: { uploadId: string }): Promise<{ status: 'done' | 'refused'; payouts: number }> {
      const where = eq(settlementUploads.id, input.uploadId);
      // The file itself (up to 160 MiB) only once it is to be read: a run that finds it read answers without it.
      const [upload] = await db
        .select({ connectionId: settlementUploads.connectionId, status: settlementUploads.status, result: settlementUploads.result })
        .from(settlementUploads)
        .where(where);
      if (!upload) throw ApplicationFailure.nonRetryable(`settlement upload ${input.uploadId} is gone`, 'upload_missing');
      if (upload.status === 'done') return { status: 'done', payouts: (upload.result as UploadResult).payouts };
      if (upload.status === 'refused') return { status: 'refused', payouts: 0 };
      const [connection] = await db.select().from(acquirerConnections).where(eq(acquirerConnections.id, upload.connectionId));
      if (!connection) throw ApplicationFailure.nonRetryable(`acquirer connection ${upload.connectionId} is gone`, 'upload_missing');
      await db.update(settlementUploads).set({ status: 'parsing', linesRead: 0 }).where(where);

      const [file] = await db.select({ content: settlementUploads.content }).from(settlementUploads).where(where);
      if (!file) throw ApplicationFailure.nonRetryable(`settlement upload ${input.uploadId} is gone`, 'upload_missing');
      let list: Payout[];
      try {
        const mapping = connection.csvMapping ? genericCsvMappingSchema.parse(connection.csvMapping) : undefined;
        list = await parseSettlementStream(connection.source as SettlementFormat, chunksOf(file.content), connection.acquirer, mapping, async (rows) => {
          heartbeat(rows);
          await db.update(settlementUploads).set({ linesRead: rows }).where(where);
        });
      } catch (err) {
        if (!(err instanceof SettlementParseError)) throw err;
        const error: UploadRefusal = { line: err.lineNumber, reason: err.reason };
        await db.update(settlementUploads).set({ status: 'refused', error, finishedAt: new Date() }).where(where);
        return { status: 'refused', payouts: 0 };
      }
      const ledger = await findLedgerOfShop(db, connection.shopId);
      if (!ledger) throw ApplicationFailure.nonRetryable(`shop ${connection.shopId} has no ledger`, 'upload_missing');
      const ingested = await ingestPayouts(db, deps.client, deps.taskQueue, connection, ledger.id, list, { progress: (started) => heartbeat(started) });
      const result: UploadResult = { payouts: list.length, ...ingested };
      await db.update(settlementUploads).set({ status: 'done', result, finishedAt: new Date() }).where(where);
      return { status: 'done', payouts: list.length };
    },
  };
}
