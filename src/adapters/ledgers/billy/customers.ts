import { BookingError } from '../../../domain/errors';
import type { InvoicePlan } from '../../../domain/posting';
import type { HttpClient } from '../http';
import type { BillyOptions } from './client';
import { contact, list } from './schemas';

/**
 * The contact an invoice is made out to. Per customer: searched with the list's `q` (free text), then matched
 * exactly on a contact person's e-mail, or on the name when the order has no e-mail; else created as a person with
 * that contact person. Collective: the configured webshop contact.
 */
export async function contactIdFor(client: HttpClient, o: BillyOptions, who: InvoicePlan['customer']): Promise<string> {
  if (o.customerMode === 'collective') {
    if (!o.collectiveCustomer) throw new BookingError('ledger_rejected', { vendor: 'Billy', reason: 'collectiveCustomer (a contact id) is not configured' });
    return o.collectiveCustomer;
  }
  const email = who.email?.toLowerCase();
  const found = await client.json(list('contacts', contact), 'GET', '/contacts', {
    query: { organizationId: o.organizationId, q: who.email ?? who.name, isCustomer: true, include: 'contact.contactPersons:embed', pageSize: 100 },
  });
  const match = found.contacts.find((c) =>
    email ? (c.contactPersons ?? []).some((p) => p.email?.toLowerCase() === email) : c.name === who.name,
  );
  if (match) return match.id;
  const created = await client.json(list('contacts', contact), 'POST', '/contacts', {
    body: {
      contact: {
        organizationId: o.organizationId,
        type: 'person',
        name: who.name,
        countryId: o.countryId ?? 'DK',
        isCustomer: true,
        ...(who.vatNumber ? { registrationNo: who.vatNumber } : {}),
        contactPersons: email ? [{ name: who.name, email: who.email, isPrimary: true }] : [],
      },
    },
  });
  const first = created.contacts[0];
  if (!first) throw new BookingError('ledger_rejected', { vendor: 'Billy', reason: 'creating the contact returned no contact' });
  return first.id;
}
