import { z } from 'zod';

/**
 * The parts of Billy API v2 answers the adapter reads (api.billysbilling.com/v2). Billy wraps every answer in
 * `{ meta, <resource>: … }`: a list or a created/changed record under the plural name, one record under the
 * singular name. Unknown properties pass through.
 */

const id = z.string().min(1);

export const invoice = z
  .object({
    id,
    type: z.enum(['invoice', 'creditNote']).optional(),
    state: z.string(),
    invoiceNo: z.union([z.string(), z.number()]).nullish(),
    externalId: z.string().nullish(),
    contactId: z.string().nullish(),
  })
  .loose();

export const account = z.object({ id, accountNo: z.union([z.number(), z.string()]), name: z.string().optional(), isArchived: z.boolean().optional() }).loose();
export const taxRate = z.object({ id, abbreviation: z.string().nullish(), name: z.string().optional(), isActive: z.boolean().optional(), rate: z.number().optional() }).loose();
export const product = z.object({ id }).loose();
export const contactPerson = z.object({ email: z.string().nullish(), name: z.string().nullish() }).loose();
export const contact = z.object({ id, name: z.string(), contactPersons: z.array(contactPerson).optional() }).loose();

export const bankPayment = z
  .object({
    id,
    isVoided: z.boolean().optional(),
    cashAccountId: z.string().nullish(),
    cashAmount: z.number().nullish(),
    cashSide: z.string().nullish(),
    entryDate: z.string().nullish(),
    associations: z.array(z.object({ subjectReference: z.string() }).loose()).optional(),
  })
  .loose();

export const daybookTransaction = z
  .object({ id, voucherNo: z.union([z.string(), z.number()]).nullish(), description: z.string().nullish(), state: z.string().optional(), daybookId: z.string().nullish() })
  .loose();

const paging = z.object({ page: z.number().optional(), pageCount: z.number().optional() }).loose();
const meta = z.object({ paging: paging.optional() }).loose().optional();

/** `{ meta, <plural>: [...] }` */
export const list = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ meta, [key]: z.array(item) } as { meta: typeof meta } & Record<K, z.ZodArray<T>>).loose();

/** `{ meta, <singular>: {...} }` */
export const one = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({ meta, [key]: item } as { meta: typeof meta } & Record<K, T>).loose();
