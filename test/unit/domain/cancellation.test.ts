import { describe, expect, it } from 'vitest';
import { cancellationAfterBooking, isCancelled } from '../../../src/domain/cancellation';

describe('cancelled orders', () => {
  it('knows a cancellation by the status the channels send, in either spelling', () => {
    expect(['cancelled', 'Cancelled', 'canceled', ' CANCELLED '].map(isCancelled)).toEqual([true, true, true, true]);
    expect(['paid', 'refunded', 'pending', 'cancel-requested'].map(isCancelled)).toEqual([false, false, false, false]);
  });

  it('ends a booked order once its refunds credit the whole invoice, else names the open amount', () => {
    expect(cancellationAfterBooking(10_000, 10_000, 'DKK')).toEqual({ kind: 'refunded', refunded: 10_000 });
    expect(cancellationAfterBooking(10_000, 2_500, 'DKK')).toEqual({ kind: 'needs_correction', details: { bookedTotal: 10_000, refunded: 2_500, open: 7_500, currency: 'DKK' } });
    expect(cancellationAfterBooking(10_000, 0, 'DKK')).toMatchObject({ kind: 'needs_correction', details: { open: 10_000 } });
  });
});
