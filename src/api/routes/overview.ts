import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mappingSchema } from '../../domain/mapping';
import { storedMapping } from '../../services/ledger-settings-repository';
import { acquirerSeries, recentPayouts, shopAttention } from '../../services/shop-overview';
import { ApiError, errorBody } from '../errors';
import type { ApiServices } from '../services';
import { payoutView } from './payouts';
import { ledgerOfShop } from '../shops';

const counts = z.object({
  failed: z.number().int(),
  quotaBlocked: z.number().int().describe('waiting for the ledger’s monthly posting quota (PUT /v1/ledger/quota raises it)'),
  needsCorrection: z.number().int().describe('booked, then changed or cancelled in the shop'),
  waitingTooLong: z.number().int().describe('still waiting (e.g. for an order status the shop books) more than a day after it arrived'),
});

const MAX_DAYS = 366;

/** The shop owner's overview: what needs attention first, the latest payouts, and each acquirer's receivable over a period. */
export const overviewRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db }) => {
  app.addHook('onRequest', app.shopOnly);

  app.get(
    '/v1/overview',
    {
      schema: {
        tags: ['overview'],
        summary: 'What needs attention first (failed, quota-blocked, waiting over a day, to correct) and the latest payouts',
        response: {
          200: z.object({
            currency: z.string(),
            attention: z.object({
              orders: counts,
              refunds: counts,
              payouts: counts.pick({ failed: true, quotaBlocked: true }),
              waitingBefore: z.string().describe('arrived before this and still waiting: counted in waitingTooLong'),
            }),
            recentPayouts: z.array(payoutView.pick({ connectionId: true, payoutId: true, acquirer: true, status: true, currency: true, paidOutAt: true, netAmount: true })),
          }),
          401: errorBody,
        },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      return { currency: ledger.currency, attention: await shopAttention(db, req.shopId), recentPayouts: await recentPayouts(db, req.shopId) };
    },
  );

  app.get(
    '/v1/overview/acquirers',
    {
      schema: {
        tags: ['overview'],
        summary: "Per acquirer, day by day: the receivable's balance next to the payments not yet paid out",
        description: `Amounts in minor units of \`currency\`. At most ${MAX_DAYS} days. A payment counts as not paid out from its date until the day of the payout that settled it; \`ledgerBalance\` is the local ledger's (null for a hosted ledger).`,
        querystring: z
          .object({ from: z.iso.date(), to: z.iso.date() })
          .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
          .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_DAYS, { message: `at most ${MAX_DAYS} days`, path: ['to'] }),
        response: {
          200: z.object({
            currency: z.string(),
            from: z.string(),
            to: z.string(),
            acquirers: z.array(
              z.object({
                acquirer: z.string(),
                receivableAccount: z.string(),
                points: z.array(z.object({ date: z.string(), ledgerBalance: z.number().int().nullable(), unpaidPayments: z.number().int() })),
              }),
            ),
          }),
          400: errorBody,
          401: errorBody,
          409: errorBody,
        },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const mapping = mappingSchema.safeParse(await storedMapping(db, req.shopId));
      if (!mapping.success) throw new ApiError(409, 'mapping_missing', 'Save the shop mapping first (PUT /v1/mapping).');
      const { from, to } = req.query;
      return { currency: ledger.currency, from, to, acquirers: await acquirerSeries(db, ledger, mapping.data, from, to) };
    },
  );
};
