import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { shops } from '../../../db/schema';
import { mappingSchema } from '../../domain/mapping';
import { balanceReport, balanceReportRows } from '../../services/balance-report';
import { spreadsheetSafeCsv } from '../../services/csv-export';
import { ApiError, errorBody } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop } from '../shops';

/** The balance report, as JSON or CSV. */
export const reportRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db }) => {
  app.addHook('onRequest', app.shopOnly);

  app.get(
    '/v1/reports/balance',
    {
      schema: {
        tags: ['reports'],
        summary: 'Orders, payments, refunds, payouts, fees, the error account, and per acquirer receivable vs. unpaid payments',
        querystring: z
          .object({ from: z.iso.date(), to: z.iso.date(), format: z.enum(['json', 'csv']).default('json') })
          .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] }),
        response: { 200: z.unknown(), 400: errorBody, 401: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const [shop] = await db.select({ mapping: shops.mapping }).from(shops).where(eq(shops.id, req.shopId));
      const mapping = mappingSchema.safeParse(shop?.mapping);
      if (!mapping.success) throw new ApiError(409, 'mapping_missing', 'Save the shop mapping first (PUT /v1/mapping).');
      const report = await balanceReport(db, ledger.id, ledger.system, mapping.data, req.query.from, req.query.to);
      if (req.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').send(spreadsheetSafeCsv(balanceReportRows(report)));
      }
      return report;
    },
  );
};
