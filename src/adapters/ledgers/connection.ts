import { z } from 'zod';
import { salesVatTypes } from './fiken/schemas';

/**
 * How a shop connects each ledger system: the secrets (sealed at rest, never shown again) and the settings that say
 * where documents go. `baseUrl` is taken only in test configuration (TEST_ENDPOINTS: a local fake server); otherwise
 * the API refuses it and the registry calls each vendor at its own address.
 */
const customerMode = z.enum(['per_customer', 'collective']).default('collective');
const baseUrl = z.url().optional();

export const ledgerConnectionSchema = z.discriminatedUnion('system', [
  z.object({ system: z.literal('local') }),
  z.object({
    system: z.literal('e-conomic'),
    credentials: z.object({ appSecretToken: z.string().min(8), agreementGrantToken: z.string().min(8) }),
    settings: z.object({
      journalNumber: z.number().int().positive(),
      layoutNumber: z.number().int().positive(),
      paymentTermsNumber: z.number().int().positive(),
      customerGroupNumber: z.number().int().positive(),
      vatZoneNumber: z.number().int().positive().optional(),
      /** Our region → e-conomic VAT zone (default domestic 1, EU 2, abroad 3): e-conomic's VAT follows the zone. */
      vatZones: z.object({ domestic: z.number().int().positive(), eu: z.number().int().positive(), outsideEu: z.number().int().positive() }).partial().optional(),
      customerMode,
      collectiveCustomer: z.string().optional(),
      /** Sales account, or treatment "account:vatCode", → e-conomic product number (invoice lines name a product). */
      products: z.record(z.string(), z.string()),
      baseUrl,
    }),
  }),
  z.object({
    system: z.literal('billy'),
    credentials: z.object({ accessToken: z.string().min(8) }),
    settings: z.object({
      organizationId: z.string().min(1),
      daybookId: z.string().min(1),
      customerMode,
      collectiveCustomer: z.string().optional(),
      products: z.record(z.string(), z.string()),
      taxRates: z.record(z.string(), z.string()).optional(),
      paymentTermsDays: z.number().int().positive().optional(),
      accountGroups: z.object({ balance: z.string(), expense: z.string() }).optional(),
      baseUrl,
    }),
  }),
  z.object({
    system: z.literal('fiken'),
    credentials: z.object({ token: z.string().min(8) }),
    settings: z.object({
      companySlug: z.string().min(1),
      customerMode,
      collectiveCustomer: z.string().optional(),
      vatTypes: z.record(z.string(), z.enum(salesVatTypes)),
      daysUntilDueDate: z.number().int().positive().optional(),
      bankAccountNumber: z.string().optional(),
      baseUrl,
    }),
  }),
  z.object({
    system: z.literal('dinero'),
    // A personal integration: the client id and secret Dinero issues, and the organization's API key.
    credentials: z.object({ clientId: z.string().min(3), clientSecret: z.string().min(8), apiKey: z.string().min(8) }),
    settings: z.object({
      organizationId: z.number().int().positive(),
      customerMode,
      collectiveCustomer: z.uuid().optional(),
      /** Our VAT code → Dinero VAT code (U25, UEUV, none …). */
      vatCodes: z.record(z.string(), z.string().min(1)),
      countryKey: z.string().length(2).optional(),
      paymentConditionDays: z.number().int().nonnegative().optional(),
      /** Calls a minute per organization (Dinero's limit is per organization and client id). */
      requestsPerMinute: z.number().int().positive().max(100).optional(),
      baseUrl,
      authUrl: baseUrl,
    }),
  }),
  z.object({
    system: z.literal('uni-economy'),
    // A server application registered in Uni Micro's developer portal; the company it books into is named by its key.
    credentials: z.object({ clientId: z.string().min(3), clientSecret: z.string().min(8) }),
    settings: z.object({
      companyKey: z.uuid(),
      customerMode,
      collectiveCustomer: z.number().int().positive().optional(),
      /** Our VAT code → Uni Economy VAT code (SAF-T: 3 is 25 % output VAT, 52 exports …). */
      vatCodes: z.record(z.string(), z.string().min(1)),
      baseUrl,
      authUrl: baseUrl,
    }),
  }),
]);

export type LedgerConnection = z.infer<typeof ledgerConnectionSchema>;
export type LedgerSystem = LedgerConnection['system'];
