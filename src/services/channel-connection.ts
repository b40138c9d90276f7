import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { channelConnections, shops } from '../../db/schema';
import { ShopifyChannel, WooCommerceChannel, type SalesChannel } from '../adapters/channels';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';
import { mappingSchema } from '../domain/mapping';

export const channelPlatforms = ['shopify', 'woocommerce'] as const;
export type ChannelPlatform = (typeof channelPlatforms)[number];

/** A shop's stored channel connection, its secrets still sealed. */
export interface ChannelConnectionRow {
  shopId: string;
  platform: ChannelPlatform;
  secret: string;
  storeUrl: string | null;
  apiCredentials: string | null;
  homeCountry: string | undefined;
}

/**
 * The REST keys are bound to the shop they were saved for (additional authenticated data), so a sealed value
 * copied onto another shop's row does not open there.
 */
export const apiCredentialsContext = sealedContext.channelApi;

export async function loadChannelConnection(db: Db, shopId: string): Promise<ChannelConnectionRow | null> {
  const [row] = await db
    .select({ conn: channelConnections, mapping: shops.mapping })
    .from(channelConnections)
    .innerJoin(shops, eq(shops.id, channelConnections.shopId))
    .where(eq(channelConnections.shopId, shopId));
  if (!row) return null;
  const platform = row.conn.platform;
  if (platform !== 'shopify' && platform !== 'woocommerce') return null;
  return {
    shopId,
    platform,
    secret: row.conn.secret,
    storeUrl: row.conn.storeUrl,
    apiCredentials: row.conn.apiCredentials,
    // Regions (domestic / EU / outside EU) need the ledger's home country; without a mapping they stay unknown.
    homeCountry: mappingSchema.safeParse(row.mapping).data?.homeCountry,
  };
}

/** The shop's connection row as stored (any platform, Dandomain too), or undefined while none is saved. */
export async function channelConnectionOf(db: Db, shopId: string) {
  const [conn] = await db.select().from(channelConnections).where(eq(channelConnections.shopId, shopId));
  return conn;
}

/** Saves the shop's one channel connection (PUT /v1/channel), replacing any other; secrets come sealed. */
export async function saveChannelConnection(
  db: Db,
  values: { shopId: string; platform: string; secret: string; storeUrl: string | null; apiCredentials: string | null },
): Promise<void> {
  await db.insert(channelConnections).values(values).onConflictDoUpdate({ target: channelConnections.shopId, set: values });
}

/** The one place a SalesChannel is built from a stored connection. */
export function salesChannelOf(conn: ChannelConnectionRow, credentials: CredentialBox): SalesChannel {
  const options = { secret: credentials.open(conn.secret, sealedContext.channelSecret(conn.shopId)), homeCountry: conn.homeCountry };
  return conn.platform === 'shopify' ? new ShopifyChannel(options) : new WooCommerceChannel(options);
}

/** The shop's SalesChannel for webhooks of `platform`; null when the shop connected another platform or none. */
export async function openSalesChannel(db: Db, credentials: CredentialBox | undefined, shopId: string, platform: ChannelPlatform): Promise<SalesChannel | null> {
  const conn = await loadChannelConnection(db, shopId);
  if (!conn || conn.platform !== platform || !credentials) return null;
  return salesChannelOf(conn, credentials);
}
