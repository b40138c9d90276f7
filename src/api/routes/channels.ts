import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelConnections, channelEvents, orders, shops } from '../../../db/schema';
import {
  ChannelPayloadError,
  RefundContextRequiredError,
  ShopifyChannel,
  WooCommerceChannel,
  type ChannelHeaders,
  type RefundContext,
  type SalesChannel,
} from '../../adapters/channels';
import { mappingSchema } from '../../domain/mapping';
import type { Order } from '../../domain/order';
import { acceptOrder, acceptRefund } from '../../services/intake';
import { ApiError, errorBody, notFound } from '../errors';
import type { ApiServices } from '../services';

const platforms = ['shopify', 'woocommerce'] as const;
type Platform = (typeof platforms)[number];

/** The order id a refund payload belongs to (Shopify: order_id; WooCommerce refunds arrive through their order). */
const orderIdOf = (body: unknown): string | undefined => {
  const id = (body as { order_id?: unknown } | null)?.order_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
};

/**
 * Signed webhooks from Shopify and WooCommerce. The signature is checked over the raw bytes before anything else
 * (a bad one is 401 and nothing is stored); each delivery is kept raw for audit and dropped if seen before; the
 * answer comes fast, after storing and signalling. A payload that does not map is acknowledged (platforms drop
 * subscriptions that keep failing) and listed under /v1/channel/events with where and why.
 */
export const channelRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { db, credentials } = services;


  const channelFor = async (platform: Platform, shopId: string): Promise<SalesChannel | null> => {
    const [row] = await db
      .select({ conn: channelConnections, mapping: shops.mapping })
      .from(channelConnections)
      .innerJoin(shops, eq(shops.id, channelConnections.shopId))
      .where(and(eq(channelConnections.shopId, shopId), eq(channelConnections.platform, platform)));
    if (!row || !credentials) return null;
    const secret = credentials.open(row.conn.secret);
    const homeCountry = mappingSchema.safeParse(row.mapping).data?.homeCountry;
    return platform === 'shopify' ? new ShopifyChannel({ secret, homeCountry }) : new WooCommerceChannel({ secret, homeCountry });
  };

  // The signature covers the exact bytes: this route alone keeps the body raw.
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<ZodTypeProvider>();
    raw.removeContentTypeParser(['application/json']);
    raw.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    raw.post(
      '/v1/channels/:platform/:shopId',
      {
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
        const channel = await channelFor(platform, shopId);
        if (!channel) throw notFound(`${platform} connection`);
        const headers = req.headers as ChannelHeaders;
        if (!channel.verify(raw, headers)) throw new ApiError(401, 'bad_signature', 'The webhook signature does not match the secret saved for this shop.');

        const topic = channel.topic(headers) ?? 'unknown';
        const eventId = channel.eventId(headers) ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
        const [event] = await db
          .insert(channelEvents)
          .values({ shopId, platform, eventId, topic, body: raw.toString('utf8'), outcome: 'received' })
          .onConflictDoNothing()
          .returning({ id: channelEvents.id });
        if (!event) return reply.code(200).send({ duplicate: true });
        const settle = (outcome: 'accepted' | 'ignored' | 'rejected', reason: string | null) =>
          db.update(channelEvents).set({ outcome, reason }).where(eq(channelEvents.id, event.id));

        try {
          const body: unknown = JSON.parse(raw.toString('utf8'));
          let context: RefundContext | undefined;
          const refundOf = orderIdOf(body);
          if (refundOf && topic.startsWith('refunds')) {
            const [order] = await db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, refundOf)));
            if (order?.channelLineRefs) context = { order: order.snapshot as Order, lineRefs: order.channelLineRefs as string[] };
          }
          const parsed = channel.parse(topic, body, context);
          if (parsed.type === 'ignored') {
            await settle('ignored', parsed.reason);
            return reply.code(202).send({ outcome: 'ignored', reason: parsed.reason, workflowId: null });
          }
          const started =
            parsed.type === 'order'
              ? await acceptOrder(services, shopId, parsed.order, parsed.lineRefs)
              : await acceptRefund(services, shopId, parsed.refund);
          await settle('accepted', null);
          return reply.code(202).send({ outcome: 'accepted', reason: null, workflowId: started.workflowId });
        } catch (err) {
          if (err instanceof RefundContextRequiredError) {
            // The refund came before its order: forget the delivery so the platform's retry is not dropped as a duplicate.
            await db.delete(channelEvents).where(eq(channelEvents.id, event.id));
            throw new ApiError(409, 'order_not_received', `Refund for order ${err.orderId} arrived before the order; the retry will be booked.`);
          }
          const reason = err instanceof ChannelPayloadError ? `${err.path}: ${err.reason}` : err instanceof SyntaxError ? 'the body is not JSON' : null;
          if (reason === null) throw err;
          await settle('rejected', reason);
          return reply.code(202).send({ outcome: 'rejected', reason, workflowId: null });
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
          summary: "Connect the shop's Shopify app or WooCommerce webhooks: the secret they sign with (stored sealed)",
          body: z.object({ platform: z.enum(platforms), secret: z.string().min(8).max(500) }),
          response: { 200: z.object({ webhookUrl: z.string() }), 400: errorBody, 401: errorBody, 409: errorBody },
        },
      },
      async (req) => {
        if (!credentials) throw new ApiError(409, 'credentials_key_missing', 'The operator must set CREDENTIALS_KEY before secrets can be stored.');
        const values = { shopId: req.shopId, platform: req.body.platform, secret: credentials.seal(req.body.secret) };
        await db.insert(channelConnections).values(values).onConflictDoUpdate({ target: channelConnections.shopId, set: values });
        return { webhookUrl: `/v1/channels/${req.body.platform}/${req.shopId}` };
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
            200: z.object({ events: z.array(z.object({ eventId: z.string(), topic: z.string(), outcome: z.string(), reason: z.string().nullable(), receivedAt: z.string() })) }),
            400: errorBody,
            401: errorBody,
          },
        },
      },
      async (req) => {
        const where = [eq(channelEvents.shopId, req.shopId)];
        if (req.query.outcome) where.push(eq(channelEvents.outcome, req.query.outcome));
        const rows = await db.select().from(channelEvents).where(and(...where)).orderBy(desc(channelEvents.id)).limit(req.query.limit);
        return { events: rows.map((e) => ({ eventId: e.eventId, topic: e.topic, outcome: e.outcome, reason: e.reason, receivedAt: e.receivedAt.toISOString() })) };
      },
    );
  });
};
