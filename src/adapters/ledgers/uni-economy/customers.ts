import { BookingError } from '../../../domain/errors';
import type { InvoicePlan } from '../../../domain/posting';
import type { HttpClient } from '../http';
import { odataString, type UniEconomyOptions } from './client';
import { customer } from './schemas';

/**
 * The customer an invoice is made out to. Collective: the configured customer ID. Per customer: found by the
 * customer's e-mail (Info.DefaultEmail), else created with name and e-mail; a buyer without e-mail is found by name.
 */
export async function customerIdFor(client: HttpClient, o: UniEconomyOptions, who: InvoicePlan['customer']): Promise<number> {
  if (o.customerMode === 'collective') {
    if (o.collectiveCustomer === undefined) throw new BookingError('ledger_rejected', { vendor: 'Uni Economy', reason: 'collectiveCustomer must name the webshop customer ID' });
    return o.collectiveCustomer;
  }
  const filter = who.email ? `Info.DefaultEmail.EmailAddress eq ${odataString(who.email.trim().toLowerCase())}` : `Info.Name eq ${odataString(who.name)}`;
  const [found] = await client.json(customer.array(), 'GET', '/customers', { query: { filter, expand: 'Info.DefaultEmail', top: 1 } });
  if (found) return found.ID;
  const made = await client.json(customer, 'POST', '/customers', {
    body: {
      Info: { Name: who.name.slice(0, 255), ...(who.email ? { DefaultEmail: { EmailAddress: who.email.trim().toLowerCase() } } : {}) },
      ...(who.vatNumber ? { OrgNumber: who.vatNumber } : {}),
    },
  });
  return made.ID;
}
