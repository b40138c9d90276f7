import { BookingError } from '../../../domain/errors';
import type { InvoicePlan } from '../../../domain/posting';
import type { HttpClient } from '../http';
import type { RecordIds } from '../record-ids';
import type { BillyOptions } from './client';
import type { z } from 'zod';
import { createdRecord, findInList } from './lists';
import { contact, list } from './schemas';

/**
 * The contact an invoice is made out to. Per customer: read from the contact list page by page (Billy documents no
 * free-text `q` on contacts) and matched exactly on a contact person's e-mail, or on the name when the order has no
 * e-mail; else created as a person with that contact person. Collective: the configured webshop contact.
 * The id found or created is remembered (`ids`), so a returning customer's next invoice reads no list.
 */
export async function contactIdFor(client: HttpClient, o: BillyOptions, who: InvoicePlan['customer'], ids: RecordIds): Promise<string> {
  if (o.customerMode === 'collective') {
    if (!o.collectiveCustomer) throw new BookingError('ledger_rejected', { vendor: 'Billy', reason: 'collectiveCustomer (a contact id) is not configured' });
    return o.collectiveCustomer;
  }
  const key = contactKey(o, who);
  const known = await ids.recall('contact', key);
  if (known) return known;
  const id = await findOrCreateContact(client, o, who);
  await ids.remember('contact', key, id);
  return id;
}

/** What identifies a customer's contact in one organization: the e-mail, or the name when the order has none. */
export const contactKey = (o: BillyOptions, who: InvoicePlan['customer']) =>
  `${o.organizationId}\n${who.email ? `email:${who.email.toLowerCase()}` : `name:${who.name}`}`;

async function findOrCreateContact(client: HttpClient, o: BillyOptions, who: InvoicePlan['customer']): Promise<string> {
  const email = who.email?.toLowerCase();
  const isTheCustomer = (c: z.infer<typeof contact>) =>
    email ? (c.contactPersons ?? []).some((p) => p.email?.toLowerCase() === email) : c.name === who.name;
  const match = await findInList(client, 'contacts', contact, '/contacts', { organizationId: o.organizationId, include: 'contact.contactPersons:embed' }, isTheCustomer);
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
  // The answer may carry the contact persons beside the contact rather than in it: the name is what we wrote.
  return createdRecord(created.contacts, (c) => c.name === who.name, 'the contact').id;
}
