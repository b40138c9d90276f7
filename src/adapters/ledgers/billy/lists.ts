import type { z } from 'zod';
import { BookingError } from '../../../domain/errors';
import type { HttpClient } from '../http';
import { list } from './schemas';

const PAGE_SIZE = 1000; // Billy's largest page

/**
 * The first record of a Billy list that `match` accepts, read page by page (the documented `page`/`pageSize`).
 * Billy documents few list filters (invoices: `externalId`), so records are matched here by what we know of them
 * (their association, our tag) and never by a filter the documents do not list.
 */
export async function findInList<K extends string, T extends z.ZodType>(
  client: HttpClient,
  key: K,
  item: T,
  path: string,
  query: Record<string, string | number>,
  match: (record: z.infer<T>) => boolean,
): Promise<z.infer<T> | null> {
  for (let page = 1; ; page++) {
    const res = (await client.json(list(key, item), 'GET', path, { query: { ...query, page, pageSize: PAGE_SIZE } })) as Record<K, z.infer<T>[]> & {
      meta?: { paging?: { pageCount?: number } };
    };
    const found = res[key].find(match);
    if (found) return found;
    const pageCount = res.meta?.paging?.pageCount ?? 1;
    if (page >= pageCount || res[key].length === 0) return null;
  }
}

/**
 * The record a write created, picked from Billy's answer by what we wrote (an answer lists every record the write
 * changed, e.g. the invoice a payment settles), never by its position.
 */
export function createdRecord<T>(records: readonly T[], match: (record: T) => boolean, what: string): T {
  const found = records.filter(match);
  if (found.length !== 1) {
    throw new BookingError('ledger_rejected', { vendor: 'Billy', reason: `the answer to creating ${what} held ${found.length} matching records, not one` });
  }
  return found[0]!;
}
