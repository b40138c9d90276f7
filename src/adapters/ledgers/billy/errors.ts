import { BookingError } from '../../../domain/errors';
import { vendorText, type HttpResult } from '../http';

/**
 * Billy answers errors as `{ meta: { statusCode, success: false }, errorCode, errorMessage }` (validation: 422).
 * The adapter checks accounts, tax rates and products itself before writing, so a 422 that is left is something a
 * person has to read: we pass Billy's own message on.
 */
export function billyRejection(res: HttpResult): Error {
  const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  const meta = (body.meta && typeof body.meta === 'object' ? body.meta : {}) as Record<string, unknown>;
  const errorCode = body.errorCode ?? meta.errorCode;
  return new BookingError('ledger_rejected', {
    vendor: 'Billy',
    status: res.status,
    vendorMessage: vendorText(res.body) || `HTTP ${res.status}`,
    ...(typeof errorCode === 'string' ? { errorCode } : {}),
  });
}
