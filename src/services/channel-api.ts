import type { Db } from '../../db/client';
import type { ChannelApi, SalesChannel } from '../adapters/channels';
import { storeFetch } from '../adapters/channels/public-address';
import { ShopifyAdminApi } from '../adapters/channels/shopify/admin-api';
import { WooCommerceRestApi } from '../adapters/channels/woocommerce/rest-api';
import type { CredentialBox } from '../crypto/credentials';
import { apiCredentialsContext, loadChannelConnection, salesChannelOf, type ChannelPlatform } from './channel-connection';

export interface OpenedChannelApi {
  platform: ChannelPlatform;
  api: ChannelApi;
  channel: SalesChannel;
}

/**
 * A shop's store API and the SalesChannel that maps what it answers. Null when the shop has no channel connection,
 * saved no store URL or REST keys, or the process has no CREDENTIALS_KEY to open them. The keys are opened here, in
 * the process that calls the store, so they never travel through workflow histories.
 */
export async function openChannelApi(
  db: Db,
  credentials: CredentialBox | undefined,
  shopId: string,
  /** TEST_ENDPOINTS: stores on this machine are reached (src/adapters/channels/public-address.ts storeFetch). */
  testEndpoints?: boolean,
): Promise<OpenedChannelApi | null> {
  const conn = await loadChannelConnection(db, shopId);
  if (!conn || !credentials || !conn.storeUrl || !conn.apiCredentials) return null;
  const keys = credentials.openJson<Record<string, unknown>>(conn.apiCredentials, apiCredentialsContext(shopId));
  const channel = salesChannelOf(conn, credentials);
  const fetch = storeFetch(testEndpoints);
  if (conn.platform === 'shopify') {
    return { platform: 'shopify', channel, api: new ShopifyAdminApi({ storeUrl: conn.storeUrl, accessToken: String(keys.accessToken ?? ''), fetch }) };
  }
  return {
    platform: 'woocommerce',
    channel,
    api: new WooCommerceRestApi({ storeUrl: conn.storeUrl, consumerKey: String(keys.consumerKey ?? ''), consumerSecret: String(keys.consumerSecret ?? ''), fetch }),
  };
}
