import { z } from 'zod';

/**
 * The parts of e-conomic REST answers the adapter reads (restapi.e-conomic.com). Everything else in a document is
 * passed through unchecked: e-conomic adds properties over time and a stricter schema would break on them.
 */

/** Collections: `{ collection: [...], pagination: {...} }`, paged with skippages/pagesize. */
export const collection = <T extends z.ZodType>(item: T) =>
  z.object({ collection: z.array(item), pagination: z.object({ results: z.number().optional() }).loose().optional() }).loose();

export const draftInvoice = z
  .object({
    draftInvoiceNumber: z.number().int(),
    references: z.object({ other: z.string().optional() }).loose().optional(),
    // e-conomic's own totals of the draft, in the invoice currency (decimals); checked against ours.
    netAmount: z.number().optional(),
    vatAmount: z.number().optional(),
    grossAmount: z.number().optional(),
  })
  .loose();

export const bookedInvoice = z
  .object({
    bookedInvoiceNumber: z.number().int(),
    customer: z.object({ customerNumber: z.number().int() }).loose().optional(),
    references: z.object({ other: z.string().optional() }).loose().optional(),
  })
  .loose();

export const customer = z.object({ customerNumber: z.number().int(), name: z.string().optional(), email: z.string().optional() }).loose();

export const account = z.object({ accountNumber: z.number().int(), name: z.string().optional() }).loose();
export const vatAccount = z.object({ vatCode: z.string(), name: z.string().optional(), ratePercentage: z.number().optional() }).loose();
export const paymentTerms = z.object({ paymentTermsNumber: z.number().int() }).loose();

const entry = z.object({ text: z.string().optional() }).loose();

/** A journal voucher: entries grouped by type, as POSTed to /journals/:journalNumber/vouchers. */
export const voucher = z
  .object({
    voucherNumber: z.number().int(),
    accountingYear: z.object({ year: z.string() }).loose(),
    entries: z.record(z.string(), z.array(entry)).optional(),
  })
  .loose();

/** POST /journals/:n/vouchers answers with the created vouchers (bulk creation is supported). */
export const createdVouchers = z.union([z.array(voucher).min(1), voucher.transform((v) => [v])]);

/** e-conomic's error document ("annotated errors" for validation). */
export const errorBody = z
  .object({
    message: z.string().optional(),
    errorCode: z.string().optional(),
    developerHint: z.string().optional(),
    httpStatusCode: z.number().optional(),
    errors: z.unknown().optional(),
  })
  .loose();
