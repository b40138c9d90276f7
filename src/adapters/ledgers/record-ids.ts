import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { ledgerRecordIds } from '../../../db/schema';

/**
 * What a ledger's records are called in it, remembered per ledger: for records its API offers no filter to find
 * again (Billy's contacts), so a write reads a whole list only the first time. Keys are hashed before they are kept.
 */
export interface RecordIds {
  recall(kind: string, key: string): Promise<string | undefined>;
  remember(kind: string, key: string, vendorId: string): Promise<void>;
  forget(kind: string, key: string): Promise<void>;
}

const hashed = (key: string) => createHash('sha256').update(key).digest('hex');

export function postgresRecordIds(db: Db, ledgerId: string): RecordIds {
  const row = (kind: string, key: string) => and(eq(ledgerRecordIds.ledgerId, ledgerId), eq(ledgerRecordIds.kind, kind), eq(ledgerRecordIds.key, hashed(key)));
  return {
    async recall(kind, key) {
      const [found] = await db.select({ vendorId: ledgerRecordIds.vendorId }).from(ledgerRecordIds).where(row(kind, key));
      return found?.vendorId;
    },
    async remember(kind, key, vendorId) {
      await db
        .insert(ledgerRecordIds)
        .values({ ledgerId, kind, key: hashed(key), vendorId })
        .onConflictDoUpdate({ target: [ledgerRecordIds.ledgerId, ledgerRecordIds.kind, ledgerRecordIds.key], set: { vendorId } });
    },
    async forget(kind, key) {
      await db.delete(ledgerRecordIds).where(row(kind, key));
    },
  };
}

/** For adapters built without a database (unit tests, a connection being checked): remembered for this instance. */
export function memoryRecordIds(): RecordIds {
  const ids = new Map<string, string>();
  return {
    recall: async (kind, key) => ids.get(`${kind}\n${key}`),
    remember: async (kind, key, vendorId) => void ids.set(`${kind}\n${key}`, vendorId),
    forget: async (kind, key) => void ids.delete(`${kind}\n${key}`),
  };
}
