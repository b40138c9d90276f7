import { describe, expect, it } from 'vitest';
import { isOlderSnapshot } from '../../../src/domain/snapshot';

describe('an order snapshot delivered late', () => {
  it('is older when the shop changed it before the current one, whatever the offsets say', () => {
    expect(isOlderSnapshot({ updatedAt: '2026-11-02T10:05:00+01:00' }, { updatedAt: '2026-11-02T10:00:00+01:00' })).toBe(true);
    // 09:30Z is after 10:00+01:00 (09:00Z): newer, although its clock reads earlier.
    expect(isOlderSnapshot({ updatedAt: '2026-11-02T10:00:00+01:00' }, { updatedAt: '2026-11-02T09:30:00Z' })).toBe(false);
  });

  it('is not older when it is the same change (a duplicate delivery) or when either side does not say', () => {
    expect(isOlderSnapshot({ updatedAt: '2026-11-02T10:00:00Z' }, { updatedAt: '2026-11-02T10:00:00Z' })).toBe(false);
    expect(isOlderSnapshot(undefined, { updatedAt: '2026-11-02T10:00:00Z' })).toBe(false);
    expect(isOlderSnapshot({ updatedAt: '2026-11-02T10:00:00Z' }, {})).toBe(false);
    expect(isOlderSnapshot({}, { updatedAt: '2026-11-02T10:00:00Z' })).toBe(false);
  });
});
