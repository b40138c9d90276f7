import { z } from 'zod';
import { BookingError } from '../../../domain/errors';
import type { InvoicePlan } from '../../../domain/posting';
import type { HttpClient } from '../http';
import { createdId, type FikenOptions } from './client';
import { contact } from './schemas';

/**
 * The customer (contact) an invoice is made out to. Per customer: found by e-mail, or by name when the order has
 * none (both documented filters of /contacts), else created as a customer. Collective: the configured contact.
 */
export async function customerIdFor(client: HttpClient, o: FikenOptions, who: InvoicePlan['customer']): Promise<number> {
  if (o.customerMode === 'collective') {
    const n = Number(o.collectiveCustomer);
    if (!Number.isInteger(n) || n <= 0) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: 'collectiveCustomer must be a contact id' });
    return n;
  }
  const query = who.email ? { email: who.email, customer: true } : { name: who.name, customer: true };
  const found = await client.json(z.array(contact), 'GET', '/contacts', { query: { ...query, page: 0, pageSize: 1 } });
  if (found[0]) return found[0].contactId;
  const res = await client.request('POST', '/contacts', {
    body: {
      name: who.name.slice(0, 200),
      ...(who.email ? { email: who.email } : {}),
      ...(who.vatNumber ? { organizationNumber: who.vatNumber } : {}),
      customer: true,
    },
  });
  return createdId(res, 'POST /contacts');
}
