import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { channelFailure } from '../../../activities/channel-failures';
import { ChannelApiError, type ChannelApiErrorKind } from '../../../src/adapters/channels/port';
import { errorCatalog } from '../../../src/domain/errors';

describe("a store's API errors as Temporal failures", () => {
  const kinds: ChannelApiErrorKind[] = ['credentials', 'not_found', 'rate_limited', 'unavailable', 'rejected'];

  it.each(kinds)('%s has one catalog code, with its fix, wherever a store is called', (kind) => {
    const failure = channelFailure(new ChannelApiError(kind, 'Shopify GET /admin/api/orders.json: 4xx', 400), 'order 1001', () => 'do this');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const { type, nonRetryable, message } = failure as ApplicationFailure;
    expect(Object.keys(errorCatalog)).toContain(type);
    // A rate limit and an outage are retried; refused keys, a missing object and a refused request are final.
    expect(nonRetryable).toBe(kind !== 'rate_limited' && kind !== 'unavailable');
    expect(message).toMatch(/^order 1001: /);
    if (nonRetryable) expect(message).toMatch(/do this$/);
  });

  it('waits as long as the store asked', () => {
    const failure = channelFailure(new ChannelApiError('rate_limited', 'rate limited (429)', 429, 2_000), 'order 1001', () => '') as ApplicationFailure;
    expect(failure.nextRetryDelay).toBe(2_000);
  });

  it('leaves other errors alone', () => {
    const bug = new TypeError('x is undefined');
    expect(channelFailure(bug, 'order 1001', () => '')).toBe(bug);
  });
});
