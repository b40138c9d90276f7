/**
 * What every sealed secret is bound to (AES-GCM additional authenticated data): the shop — and for an acquirer the
 * connection — it was saved for. A sealed value copied onto another shop's row (a database-level attacker, a botched
 * restore) then fails to open there instead of lending one shop's keys to another. Ledger keys are bound to their
 * ledger id (src/api/routes/ledger.ts), channel REST keys to `channel-api:<shop>`.
 */
export const sealedContext = {
  shopWebhookSecret: (shopId: string) => `shop-webhook:${shopId}`,
  channelSecret: (shopId: string) => `channel-secret:${shopId}`,
  channelApi: (shopId: string) => `channel-api:${shopId}`,
  acquirerCredentials: (shopId: string, connectionId: string) => `acquirer:${shopId}:${connectionId}`,
};
