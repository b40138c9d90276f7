import { BookingError } from '../../../domain/errors';
import type { InvoicePlan } from '../../../domain/posting';
import type { HttpClient } from '../http';
import { filterValue, idempotencyKey, type EconomicOptions } from './client';
import { collection, customer } from './schemas';

/**
 * The customer an invoice is made out to. Per customer: found by e-mail (a documented filterable field of
 * /customers), else by exact name, else created; a lost "create" answer is harmless because the retry finds the
 * customer by the same e-mail. Collective: the configured webshop customer.
 */
export async function customerNumberFor(client: HttpClient, o: EconomicOptions, who: InvoicePlan['customer'], currency: string, vatZoneNumber: number): Promise<number> {
  if (o.customerMode === 'collective') {
    const n = Number(o.collectiveCustomer);
    if (!Number.isInteger(n) || n <= 0) throw new BookingError('ledger_rejected', { vendor: 'e-conomic', reason: 'collectiveCustomer must be a customer number' });
    return n;
  }
  const filter = who.email ? `email$eq:${filterValue(who.email)}` : `name$eq:${filterValue(who.name)}`;
  const found = await client.json(collection(customer), 'GET', '/customers', { query: { filter, pagesize: 1 } });
  const first = found.collection[0];
  if (first) return first.customerNumber;
  const body = {
    name: who.name.slice(0, 255),
    ...(who.email ? { email: who.email } : {}),
    ...(who.vatNumber ? { corporateIdentificationNumber: who.vatNumber } : {}),
    currency,
    customerGroup: { customerGroupNumber: o.customerGroupNumber },
    paymentTerms: { paymentTermsNumber: o.paymentTermsNumber },
    vatZone: { vatZoneNumber },
  };
  const created = await client.json(customer, 'POST', '/customers', { body, headers: { 'Idempotency-Key': idempotencyKey('customer', who.email ?? who.name, body) } });
  return created.customerNumber;
}
