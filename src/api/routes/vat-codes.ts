import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createVatCode, listVatCodes } from '../../adapters/ledgers/local/vat-codes';
import { ApiError, errorBody, invalidField } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop } from '../shops';

const vatCodeBody = z.object({
  code: z.string().regex(/^[A-Za-z0-9._-]{1,50}$/, 'must be 1–50 letters, digits, . _ or -'),
  rate: z
    .number()
    .min(0, 'must be 0–100 (percent)')
    .max(100, 'must be 0–100 (percent)')
    // A whole number of basis points: 12.5 and 6.25 are rates, 12.345 is a typo.
    .refine((r) => Math.abs(r * 100 - Math.round(r * 100)) < 1e-9, 'may have at most 2 decimals (percent, e.g. 12.5)')
    .describe('percent, at most 2 decimals'),
  account: z.string().min(1).max(50).describe("the output VAT account the code's VAT books to; must be in the ledger's chart"),
});
const vatCode = vatCodeBody.extend({ account: z.string().nullable() });

/**
 * The local ledger's VAT codes, kept like its accounts: listed, and created by the owner (a Norwegian 15 % code on
 * its own output VAT account). Vendor ledgers keep their own VAT codes; their connection settings translate ours.
 */
export const vatCodeRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db }) => {
  app.addHook('onRequest', app.shopOnly);

  const localLedger = async (shopId: string) => {
    const ledger = await ledgerOfShop(db, shopId);
    if (ledger.system !== 'local') {
      throw new ApiError(409, 'vat_codes_local_only', `The ${ledger.system} ledger keeps its own VAT codes: create the code in ${ledger.system} and name it in the connection settings (PUT /v1/ledger/connection). GET /v1/ledger/accounts lists the codes the mapping may name.`);
    }
    return ledger;
  };

  app.get(
    '/v1/ledger/vat-codes',
    {
      schema: {
        tags: ['ledger'],
        summary: "The local ledger's VAT codes: code, rate and output VAT account",
        response: { 200: z.object({ vatCodes: z.array(vatCode) }), 401: errorBody, 409: errorBody },
      },
    },
    async (req) => ({ vatCodes: await listVatCodes(db, (await localLedger(req.shopId)).id) }),
  );

  app.post(
    '/v1/ledger/vat-codes',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Add a VAT code to the local ledger: a new code, its rate in percent and its output VAT account (which must exist)',
        body: vatCodeBody,
        response: { 201: vatCode, 400: errorBody, 401: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const ledger = await localLedger(req.shopId);
      const result = await createVatCode(db, ledger.id, req.body);
      if ('created' in result) return reply.code(201).send(result.created);
      if (result.refused === 'account') {
        throw invalidField('body.account', `account ${req.body.account} is not in the ledger's chart; create it first (POST /v1/ledger/accounts creates the accounts the mapping names)`);
      }
      throw new ApiError(409, 'vat_code_exists', `body.code: VAT code ${req.body.code} exists already in this ledger; a code is not redefined under the bookings that used it, add one with another code`);
    },
  );
};
