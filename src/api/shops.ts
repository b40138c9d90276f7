import { z } from 'zod';
import type { Db } from '../../db/client';
import { ledgerCounters, ledgers, ledgerVatCodes, shops } from '../../db/schema';
import { defaultChart, defaultVatCodes } from '../adapters/ledgers/local/chart';
import { LocalLedger } from '../adapters/ledgers/local/local-ledger';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';
import type { Mapping } from '../domain/mapping';
import type { TransferMode } from '../domain/transfer';
import { currencySchema } from '../domain/order';
import { mappingSchema } from '../domain/mapping';
import { newId } from '../services/ids';
import { workflowIds } from '../../workflows/definitions';
import type { graduationWorkflow } from '../../workflows/graduation';
import { hashApiKey, newApiKey, newWebhookSecret } from '../services/shop-keys';
import type { ApiServices } from './services';

/** A ledger's monthly posting quota; ledgers.monthly_quota is a PostgreSQL integer, so larger would be a 500 there. */
export const monthlyQuotaSchema = z.number().int().positive().max(2_147_483_647).nullable();

export { newId } from '../services/ids';
export { ledgerOfShop } from '../services/ledger-settings-repository';

/** A new shop as an operator (POST /v1/admin/shops) or an owner (POST /v1/shops) describes it. */
export const newShopBody = z.object({
  name: z.string().min(1).max(200),
  ledger: z
    .object({
      currency: currencySchema.default('DKK'),
      mode: z.enum(['draft', 'auto']).default('draft'),
      monthlyQuota: monthlyQuotaSchema.default(null),
      startDate: z.iso.date().default('2000-01-01'),
      trialDays: z.number().positive().max(365).default(14),
    })
    .default({ currency: 'DKK', mode: 'draft', monthlyQuota: null, startDate: '2000-01-01', trialDays: 14 }),
  mapping: mappingSchema.optional(),
  transfer: z
    .enum(['automatic', 'held'])
    .default('automatic')
    .describe('held: a shop onboarding with its history registers everything and posts nothing until it activates automatic transfer'),
});

export const createdShopBody = z.object({ shopId: z.string(), ledgerId: z.string(), apiKey: z.string(), webhookSecret: z.string().nullable() });

export interface NewShop {
  name: string;
  ledger: { currency: string; mode: 'draft' | 'auto'; monthlyQuota: number | null; startDate: string; trialDays: number };
  mapping?: Mapping;
  /** held: register everything and post nothing until the owner activates automatic transfer. */
  transfer?: TransferMode;
  /** The merchant whose people see the shop; none when only its API key (and operators) reach it. */
  merchantId?: string | null;
}

/** Creates a shop with its local ledger (chart of accounts, VAT codes, voucher counter) in one transaction. */
export async function createShop(db: Db, input: NewShop, credentials?: CredentialBox) {
  const apiKey = newApiKey();
  const webhookSecret = credentials ? newWebhookSecret() : null;
  const shopId = newId('shop');
  const ledgerId = newId('led');
  await db.transaction(async (tx) => {
    await tx.insert(shops).values({
      id: shopId,
      name: input.name,
      apiKeyHash: hashApiKey(apiKey),
      webhookSecret: webhookSecret && credentials!.seal(webhookSecret, sealedContext.shopWebhookSecret(shopId)),
      mapping: input.mapping ?? null,
      transfer: input.transfer ?? 'automatic',
      merchantId: input.merchantId ?? null,
    });
    const { trialDays, ...ledger } = input.ledger;
    await tx.insert(ledgers).values({ id: ledgerId, shopId, system: 'local', ...ledger, trialSeconds: Math.round(trialDays * 86_400) });
    await tx.insert(ledgerCounters).values({ ledgerId });
    await tx.insert(ledgerVatCodes).values(defaultVatCodes.map((v) => ({ ledgerId, ...v })));
    await new LocalLedger(tx as unknown as Db, ledgerId).createAccounts(defaultChart);
  });
  return { shopId, ledgerId, apiKey, webhookSecret };
}

/** Creates the shop and, for a ledger starting on drafts, the graduation that switches it to automatic posting. */
export async function openShop(services: ApiServices, input: NewShop) {
  const created = await createShop(services.db, input, services.credentials);
  if (input.ledger.mode === 'draft') {
    await services.temporal.workflow.start<typeof graduationWorkflow>('graduationWorkflow', {
      workflowId: workflowIds.graduation(created.ledgerId),
      taskQueue: services.taskQueue,
      args: [{ ledgerId: created.ledgerId, trialMs: Math.round(input.ledger.trialDays * 24 * 3600 * 1000) }],
    });
  }
  return created;
}
