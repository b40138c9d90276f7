import { BookingError } from '../../../domain/errors';
import type { InvoicePlan } from '../../../domain/posting';
import { nameUuid, type HttpClient } from '../http';
import type { DineroOptions } from './client';

/**
 * The contact an invoice is made out to (Dinero requires one to book). Collective: the configured contact guid.
 * Per customer: a contact whose ContactGuid we derive from the customer's e-mail (else name), so it is found again
 * with one GET and never created twice, even by a retry whose first answer was lost.
 */
export async function contactGuidFor(client: HttpClient, o: DineroOptions, who: InvoicePlan['customer']): Promise<string> {
  if (o.customerMode === 'collective') {
    if (!o.collectiveCustomer) throw new BookingError('ledger_rejected', { vendor: 'Dinero', reason: 'collectiveCustomer must name the webshop contact guid' });
    return o.collectiveCustomer;
  }
  const guid = nameUuid(`dinero-contact:${(who.email ?? who.name).trim().toLowerCase()}`);
  const found = await client.request('GET', `/contacts/${guid}`, { allow: [404] });
  if (found.status !== 404) return guid;
  await client.request('POST', '/contacts', {
    allow: [409], // created meanwhile by a concurrent booking: it is there either way
    body: {
      ContactGuid: guid,
      Name: who.name.slice(0, 255),
      ...(who.email ? { Email: who.email } : {}),
      ...(who.vatNumber ? { VatNumber: who.vatNumber } : {}),
      CountryKey: o.countryKey ?? 'DK',
      IsPerson: !who.vatNumber,
      IsMember: false,
      UseCvr: false,
    },
  });
  return guid;
}
