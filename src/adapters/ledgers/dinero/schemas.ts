import { z } from 'zod';

/**
 * The parts of Dinero's answers the adapter reads (test/fixtures/vendors/dinero/openapi-extract.yaml; the read
 * models are unverified there, so every field but the ids is optional). Amounts are decimal kroner.
 */

export const created = z.object({ Guid: z.string(), Timestamp: z.string().optional() }).loose();

/** An invoice or credit note: Status Draft until booked (then Booked, Paid, Overdue …), Number once booked. */
export const salesVoucher = z
  .object({ Guid: z.string(), Timestamp: z.string(), Status: z.string().optional(), Number: z.number().int().nullish(), ExternalReference: z.string().nullish() })
  .loose();

export const booked = z.object({ Guid: z.string().optional(), Number: z.number().int().nullish(), Timestamp: z.string().optional() }).loose();

export const manualVoucher = z.object({ Guid: z.string(), Timestamp: z.string(), Status: z.string().optional(), VoucherNumber: z.number().int().nullish() }).loose();

export const paymentList = z
  .object({ Payments: z.array(z.object({ Guid: z.string().optional(), ExternalReference: z.string().nullish(), Description: z.string().nullish() }).loose()) })
  .loose();

export const account = z.object({ AccountNumber: z.number().int(), Name: z.string().optional(), VatCode: z.string().nullish() }).loose();

export const vatType = z.object({ VatCode: z.string(), Name: z.string().optional(), VatRate: z.number().optional() }).loose();

/** Dinero's VAT code for "no VAT" on a voucher line. */
export const NO_VAT = 'none';
