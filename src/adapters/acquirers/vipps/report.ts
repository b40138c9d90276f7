import { z } from 'zod';

/**
 * The Vipps MobilePay Report API's answers as its OpenAPI document (test/fixtures/vendors/vipps) describes them. Only
 * what we read is required; everything else may come and go, as the API adds fields without a version change.
 */

const minor = z.number().int();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** One entry of the `funds` ledger: its amount is what it adds to (or takes from) the balance Vipps MobilePay owes. */
export const fundsEntrySchema = z.object({
  pspReference: z.string().optional(),
  time: z.string().optional(),
  ledgerDate: day,
  entryType: z.string().min(1),
  reference: z.string().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount: minor,
  balanceBefore: minor.optional(),
  balanceAfter: minor.optional(),
  recipientHandle: z.string().optional(),
});
export type FundsEntry = z.infer<typeof fundsEntrySchema>;

/** `GET /report/v2/ledgers/{ledgerId}/funds/dates/{ledgerDate}`: a page of entries; `tryLater` while the date is open. */
export const reportPageSchema = z.object({
  items: z.array(fundsEntrySchema),
  cursor: z.string().optional(),
  hasMore: z.boolean().optional(),
  tryLater: z.boolean().optional(),
});

/** `GET /settlement/v1/ledgers`. */
export const ledgersSchema = z.object({
  items: z.array(z.object({ ledgerId: z.string().min(1), currency: z.string().optional(), settlesForRecipientHandles: z.array(z.string()).optional() })),
  cursor: z.string().optional(),
});

/** The Access token API's answer (`POST /accesstoken/get`). */
export const accessTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.union([z.string(), z.number()]).optional() });

/** What a shop saves to connect Vipps MobilePay: the sales unit's API keys (stored sealed, as JSON). */
export const vippsCredentialsSchema = z.object({
  clientId: z.string().min(1).max(200),
  clientSecret: z.string().min(1).max(500),
  subscriptionKey: z.string().min(1).max(200),
  merchantSerialNumber: z.string().regex(/^\d{4,10}$/, 'must be the sales unit number (MSN), digits only'),
});
export type VippsCredentials = z.infer<typeof vippsCredentialsSchema>;
