import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ledgerCounters, ledgers, ledgerVatCodes, shops } from '../../db/schema';
import { defaultChart, defaultVatCodes } from '../adapters/ledgers/local/chart';
import { LocalLedger } from '../adapters/ledgers/local/local-ledger';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';
import type { Mapping } from '../domain/mapping';
import type { TransferMode } from '../domain/transfer';
import { hashApiKey, newApiKey } from './plugins/auth';

/** A ledger's monthly posting quota; ledgers.monthly_quota is a PostgreSQL integer, so larger would be a 500 there. */
export const monthlyQuotaSchema = z.number().int().positive().max(2_147_483_647).nullable();

export const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;

export interface NewShop {
  name: string;
  ledger: { currency: string; mode: 'draft' | 'auto'; monthlyQuota: number | null; startDate: string; trialDays: number };
  mapping?: Mapping;
  /** held: register everything and post nothing until the owner activates automatic transfer. */
  transfer?: TransferMode;
}

/** Creates a shop with its local ledger (chart of accounts, VAT codes, voucher counter) in one transaction. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

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
    });
    const { trialDays, ...ledger } = input.ledger;
    await tx.insert(ledgers).values({ id: ledgerId, shopId, system: 'local', ...ledger, trialSeconds: Math.round(trialDays * 86_400) });
    await tx.insert(ledgerCounters).values({ ledgerId });
    await tx.insert(ledgerVatCodes).values(defaultVatCodes.map((v) => ({ ledgerId, ...v })));
    await new LocalLedger(tx as unknown as Db, ledgerId).createAccounts(defaultChart);
  });
  return { shopId, ledgerId, apiKey, webhookSecret };
}

export async function ledgerOfShop(db: Db, shopId: string) {
  const [ledger] = await db.select().from(ledgers).where(eq(ledgers.shopId, shopId));
  if (!ledger) throw new Error(`shop ${shopId} has no ledger`);
  return ledger;
}
