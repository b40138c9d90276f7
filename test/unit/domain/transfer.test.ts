import { describe, expect, it } from 'vitest';
import { transferHold } from '../../../src/domain/transfer';

describe('transferHold', () => {
  it('lets live bookings of an automatic shop post', () => {
    expect(transferHold('automatic', { historical: false, marked: false })).toBeNull();
  });

  it('holds live bookings until the shop activates automatic transfer, and says how to activate', () => {
    expect(transferHold('held', { historical: false, marked: false })).toMatch(/not activated.*\/v1\/transfer\/activate/);
  });

  it('holds historical bookings even after activation, until marked', () => {
    expect(transferHold('automatic', { historical: true, marked: false })).toMatch(/historical.*\/v1\/transfer\/mark/);
    expect(transferHold('held', { historical: true, marked: false })).toMatch(/historical/);
  });

  it('posts whatever the owner marked, held shop or not', () => {
    for (const mode of ['automatic', 'held'] as const) {
      for (const historical of [true, false]) expect(transferHold(mode, { historical, marked: true })).toBeNull();
    }
  });
});
