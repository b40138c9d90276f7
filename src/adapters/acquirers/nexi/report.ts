import { z } from 'zod';

/**
 * The Nexi Checkout (Nets Easy) Reporting API v1 answers, as far as its documentation (test/fixtures/vendors/nexi) names
 * them. Only what we read is required; amounts are integers in minor units.
 */

const minor = z.number().int();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'must be a date YYYY-MM-DD');
const currency = z.string().regex(/^[A-Z]{3}$/);

export const payoutListSchema = z.object({
  numberOfPayouts: z.number().int().nonnegative(),
  payouts: z.array(z.object({ id: z.string().min(1), date: day, currency, amount: minor, reference: z.string().nullish() })),
});

export const paymentActionSchema = z.object({
  id: z.string().nullish(),
  paymentId: z.string().nullish(),
  paymentAction: z.string().min(1),
  paymentMethod: z.string().nullish(),
  paymentType: z.string().nullish(),
  timestamp: z.string().min(10),
  reference: z.string().nullish(),
  invoiceNumber: z.string().nullish(),
  amount: minor,
  currency,
  fee: minor.nonnegative().default(0),
});
export type PaymentAction = z.infer<typeof paymentActionSchema>;

export const payoutDetailsSchema = z.object({
  id: z.string().min(1),
  reference: z.string().nullish(),
  date: day,
  currency,
  amount: minor,
  chargedAmount: minor.optional(),
  refundedAmount: minor.optional(),
  depositedAmount: minor.optional(),
  fees: minor.optional(),
  numberOfPaymentActions: z.number().int().nonnegative(),
  paymentActions: z.array(paymentActionSchema),
});
