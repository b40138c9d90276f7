import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ledgers, shops, voucherLines, vouchers } from '../../../db/schema';
import {
  approveGraduationSignal,
  graduationQuery,
  ledgerQueueQuery,
  postponeGraduationSignal,
  setQuotaSignal,
  stayOnDraftsSignal,
  workflowIds,
} from '../../../workflows/definitions';
import { LedgerRegistry } from '../../adapters/ledgers/registry';
import { mappingNeeds, mappingSchema } from '../../domain/mapping';
import { errorBody, notFound } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop } from '../shops';

const setupReport = z.object({
  missingAccounts: z.array(z.string()),
  missingVatCodes: z.array(z.string()),
  missingPaymentTerms: z.array(z.string()),
});

/** The shop's ledger: its mapping and setup check, posting queue, quota, graduation, and (local) journal. */
export const ledgerRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal }) => {
  app.addHook('onRequest', app.shopOnly);
  const registry = new LedgerRegistry(db);

  app.put(
    '/v1/mapping',
    {
      schema: {
        tags: ['mapping'],
        summary: 'Save the booking mapping; answers what the ledger is missing for it',
        body: mappingSchema,
        response: { 200: z.object({ setup: setupReport }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      await db.update(shops).set({ mapping: req.body }).where(eq(shops.id, req.shopId));
      const ledger = await ledgerOfShop(db, req.shopId);
      return { setup: await (await registry.portFor(ledger.id)).checkSetup(mappingNeeds(req.body)) };
    },
  );

  app.get(
    '/v1/mapping',
    { schema: { tags: ['mapping'], summary: 'The saved booking mapping', response: { 200: mappingSchema, 401: errorBody, 404: errorBody } } },
    async (req) => {
      const [shop] = await db.select({ mapping: shops.mapping }).from(shops).where(eq(shops.id, req.shopId));
      if (!shop?.mapping) throw notFound('mapping');
      return mappingSchema.parse(shop.mapping);
    },
  );

  app.get(
    '/v1/ledger',
    {
      schema: {
        tags: ['ledger'],
        summary: "The ledger, its mode, and its posting queue (who holds the lock, who waits since when)",
        response: {
          200: z.object({
            ledgerId: z.string(),
            system: z.string(),
            mode: z.string(),
            currency: z.string(),
            monthlyQuota: z.number().nullable(),
            queue: z.unknown().describe('holder, waiters and quota state; null while no posting has run'),
          }),
          401: errorBody,
        },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const queue = await temporal.workflow
        .getHandle(workflowIds.ledger(ledger.id))
        .query(ledgerQueueQuery)
        .catch(() => null);
      return { ledgerId: ledger.id, system: ledger.system, mode: ledger.mode, currency: ledger.currency, monthlyQuota: ledger.monthlyQuota, queue };
    },
  );

  app.put(
    '/v1/ledger/quota',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Set the monthly posting quota (null = unlimited); blocked postings resume',
        body: z.object({ monthlyQuota: z.number().int().positive().nullable() }),
        response: { 200: z.object({ monthlyQuota: z.number().nullable() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      await db.update(ledgers).set({ monthlyQuota: req.body.monthlyQuota }).where(eq(ledgers.id, ledger.id));
      await temporal.workflow
        .getHandle(workflowIds.ledger(ledger.id))
        .signal(setQuotaSignal, { monthlyQuota: req.body.monthlyQuota })
        .catch(() => undefined); // not running yet: it reads the quota from the database when it starts
      return { monthlyQuota: req.body.monthlyQuota };
    },
  );

  app.get(
    '/v1/ledger/graduation',
    { schema: { tags: ['ledger'], summary: 'Where the ledger is in its draft trial', response: { 200: z.unknown(), 401: errorBody, 404: errorBody } } },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      return temporal.workflow
        .getHandle(workflowIds.graduation(ledger.id))
        .query(graduationQuery)
        .catch(() => {
          throw notFound('graduation');
        });
    },
  );

  app.post(
    '/v1/ledger/graduation/:action',
    {
      schema: {
        tags: ['ledger'],
        summary: 'approve (auto-post now), postpone (by days), or stay-on-drafts',
        params: z.object({ action: z.enum(['approve', 'postpone', 'stay-on-drafts']) }),
        body: z.object({ days: z.number().positive().max(365).optional() }).default({}),
        response: { 202: z.object({ accepted: z.boolean() }), 400: errorBody, 401: errorBody, 404: errorBody },
      },
    },
    async (req, reply) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const handle = temporal.workflow.getHandle(workflowIds.graduation(ledger.id));
      const send =
        req.params.action === 'approve'
          ? handle.signal(approveGraduationSignal)
          : req.params.action === 'postpone'
            ? handle.signal(postponeGraduationSignal, { days: req.body.days ?? 7 })
            : handle.signal(stayOnDraftsSignal);
      await send.catch(() => {
        throw notFound('graduation in progress');
      });
      return reply.code(202).send({ accepted: true });
    },
  );

  app.get(
    '/v1/ledger/vouchers',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The local journal: vouchers with their lines, by voucher number',
        querystring: z.object({ reference: z.string().optional() }),
        response: {
          200: z.object({
            vouchers: z.array(
              z.object({
                number: z.number().nullable(),
                kind: z.string(),
                reference: z.string(),
                state: z.string(),
                date: z.string(),
                currency: z.string(),
                text: z.string(),
                lines: z.array(z.object({ account: z.string(), amount: z.number(), text: z.string(), vatCode: z.string().nullable() })),
              }),
            ),
          }),
          401: errorBody,
        },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const where = [eq(vouchers.ledgerId, ledger.id)];
      if (req.query.reference) where.push(eq(vouchers.reference, req.query.reference));
      const rows = await db.select().from(vouchers).where(and(...where)).orderBy(sql`${vouchers.number} asc nulls last`, asc(vouchers.id));
      const lines = rows.length
        ? await db.select().from(voucherLines).where(inArray(voucherLines.voucherId, rows.map((r) => r.id))).orderBy(asc(voucherLines.id))
        : [];
      return {
        vouchers: rows.map((v) => ({
          number: v.number,
          kind: v.kind,
          reference: v.reference,
          state: v.state,
          date: v.date,
          currency: v.currency,
          text: v.text,
          lines: lines.filter((l) => l.voucherId === v.id).map((l) => ({ account: l.account, amount: l.amount, text: l.text, vatCode: l.vatCode })),
        })),
      };
    },
  );
};
