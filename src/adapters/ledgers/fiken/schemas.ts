import { z } from 'zod';

/**
 * The parts of Fiken API v2 answers the adapter reads (api.fiken.no/api/v2, OpenAPI spec 2.0.0). Amounts are
 * integers in øre. POSTs answer 201 with an empty body and a Location header naming the new resource.
 */

const id = z.number().int();

export const account = z.object({ code: z.string(), name: z.string().optional() }).loose();
export const contact = z.object({ contactId: id, name: z.string(), email: z.string().nullish(), customerAccountCode: z.string().nullish() }).loose();

export const draft = z.object({ draftId: id, uuid: z.string().nullish(), orderReference: z.string().nullish() }).loose();

export const invoice = z
  .object({
    invoiceId: id,
    invoiceNumber: id.nullish(),
    orderReference: z.string().nullish(),
    sale: z.object({ saleId: id }).loose().nullish(),
    currency: z.string().nullish(),
    /** Gross in the invoice currency and in NOK (øre): the invoice's own exchange rate. */
    gross: z.number().int().nullish(),
    grossInNok: z.number().int().nullish(),
  })
  .loose();

/** A contact as documents embed it: its own receivable sub-account ("Format 1500:XXXXX"). */
const customer = z.object({ contactId: id.optional(), customerAccountCode: z.string().nullish() }).loose();

export const creditNote = z
  .object({ creditNoteId: id, creditNoteNumber: id.nullish(), creditNoteDraftUuid: z.string().nullish(), customer: customer.nullish() })
  .loose();

/** A bank account: its account code (1920:XXXXX) is what payments name. */
export const bankAccount = z.object({ accountCode: z.string(), name: z.string().optional() }).loose();

export const payment = z.object({ paymentId: id, amount: z.number().optional(), account: z.string().optional() }).loose();

export const journalEntry = z
  .object({ journalEntryId: id, journalEntryNumber: id.nullish(), description: z.string().nullish(), date: z.string().optional() })
  .loose();

/** VAT types Fiken accepts on sales lines (API description of invoiceishDraftLine.vatType). */
export const salesVatTypes = ['NONE', 'HIGH', 'MEDIUM', 'RAW_FISH', 'LOW', 'EXEMPT_IMPORT_EXPORT', 'EXEMPT', 'OUTSIDE', 'EXEMPT_REVERSE'] as const;
export type FikenVatType = (typeof salesVatTypes)[number];

/** Transaction-level VAT code of a sales VAT type (the API's "VAT Code" table), for journal entry lines. */
export const salesVatCode: Record<FikenVatType, number> = {
  NONE: 7,
  HIGH: 3,
  MEDIUM: 31,
  RAW_FISH: 32,
  LOW: 33,
  EXEMPT_IMPORT_EXPORT: 52,
  EXEMPT: 5,
  OUTSIDE: 6,
  EXEMPT_REVERSE: 51,
};
