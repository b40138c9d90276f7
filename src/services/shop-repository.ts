/**
 * A new shop in the database: the shop row with its hashed API key and sealed webhook secret, and its local ledger.
 * The API (POST /v1/admin/shops, POST /v1/shops) and test harnesses create shops here; routes hold no SQL (issue 15,
 * point 4).
 */
import type { Db } from '../../db/client';
import { ledgerCounters, ledgers, ledgerVatCodes, shops } from '../../db/schema';
import { defaultChart, defaultVatCodes } from '../adapters/ledgers/local/chart';
import { LocalLedger } from '../adapters/ledgers/local/local-ledger';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';
import type { Mapping } from '../domain/mapping';
import type { TransferMode } from '../domain/transfer';
import { newId } from './ids';
import { hashApiKey, newApiKey, newWebhookSecret } from './shop-keys';

export interface NewShop {
  name: string;
  ledger: { currency: string; mode: 'draft' | 'auto'; monthlyQuota: number | null; startDate: string; trialDays: number };
  mapping?: Mapping;
  /** held: register everything and post nothing until the owner activates automatic transfer. */
  transfer?: TransferMode;
  /** The merchant whose people see the shop; none when only its API key (and operators) reach it. */
  merchantId?: string | null;
}

/**
 * Creates a shop with its own local ledger (chart of accounts, VAT codes, counters) in one transaction; the ledger is
 * the merchant's, and other shops of the merchant may join it later (PUT /v1/ledger {"ledgerId"}).
 */
export async function createShop(db: Db, input: NewShop, credentials?: CredentialBox) {
  const apiKey = newApiKey();
  const webhookSecret = credentials ? newWebhookSecret() : null;
  const shopId = newId('shop');
  const ledgerId = newId('led');
  await db.transaction(async (tx) => {
    const { trialDays, ...ledger } = input.ledger;
    const merchantId = input.merchantId ?? null;
    await tx.insert(ledgers).values({ id: ledgerId, merchantId, company: ledgerId, system: 'local', ...ledger, trialSeconds: Math.round(trialDays * 86_400) });
    await tx.insert(shops).values({
      id: shopId,
      name: input.name,
      apiKeyHash: hashApiKey(apiKey),
      webhookSecret: webhookSecret && credentials!.seal(webhookSecret, sealedContext.shopWebhookSecret(shopId)),
      mapping: input.mapping ?? null,
      transfer: input.transfer ?? 'automatic',
      merchantId,
      ledgerId,
    });
    await tx.insert(ledgerCounters).values({ ledgerId });
    await tx.insert(ledgerVatCodes).values(defaultVatCodes.map((v) => ({ ledgerId, ...v })));
    await new LocalLedger(tx as unknown as Db, ledgerId).createAccounts(defaultChart);
  });
  return { shopId, ledgerId, apiKey, webhookSecret };
}
