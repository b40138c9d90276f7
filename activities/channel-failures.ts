import { ApplicationFailure } from '@temporalio/activity';
import { ChannelApiError } from '../src/adapters/channels/port';
import type { ErrorCode } from '../src/domain/errors';

/**
 * The one mapping of a store's API errors to Temporal failures, for every activity that calls a store (backfill
 * pages, refunds fetched by id): the same fault always has the same catalog code. A rate limit waits as long as
 * the store asked and an outage backs off (both retried); refused keys, a missing object and a refused request are
 * final, with the catalog's fix.
 */
export const channelFailureCode: Record<ChannelApiError['kind'], ErrorCode> = {
  rate_limited: 'channel_rate_limited',
  unavailable: 'channel_unreachable',
  credentials: 'channel_credentials_rejected',
  not_found: 'channel_not_found',
  rejected: 'channel_request_rejected',
};

/** `what` says what was being fetched; `fix` says what to do when the failure is final. */
export function channelFailure(err: unknown, what: string, fix: (kind: ChannelApiError['kind']) => string): unknown {
  if (!(err instanceof ChannelApiError)) return err;
  const type = channelFailureCode[err.kind];
  if (err.kind === 'rate_limited' || err.kind === 'unavailable') {
    return ApplicationFailure.create({ message: `${what}: ${err.message}`, type, nextRetryDelay: err.retryAfterMs });
  }
  return ApplicationFailure.nonRetryable(`${what}: ${err.message}; ${fix(err.kind)}`, type);
}
