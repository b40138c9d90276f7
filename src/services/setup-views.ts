import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { channelConnections } from '../../db/schema';
import { ledgerOfShop } from './ledger-settings-repository';

/**
 * What the setup page shows back of a saved connection: which system or platform, its settings and addresses, and
 * whether a secret is saved — never the secret. Secrets are write-only (sealed at rest; PUT again to replace them).
 */
export async function ledgerConnectionView(db: Db, shopId: string) {
  const ledger = await ledgerOfShop(db, shopId);
  return { system: ledger.system, settings: (ledger.settings as Record<string, unknown> | null) ?? null, credentialsSaved: ledger.credentials !== null };
}

export async function channelView(db: Db, shopId: string) {
  const [c] = await db
    .select({ platform: channelConnections.platform, storeUrl: channelConnections.storeUrl, api: channelConnections.apiCredentials })
    .from(channelConnections)
    .where(eq(channelConnections.shopId, shopId));
  if (!c) return { platform: null, webhookUrl: null, storeUrl: null, restApi: { configured: false }, secretSaved: false };
  // Dandomain sends no webhooks (its order service is polled); the others post to the shop's own address.
  const polled = c.platform === 'dandomain';
  return {
    platform: c.platform,
    webhookUrl: polled ? null : `/v1/channels/${c.platform}/${shopId}`,
    storeUrl: c.storeUrl,
    restApi: { configured: Boolean(c.storeUrl && c.api) || polled },
    secretSaved: true,
  };
}
