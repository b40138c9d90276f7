import { BookingError } from '../../../domain/errors';
import { missing, vendorText, type HttpResult } from '../http';

/**
 * Fiken answers 400 for invalid content; its error body is not part of the published spec, so we read whatever
 * message it carries. The adapter checks accounts and VAT types before writing; an account Fiken still names as
 * unknown (e.g. deleted meanwhile) is mapped to missing_account.
 */
export function fikenRejection(res: HttpResult): Error {
  const message = vendorText(res.body);
  const acc = /account\D{0,20}(\d{4}(?::\d{5})?)/i.exec(message);
  if (acc && /not found|does not exist|unknown|finnes ikke|ugyldig|invalid/i.test(message)) return missing('missing_account', acc[1]!, { vendorMessage: message });
  return new BookingError('ledger_rejected', { vendor: 'Fiken', status: res.status, vendorMessage: message || `HTTP ${res.status}` });
}
