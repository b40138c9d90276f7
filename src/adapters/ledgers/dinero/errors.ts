import { BookingError } from '../../../domain/errors';
import { missing, vendorText, type HttpResult } from '../http';

/**
 * Dinero answers 400 for invalid content, with a message (and per-field validation errors) whose exact shape the
 * extract does not document. The adapter checks accounts and VAT codes before writing; an account Dinero still names
 * as unknown is mapped to missing_account.
 */
export function dineroRejection(res: HttpResult): Error {
  const message = vendorText(res.body) || validationText(res.body);
  const acc = /account\D{0,20}(\d{3,6})/i.exec(message);
  if (acc && /not found|does not exist|unknown|findes ikke|ugyldig|invalid/i.test(message)) return missing('missing_account', acc[1]!, { vendorMessage: message });
  return new BookingError('ledger_rejected', { vendor: 'Dinero', status: res.status, vendorMessage: message || `HTTP ${res.status}` });
}

function validationText(body: unknown): string {
  const errors = (body as { validationErrors?: unknown } | undefined)?.validationErrors;
  return errors && typeof errors === 'object' ? JSON.stringify(errors).slice(0, 500) : '';
}
