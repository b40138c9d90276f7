/**
 * A shop's history: every order (with its refunds) since a date fetched page by page from the store, then the
 * acquirers' payouts, all registered as historical — stored and held, nothing posted until the owner marks them.
 * The cursor lives in the workflow, so a crashed worker resumes at the page it was on.
 */
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { errorCatalog } from '../src/domain/errors';
import { finalStoreErrors, storePageOptions } from './store-page-options';
import { backfillProgressQuery, type BackfillProgress, type BookingFailure } from './definitions';

type Activities = ReturnType<typeof createActivities>;

const { importOrderPage, importPayoutHistory } = proxyActivities<Activities>({
  ...storePageOptions,
  retry: { ...storePageOptions.retry, nonRetryableErrorTypes: [...finalStoreErrors, 'acquirer_credentials_rejected'] },
});
const { recordBackfill } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

export interface BackfillInput {
  shopId: string;
  since: string;
  /** Carried over continue-as-new: where the previous run stopped. */
  resume?: { progress: BackfillProgress; cursor: string | null };
}

/** Pages per run before continuing as new, to keep each history small. */
const pagesPerRun = 100;

export async function backfillWorkflow(input: BackfillInput): Promise<BackfillProgress> {
  const { shopId, since } = input;
  const progress: BackfillProgress = input.resume?.progress ?? {
    status: 'running',
    phase: 'channel',
    since,
    pages: 0,
    orders: 0,
    refunds: 0,
    payouts: 0,
    rejected: 0,
  };
  let cursor = input.resume?.cursor ?? null;
  setHandler(backfillProgressQuery, () => progress);
  const record = () => recordBackfill({ shopId, progress });
  if (!input.resume) await record();

  try {
    for (let pagesThisRun = 0; progress.phase === 'channel'; pagesThisRun++) {
      if (pagesThisRun === pagesPerRun || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof backfillWorkflow>({ shopId, since, resume: { progress, cursor } });
      }
      const page = await importOrderPage({ shopId, since, cursor });
      progress.pages++;
      progress.orders += page.orders;
      progress.refunds += page.refunds;
      progress.rejected += page.rejected;
      cursor = page.next;
      if (cursor === null) progress.phase = 'acquirers';
      await record();
    }
    const payouts = await importPayoutHistory({ shopId, since });
    progress.payouts = payouts.payouts;
    progress.phase = 'done';
    progress.status = 'completed';
  } catch (err) {
    // failureOf rethrows what is not a failure (continue-as-new among them) before anything is marked failed.
    progress.error = failureOf(err);
    progress.status = 'failed';
  }
  await record();
  return progress;
}

function failureOf(err: unknown): BookingFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && cause.type in errorCatalog) return { code: cause.type, details: { message: cause.message } };
  if (err instanceof ActivityFailure) return { code: 'channel_unreachable', details: { activity: err.activityType, message: (cause as Error | undefined)?.message ?? err.message } };
  throw err;
}
