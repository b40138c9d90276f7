import { z } from 'zod';

/**
 * The parts of Uni Economy's answers the adapter reads (test/fixtures/vendors/uni-economy/swagger-extract.json).
 * Every field but the ids is optional: the swagger lists properties, not which ones an answer fills.
 */

/** CustomerInvoice: StatusCode 42001 is a draft; InvoiceNumber is set once it is invoiced (booked). */
export const customerInvoice = z
  .object({ ID: z.number().int(), StatusCode: z.number().int().nullish(), InvoiceNumber: z.string().nullish(), InvoiceType: z.number().int().nullish(), InternalNote: z.string().nullish() })
  .loose();

export const journalEntry = z.object({ ID: z.number().int(), JournalEntryNumber: z.string().nullish(), Description: z.string().nullish() }).loose();

export const account = z.object({ ID: z.number().int(), AccountNumber: z.number().int(), AccountName: z.string().nullish() }).loose();

export const vatType = z.object({ ID: z.number().int(), VatCode: z.string().nullish(), VatPercent: z.number().nullish() }).loose();

export const customer = z.object({ ID: z.number().int() }).loose();

/** Uni's status code of a customer invoice (or credit note) that is still a draft. */
export const DRAFT_STATUS = 42001;
/** InvoiceType: 0 an invoice, 1 a credit note. */
export const CREDIT_NOTE_TYPE = 1;
