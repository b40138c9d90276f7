import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mappingSchema } from '../../domain/mapping';
import { storedMapping } from '../../services/ledger-settings-repository';
import { balanceReport } from '../../services/balance-report';
import { balanceReportCsv } from '../../services/balance-report-csv';
import { attachment, csvStyles } from '../../services/csv';
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
        description:
          'JSON: every amount is in minor units (øre, cents) of the report\'s `currency`, the ledger\'s. CSV (`format=csv`, a download): amounts in currency units ("1234.50"), the currency in the amount column\'s heading; `style=nordic` for a Nordic spreadsheet (`;`, "1234,50").',
        querystring: z
          .object({
            from: z.iso.date(),
            to: z.iso.date(),
            format: z.enum(['json', 'csv']).default('json'),
            style: z.enum(csvStyles).default('plain').describe("CSV only: plain (',' and a decimal point) or nordic (';' and a decimal comma); amounts in currency units either way"),
          })
          .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] }),
        response: { 200: z.unknown(), 400: errorBody, 401: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const mapping = mappingSchema.safeParse(await storedMapping(db, req.shopId));
      if (!mapping.success) throw new ApiError(409, 'mapping_missing', 'Save the shop mapping first (PUT /v1/mapping).');
      const report = await balanceReport(db, ledger, mapping.data, req.query.from, req.query.to);
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`balance-${req.query.from}-${req.query.to}.csv`))
          .send(balanceReportCsv(report, req.query.style));
      }
      return report;
    },
  );
};
