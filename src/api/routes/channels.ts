import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ChannelHeaders, SalesChannel } from '../../adapters/channels';
import { CredentialDecryptError } from '../../crypto/credentials';
import { apiCredentialsContext, channelConnectionOf, channelPlatforms, openSalesChannel, saveChannelConnection, type ChannelPlatform } from '../../services/channel-connection';
import { latestChannelEvents } from '../../services/channel-events';
import { storeUrlProblem } from '../../adapters/channels/public-address';
import { connectDandomain } from '../../services/dandomain-connection';
import { refetchRejectedRefunds } from '../../services/channel-refunds';
import { takeChannelDelivery } from '../../services/webhook-intake';
import { sealedContext } from '../../crypto/sealed-contexts';
import { ApiError, errorBody, invalidField } from '../errors';
import type { ApiServices } from '../services';

const platforms = channelPlatforms;
const isChannelPlatform = (p: string): p is ChannelPlatform => (platforms as readonly string[]).includes(p);
const signatureHeader: Record<ChannelPlatform, string> = { shopify: 'x-shopify-hmac-sha256', woocommerce: 'x-wc-webhook-signature' };
/**
 * What platforms send: Shopify caps a webhook body at 1,000,000 bytes (a larger resource arrives as {"id": …}, see
 * test/fixtures/vendors/shopify/SOURCE.md); WooCommerce posts the order as its REST API shows it, of the same size.
 */
const CHANNEL_BODY_LIMIT = 2 * 1024 * 1024;
/** One answer for every delivery we cannot attribute: unsigned, wrongly signed, or for no such shop or channel. */
const refused = () => new ApiError(401, 'bad_signature', 'The webhook signature does not match a secret saved for this webhook URL.');

/**
 * Where the store's REST API is: https, or http on this machine only for tests' local stores. A bare `?` or `#` is
 * refused too: it would turn our API path into a query. Outside tests, storeUrlProblem also resolves the host.
 */
const storeUrl = z
  .string()
  .max(500)
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    return (url.protocol === 'https:' || (url.protocol === 'http:' && local)) && !url.username && !url.password && !/[?#]/.test(value);
  }, 'must be the https address of the store (https://shop.example or https://<shop>.myshopify.com), without query or credentials');

const shopifyApiKeys = z.strictObject({
  accessToken: z.string().regex(/^[A-Za-z0-9_-]{20,255}$/, "the app's Admin API access token (shpat_…), with read_orders"),
});
const wooApiKeys = z.strictObject({
  consumerKey: z.string().regex(/^ck_[A-Za-z0-9]{10,100}$/, 'the consumer key, ck_… (WooCommerce → Settings → Advanced → REST API, read access)'),
  consumerSecret: z.string().regex(/^cs_[A-Za-z0-9]{10,100}$/, 'the consumer secret, cs_…'),
});
const webhookSecret = z.string().min(8).max(500);
const dandomainApiKey = z
  .string()
  .regex(/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/, "the order service's API key, a GUID, as the shop administration issues it (Dandomain's help: API – Authentication)");
const channelBody = z.discriminatedUnion('platform', [
  z.object({ platform: z.literal('shopify'), secret: webhookSecret, storeUrl: storeUrl.nullable().optional(), api: shopifyApiKeys.nullable().optional() }),
  z.object({ platform: z.literal('woocommerce'), secret: webhookSecret, storeUrl: storeUrl.nullable().optional(), api: wooApiKeys.nullable().optional() }),
  // Dandomain sends no webhooks: its order service is polled with the shop's API key.
  z.strictObject({ platform: z.literal('dandomain'), storeUrl, apiKey: dandomainApiKey }),
]);

/**
 * Signed webhooks from Shopify and WooCommerce (src/services/webhook-intake.ts). The signature is checked over the
 * raw bytes before anything else (a bad one is 401 and nothing is stored); each delivery is kept raw for audit and
 * dropped if seen before; the answer comes after one database transaction, never waiting for Temporal (the relay
 * hands the delivery over). A payload that does not map is acknowledged (platforms drop subscriptions that keep
 * failing) and listed under /v1/channel/events with where and why.
 */
export const channelRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { db, credentials } = services;


  // The signature covers the exact bytes: this route alone keeps the body raw.
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<ZodTypeProvider>();
    raw.removeContentTypeParser(['application/json']);
    const keepRaw = (_req: unknown, body: string | Buffer, done: (err: null, body: Buffer) => void) => done(null, body as Buffer);
    raw.addContentTypeParser(['application/json'], { parseAs: 'buffer', bodyLimit: CHANNEL_BODY_LIMIT }, keepRaw);
    // Only WooCommerce's ping is a form: `webhook_id=<n>`.
    raw.addContentTypeParser(['application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit: 1024 }, keepRaw);
    /** The channel whose secret the delivery must be signed with, found before the body is read. */
    const channels = new WeakMap<object, SalesChannel>();
    raw.post(
      '/v1/channels/:platform/:shopId',
      {
        // Before the body is read: a delivery without a signature, or for a shop with no such channel, costs no
        // body and no HMAC, and gets the very answer a bad signature gets (no probing which shop ids exist).
        onRequest: async (req) => {
          const { platform, shopId } = req.params as { platform: string; shopId: string };
          if (!isChannelPlatform(platform)) return; // the params schema answers 400
          if (platform === 'woocommerce' && req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return;
          if (typeof req.headers[signatureHeader[platform]] !== 'string') throw refused();
          let channel: SalesChannel | null = null;
          try {
            channel = await openSalesChannel(db, credentials, shopId, platform);
          } catch (err) {
            if (!(err instanceof CredentialDecryptError)) throw err;
            req.log.warn({ shopId, platform }, "the channel's sealed secret does not open (another CREDENTIALS_KEY, or copied from another shop)");
          }
          if (!channel) throw refused();
          channels.set(req, channel);
        },
        schema: {
          tags: ['channels'],
          summary: 'Webhook endpoint for Shopify and WooCommerce (signed with the secret saved by PUT /v1/channel)',
          security: [],
          params: z.object({ platform: z.enum(platforms), shopId: z.string().min(1).max(100) }),
          response: {
            200: z.object({ duplicate: z.boolean().optional(), ping: z.boolean().optional() }),
            202: z.object({ outcome: z.enum(['accepted', 'ignored', 'rejected']), reason: z.string().nullable(), workflowId: z.string().nullable() }),
            401: errorBody,
            404: errorBody,
            409: errorBody,
          },
        },
      },
      async (req, reply) => {
        const { platform, shopId } = req.params;
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from('');
        // WooCommerce pings a new webhook with an unsigned form body: acknowledge it.
        if (platform === 'woocommerce' && /^webhook_id=\d+$/.test(raw.toString('utf8'))) return reply.code(200).send({ ping: true });
        const channel = channels.get(req);
        if (!channel) throw refused();
        const taken = await takeChannelDelivery(services, { shopId, platform, channel, headers: req.headers as ChannelHeaders, raw });
        switch (taken.outcome) {
          case 'refused':
            throw refused();
          case 'duplicate':
            return reply.code(200).send({ duplicate: true });
          case 'order_not_received':
            throw new ApiError(409, 'order_not_received', `Refund for order ${taken.orderId} arrived before the order; the retry will be booked.`);
          case 'accepted':
            return reply.code(202).send({ outcome: 'accepted', reason: taken.reason, workflowId: taken.workflowId });
          case 'ignored':
            return reply.code(202).send({ outcome: 'ignored', reason: taken.reason, workflowId: null });
          case 'rejected':
            return reply.code(202).send({ outcome: 'rejected', reason: taken.field ? `${taken.field}: ${taken.reason}` : taken.reason, workflowId: null });
        }
      },
    );
  });


  await app.register(async (scope) => {
    const shopScope = scope.withTypeProvider<ZodTypeProvider>();
    shopScope.addHook('onRequest', app.shopOnly);

    shopScope.put(
      '/v1/channel',
      {
        schema: {
          tags: ['channels'],
          summary: "Connect the shop's Shopify app or WooCommerce webhooks (the secret they sign with) and optionally the store's REST API",
          description:
            'Secrets and API keys are stored sealed and never shown again. `storeUrl` and `api` give read access to the ' +
            "store's REST API: WooCommerce refunds are fetched from it (its webhooks only name them). Left out, they keep " +
            'what was saved for the same platform; null removes them. With the REST API configured, refunds whose fetch ' +
            'was refused before (listed as rejected under /v1/channel/events) are fetched again at once: `refundsRefetched`.',
          body: channelBody,
          response: {
            200: z.object({
              webhookUrl: z.string().nullable(),
              polling: z.object({ scheduleId: z.string(), everyMinutes: z.number() }).optional(),
              restApi: z.object({ configured: z.boolean(), storeUrl: z.string().nullable() }),
              refundsRefetched: z.array(z.string()),
            }),
            400: errorBody,
            401: errorBody,
            409: errorBody,
          },
        },
      },
      async (req) => {
        if (!credentials) throw new ApiError(409, 'credentials_key_missing', 'The operator must set CREDENTIALS_KEY before secrets can be stored.');
        // Our servers call this URL with the shop's keys: outside tests, only a public https host will do.
        const problem = req.body.storeUrl && !services.testEndpoints ? await storeUrlProblem(req.body.storeUrl) : null;
        if (problem) throw invalidField('body.storeUrl', problem);
        if (req.body.platform === 'dandomain') {
          const polling = await connectDandomain({ ...services, credentials }, req.shopId, req.body);
          return { webhookUrl: null, polling, restApi: { configured: true, storeUrl: req.body.storeUrl.replace(/\/+$/, '') }, refundsRefetched: [] };
        }
        const { platform, secret, storeUrl, api } = req.body;
        const stored = await channelConnectionOf(db, req.shopId);
        // Keys of another platform mean nothing for this one.
        const kept = stored?.platform === platform ? stored : undefined;
        const apiCredentials = api === undefined ? (kept?.apiCredentials ?? null) : api === null ? null : credentials.sealJson(api, apiCredentialsContext(req.shopId));
        const values = {
          shopId: req.shopId,
          platform,
          secret: credentials.seal(secret, sealedContext.channelSecret(req.shopId)),
          storeUrl: storeUrl === undefined ? (kept?.storeUrl ?? null) : storeUrl === null ? null : storeUrl.replace(/\/+$/, ''),
          apiCredentials,
        };
        if (values.apiCredentials && !values.storeUrl) {
          throw invalidField('body.storeUrl', 'the REST API keys need the store URL they belong to', 'store_url_missing');
        }
        await saveChannelConnection(db, values);
        const configured = Boolean(values.storeUrl && values.apiCredentials);
        return {
          webhookUrl: `/v1/channels/${platform}/${req.shopId}`,
          restApi: { configured, storeUrl: values.storeUrl },
          refundsRefetched: configured ? await refetchRejectedRefunds(services, req.shopId) : [],
        };
      },
    );

    shopScope.get(
      '/v1/channel/events',
      {
        schema: {
          tags: ['channels'],
          summary: 'Received webhooks, newest first, with what became of each (rejected ones say where and why)',
          querystring: z.object({ outcome: z.enum(['received', 'accepted', 'ignored', 'rejected']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: {
            200: z.object({
              events: z.array(z.object({ eventId: z.string(), deliveryId: z.string().nullable(), topic: z.string(), outcome: z.string(), reason: z.string().nullable(), receivedAt: z.string() })),
            }),
            400: errorBody,
            401: errorBody,
          },
        },
      },
      async (req) => {
        const rows = await latestChannelEvents(db, req.shopId, req.query.outcome, req.query.limit);
        return {
          events: rows.map((e) => ({ eventId: e.eventId, deliveryId: e.deliveryId, topic: e.topic, outcome: e.outcome, reason: e.reason, receivedAt: e.receivedAt.toISOString() })),
        };
      },
    );
  });
};
