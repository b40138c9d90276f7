/**
 * Runs on a Temporal Schedule per Dandomain shop (Dandomain sends no webhooks): reads the orders created or changed
 * since the cursor, page by page, and hands each page to the intake. The cursor is this workflow's result, which the
 * schedule gives the next run (lastResult); it moves only when every page of the interval was handed over, and the
 * page index only after its page was, so a worker that dies mid-page reads that page again (booking is by order id).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { storePageOptions } from './store-page-options';

const { pollDandomainPage } = proxyActivities<ReturnType<typeof createActivities>>(storePageOptions);

export interface PollDandomainInput {
  shopId: string;
  /** Where the first poll starts (ISO 8601); later polls start at the previous poll's cursor. */
  since: string;
  pageSize?: number;
}

export interface PollDandomainResult {
  /** The end of the interval read: the next poll reads from here (less the overlap). */
  cursor: string;
  pages: number;
  orders: number;
}

/**
 * Each poll re-reads three hours before the cursor: whether the service reads our times as UTC or the shop's time is
 * not documented, and an order changed while we paged may have moved between pages. Orders read twice book once.
 */
const overlapMs = 3 * 3_600_000;

export async function pollDandomainWorkflow(input: PollDandomainInput): Promise<PollDandomainResult> {
  const previous = workflowInfo().lastResult as PollDandomainResult | undefined;
  const from = previous?.cursor ? new Date(Date.parse(previous.cursor) - overlapMs).toISOString() : input.since;
  // Workflow time is the run's own (replayed the same), so the interval's end is fixed for the whole run.
  const end = new Date(Date.now()).toISOString();
  const pageSize = input.pageSize ?? 100;
  let pages = 0;
  let orders = 0;
  for (let pageIndex = 1; ; pageIndex++) {
    const page = await pollDandomainPage({ shopId: input.shopId, start: from, end, pageIndex, pageSize });
    pages++;
    orders += page.received;
    if (page.received < pageSize) break;
  }
  return { cursor: end, pages, orders };
}
