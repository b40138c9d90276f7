import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LedgerRegistry } from '../../adapters/ledgers/registry';
import { channelView, ledgerConnectionView } from '../../services/setup-views';
import { errorBody } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop } from '../shops';
import { askLedger } from './ledger';

/**
 * What the app's setup page reads back (issue 14): the saved ledger connection and channel without their secrets,
 * and the ledger's chart of accounts and VAT codes that fill the mapping's dropdowns.
 */
export const setupRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, credentials, testEndpoints }) => {
  app.addHook('onRequest', app.shopOnly);
  const registry = new LedgerRegistry(db, credentials, testEndpoints);

  app.get(
    '/v1/ledger/connection',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The connected ledger system and its settings; its keys are never shown (credentialsSaved says whether they are set)',
        response: {
          200: z.object({
            system: z.string(),
            settings: z.record(z.string(), z.unknown()).nullable().describe('as saved by PUT /v1/ledger/connection; null for the local ledger'),
            credentialsSaved: z.boolean(),
          }),
          401: errorBody,
        },
      },
    },
    async (req) => ledgerConnectionView(db, req.shopId),
  );

  app.get(
    '/v1/ledger/accounts',
    {
      schema: {
        tags: ['ledger'],
        summary: "The ledger's chart of accounts and the VAT codes the mapping may name, asked from the ledger system; createsAccounts says whether POST /v1/ledger/accounts can add missing ones",
        response: {
          200: z.object({
            system: z.string(),
            accounts: z.array(z.object({ number: z.string(), name: z.string().nullable() })),
            vatCodes: z.array(z.object({ code: z.string(), rate: z.number().nullable().describe('percent'), name: z.string().nullable() })),
            createsAccounts: z.boolean(),
          }),
          401: errorBody,
          422: errorBody,
          503: errorBody,
        },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const port = await registry.portFor(ledger.id);
      return { system: ledger.system, ...(await askLedger(() => port.chart())) };
    },
  );

  app.get(
    '/v1/channel',
    {
      schema: {
        tags: ['channels'],
        summary: "The shop's sales channel: platform, the webhook address to give it, the store URL and whether REST keys are saved (secrets are never shown)",
        response: {
          200: z.object({
            platform: z.string().nullable().describe('null until PUT /v1/channel'),
            webhookUrl: z.string().nullable().describe("path on this API the platform's webhooks post to; null for a polled channel (Dandomain)"),
            storeUrl: z.string().nullable(),
            restApi: z.object({ configured: z.boolean() }),
            secretSaved: z.boolean(),
          }),
          401: errorBody,
        },
      },
    },
    async (req) => channelView(db, req.shopId),
  );
};
