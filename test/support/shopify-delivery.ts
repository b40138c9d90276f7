import { createHmac } from 'node:crypto';
import type { Harness } from './harness';
import { danishMapping } from './fixtures';

/** The shop's Shopify webhook secret in the tests (Shopify's `shpss_` app secrets). */
export const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';

/** The Danish mapping with QuickPay, the gateway the Shopify fixture orders are paid through. */
export const quickpayMapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } } };

/** Delivers a payload as Shopify does: raw JSON, HMAC-SHA256 of those bytes in base64, topic, webhook id and shop domain. */
export function deliverShopify(
  app: Harness['app'],
  shopId: string,
  topic: string,
  payload: unknown,
  webhookId: string,
  opts: { secret?: string; headers?: Record<string, string> } = {},
) {
  const raw = JSON.stringify(payload);
  return app.inject({
    method: 'POST',
    url: `/v1/channels/shopify/${shopId}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', opts.secret ?? SHOPIFY_SECRET).update(raw).digest('base64'),
      'x-shopify-webhook-id': webhookId,
      'x-shopify-shop-domain': 'kaffekopper.myshopify.com',
      ...opts.headers,
    },
    payload: raw,
  });
}
