import { z } from 'zod';
import { currencySchema } from '../domain/order';
import { mappingSchema } from '../domain/mapping';
import { workflowIds } from '../../workflows/definitions';
import type { graduationWorkflow } from '../../workflows/graduation';
import { createShop, type NewShop } from '../services/shop-repository';
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
