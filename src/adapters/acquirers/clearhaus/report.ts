import { z } from 'zod';

/**
 * Clearhaus Merchant API resources as its reference describes them (test/fixtures/vendors/clearhaus): HAL+JSON with
 * `_links` and `_embedded`; amounts in minor units. Only what we read is required.
 */

const minor = z.number().int();
const link = z.object({ href: z.string().min(1) });
const currency = z.string().regex(/^[A-Z]{3}$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/);

export const settlementSchema = z.object({
  id: z.string().min(1),
  settled: z.boolean(),
  currency,
  payout: z.object({ amount: minor, date: day, cancelled_date: day.nullish(), reference_number: z.string().nullish(), descriptor: z.string().nullish() }).nullish(),
  summary: z.object({ sales: minor, credits: minor, refunds: minor, chargebacks: minor, fees: minor, other_postings: minor, net: minor }),
  reserve: z.object({ amount: minor, date: day.nullish(), cancelled_date: day.nullish() }).nullish(),
  other_postings: z.array(z.object({ date: day, text: z.string(), amount: minor })).nullish(),
  _links: z.object({ 'ch:transactions': link }).loose(),
});
export type Settlement = z.infer<typeof settlementSchema>;

export const settlementsPageSchema = z.object({
  _links: z.object({ next: link.optional() }).loose(),
  _embedded: z.object({ 'ch:settlements': z.array(settlementSchema) }).optional(),
});

export const transactionSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  processed_at: z.string().min(10),
  amount: minor,
  currency,
  reference: z.string().nullish(),
  payment_method: z.string().nullish(),
  card: z.object({ scheme: z.string().nullish() }).nullish(),
  settlement: z.object({ amount_gross: minor, amount_net: minor.nullish(), fees: minor, currency }).nullish(),
});
export type Transaction = z.infer<typeof transactionSchema>;

export const transactionsPageSchema = z.object({
  _links: z.object({ next: link.optional() }).loose(),
  _embedded: z.object({ 'ch:transactions': z.array(transactionSchema) }).optional(),
});

export const tokenSchema = z.object({ access_token: z.string().min(1), token_type: z.string().optional(), expires_in: z.number().optional() });

export const clearhausCredentialsSchema = z.object({ clientId: z.string().min(1).max(200), clientSecret: z.string().min(1).max(500) });
export type ClearhausCredentials = z.infer<typeof clearhausCredentialsSchema>;
