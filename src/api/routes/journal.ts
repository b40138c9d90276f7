import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { minorUnitDigits } from '../../domain/money';
import { amount, amountHeading, attachment, csvStyles, toCsv, type Cell } from '../../services/csv';
import { listVouchers, parseCursor, trialBalance } from '../../services/journal';
import { ApiError, errorBody } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop } from '../shops';

const period = { from: z.iso.date(), to: z.iso.date() };
const fromNotAfterTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;

/** The local ledger's books: its journal page by page, and the trial balance of a period. */
export const journalRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db }) => {
  app.addHook('onRequest', app.shopOnly);

  app.get(
    '/v1/ledger/vouchers',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The local journal by voucher number (drafts last), a page at a time, filtered by date, account, kind or reference',
        querystring: z
          .object({
            from: period.from.optional(),
            to: period.to.optional(),
            account: z.string().min(1).max(50).optional().describe('vouchers with a line on this account (all their lines shown)'),
            kind: z.enum(['invoice', 'payment', 'credit_note', 'refund_payment', 'payout']).optional(),
            reference: z.string().max(300).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            cursor: z.string().refine((c) => parseCursor(c) !== null, 'is not a cursor this route gave (nextCursor)').optional(),
          })
          .refine(fromNotAfterTo, { message: 'from must not be after to', path: ['to'] }),
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
            nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last'),
          }),
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (req) => listVouchers(db, (await ledgerOfShop(db, req.shopId)).id, req.query),
  );

  app.get(
    '/v1/ledger/accounts/balances',
    {
      schema: {
        tags: ['ledger'],
        summary: "Trial balance of the local ledger: each account's opening balance, the period's debits and credits, and its closing balance",
        querystring: z
          .object({ ...period, format: z.enum(['json', 'csv']).default('json'), style: z.enum(csvStyles).default('plain') })
          .refine(fromNotAfterTo, { message: 'from must not be after to', path: ['to'] }),
        response: { 200: z.unknown(), 400: errorBody, 401: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      if (ledger.system !== 'local') {
        throw new ApiError(409, 'trial_balance_local_only', `The ${ledger.system} ledger keeps its own books: take the trial balance from ${ledger.system}. GET /v1/reports/balance reconciles what we booked there.`);
      }
      const { from, to, format, style } = req.query;
      const accounts = await trialBalance(db, ledger.id, from, to);
      const totals = { debits: accounts.reduce((a, r) => a + r.debits, 0), credits: accounts.reduce((a, r) => a + r.credits, 0) };
      if (format === 'csv') {
        const head = ['account', 'name', 'type', 'opening', 'debits', 'credits', 'closing'].map((h, i) => (i >= 3 ? amountHeading(ledger.currency, h) : h));
        const rows: Cell[][] = [head, ...accounts.map((r) => [r.account, r.name, r.type, amount(r.opening), amount(r.debits), amount(r.credits), amount(r.closing)])];
        rows.push(['total', null, null, null, amount(totals.debits), amount(totals.credits), null]);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`trial-balance-${from}-${to}.csv`))
          .send(toCsv(rows, style, ledger.currency));
      }
      return { currency: ledger.currency, minorUnitDigits: minorUnitDigits(ledger.currency), period: { from, to }, accounts, totals };
    },
  );
};
