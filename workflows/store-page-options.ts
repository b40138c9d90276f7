import type { ActivityOptions } from '@temporalio/workflow';

/** Store errors that asking again will not change (the catalog's channel codes; see activities/channel-failures.ts). */
export const finalStoreErrors = ['channel_api_missing', 'channel_credentials_rejected', 'channel_not_found', 'channel_request_rejected'];

/** An activity that reads one page from a store and hands it over (backfill, Dandomain polling). */
export const storePageOptions = {
  startToCloseTimeout: '10 minutes',
  // A page is a few hundred writes; a worker that died mid-page is noticed by its missing heartbeat, not after 10 minutes.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', maximumAttempts: 20, nonRetryableErrorTypes: finalStoreErrors },
} satisfies ActivityOptions;
