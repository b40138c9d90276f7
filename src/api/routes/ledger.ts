import { ledgerCompany } from '../../adapters/ledgers/company';
import { ledgerConnectionSchema } from '../../adapters/ledgers/connection';
import { LedgerTransientError, type LedgerPort } from '../../adapters/ledgers/port';
import { BookingError, describeError } from '../../domain/errors';
import type { WorkflowHandle } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  approveGraduationSignal,
  bookDraftSignal,
  graduationQuery,
  ledgerQueueQuery,
  postponeGraduationSignal,
  setQuotaSignal,
  stayOnDraftsSignal,
  workflowIds,
} from '../../../workflows/definitions';
import { LedgerRegistry } from '../../adapters/ledgers/registry';
import { graduationOutlook } from '../../domain/graduation';
import { mappingNeeds, mappingSchema, vatAccounts, type Mapping } from '../../domain/mapping';
import { countFailedPostingsSince, draftedOrderIds } from '../../services/graduation';
import { countPostings, saveLedgerConnection, saveMapping, setMonthlyQuota, storedMapping } from '../../services/ledger-settings-repository';
import { signalSome } from '../../services/restart';
import { defaultWorkLimits } from '../../services/work-limits';
import { joinLedger, ledgerOfCompany, shopsOfLedger } from '../../services/ledger-sharing';
import { ApiError, errorBody, invalidField, notFound } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop, monthlyQuotaSchema } from '../shops';

const BOOK_DRAFTS = 'POST /v1/ledger/drafts/book';

const graduationBody = z.object({
  ledgerId: z.string(),
  state: z.enum(['trial', 'awaiting_approval', 'graduated', 'staying_on_drafts']),
  trialStartedAt: z.string(),
  trialEndsAt: z.string(),
  failedPostingsInTrial: z.number().describe('failed postings since the trial began: so far while it runs'),
  switchesAt: z.string().nullable().describe('when the ledger switches to auto-post (or starts waiting for approval); null once decided'),
  switchesBy: z.enum(['itself', 'approval']).nullable().describe('itself at switchesAt, or only when the owner approves'),
  next: z.string().describe('the same, for a person'),
  draftsToBook: z.number().describe('invoices left as drafts for review; POST /v1/ledger/drafts/book books them all'),
});

const setupReport = z.object({
  missingAccounts: z.array(z.string()),
  missingVatCodes: z.array(z.string()),
  missingPaymentTerms: z.array(z.string()),
});

const connectedBody = z.object({ ledgerId: z.string(), system: z.string(), setup: setupReport.nullable() });

const joinLedgerBody = z.strictObject({
  ledgerId: z.string().min(1).describe("another ledger of the shop's merchant (GET /v1/ledger of a shop that books into it)"),
});

/** A question to the ledger system; its refusals become 422 with the catalog's fix, silence a 503 to try again. */
export async function askLedger<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    if (err instanceof BookingError) throw new ApiError(422, err.code, `${describeError(err.code).message} ${describeError(err.code).fix}`);
    if (err instanceof LedgerTransientError) throw new ApiError(503, 'ledger_unreachable', `The ledger did not answer (${err.message}); try again.`);
    throw err;
  }
}

/** The shop's ledger: its mapping and setup check, posting queue, quota, graduation, and (local) journal. */
export const ledgerRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, credentials, testEndpoints, workLimits = defaultWorkLimits }) => {
  app.addHook('onRequest', app.shopOnly);
  const registry = new LedgerRegistry(db, credentials, testEndpoints);

  app.put(
    '/v1/mapping',
    {
      schema: {
        tags: ['mapping'],
        summary: 'Save the booking mapping; answers what the ledger is missing for it',
        body: mappingSchema,
        response: { 200: z.object({ setup: setupReport }), 400: errorBody, 401: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (req) => {
      // Checked first, stored after: a mapping the ledger refuses (422) is not kept.
      const setup = await checkSetup(await registry.portFor((await ledgerOfShop(db, req.shopId)).id), req.body);
      await saveMapping(db, req.shopId, req.body);
      return { setup };
    },
  );

  /** The ledger's setup check for a mapping; vendor refusals become 422 with the catalog's fix. */
  const checkSetup = (port: LedgerPort, mapping: Mapping) => askLedger(() => port.checkSetup(mappingNeeds(mapping)));

  const savedMapping = async (shopId: string) => {
    const mapping = mappingSchema.safeParse(await storedMapping(db, shopId));
    if (!mapping.success) throw new ApiError(409, 'mapping_missing', 'Save the shop mapping first (PUT /v1/mapping): the setup check compares it with the ledger.');
    return mapping.data;
  };

  /** Runs the ledger's setup check for the saved mapping. */
  const setupCheck = async (shopId: string, ledgerId: string) => {
    const mapping = await savedMapping(shopId);
    return { mapping, setup: await checkSetup(await registry.portFor(ledgerId), mapping) };
  };

  app.put(
    '/v1/ledger/connection',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Connect the ledger system (e-conomic, Billy, Fiken, Dinero, Uni Economy or local) with its keys and settings; answers the setup check',
        body: ledgerConnectionSchema,
        response: { 200: connectedBody, 400: errorBody, 401: errorBody, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const posted = await countPostings(db, ledger.id);
      if (posted > 0 && ledger.system !== req.body.system) {
        throw new ApiError(409, 'ledger_in_use', `This ledger already holds ${posted} postings in ${ledger.system}; connect the new system as a new shop ledger.`);
      }
      const body = req.body;
      if (body.system !== 'local' && body.settings.baseUrl !== undefined && !testEndpoints) {
        throw invalidField('body.settings.baseUrl', 'is not taken: we call each ledger system at its own address');
      }
      if (body.system !== 'local' && !credentials) throw new ApiError(409, 'credentials_key_missing', 'The operator must set CREDENTIALS_KEY before ledger keys can be stored.');
      // One company is one ledger of the merchant: a second connection to it would post beside the first one's queue.
      const company = ledgerCompany(body, ledger.id);
      const sibling = await ledgerOfCompany(db, ledger.merchantId, body.system, company, ledger.id);
      if (sibling) {
        throw new ApiError(409, 'ledger_company_connected', `Another ledger of yours (${sibling.id}) books into this company; book into it with PUT /v1/ledger {"ledgerId": "${sibling.id}"}.`);
      }
      // Checked with the new connection first, stored after: keys the ledger refuses (422) are not kept.
      const setup = (await storedMapping(db, req.shopId)) ? await checkSetup(registry.portForConnection(ledger.id, body), await savedMapping(req.shopId)) : null;
      await saveLedgerConnection(
        db,
        ledger.id,
        body.system === 'local'
          ? { system: 'local', company, credentials: null, settings: null }
          : { system: body.system, company, credentials: credentials!.sealJson(body.credentials, ledger.id), settings: body.settings },
      );
      return { ledgerId: ledger.id, system: body.system, setup };
    },
  );

  app.put(
    '/v1/ledger',
    {
      schema: {
        tags: ['ledger'],
        summary:
          'Book into another ledger of the merchant (one accounting company, several shops): the same queue, voucher sequence and keys; answers the setup check of the shop\'s mapping there',
        body: joinLedgerBody,
        response: { 200: connectedBody, 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (req) => {
      // The ledger's keys stay sealed to its own id, so nothing is sealed again; the shop's references there carry its prefix.
      const joined = await joinLedger(db, req.shopId, req.body.ledgerId);
      if (joined.kind === 'not_found') throw notFound(`ledger ${req.body.ledgerId}`);
      if (joined.kind === 'bookings_in_ledger') {
        throw new ApiError(
          409,
          'ledger_in_use',
          `This shop has ${joined.bookings} bookings in its current ledger; they stay there, so it cannot move. Add a new shop for the company (POST /v1/shops) and book into it from that one.`,
        );
      }
      const setup = (await storedMapping(db, req.shopId)) ? (await setupCheck(req.shopId, joined.ledger.id)).setup : null;
      return { ledgerId: joined.ledger.id, system: joined.ledger.system, setup };
    },
  );

  app.post(
    '/v1/ledger/setup-check',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Check that every account, VAT code and payment term the mapping names exists in the ledger',
        response: { 200: z.object({ setup: setupReport }), 401: errorBody, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (req) => ({ setup: (await setupCheck(req.shopId, (await ledgerOfShop(db, req.shopId)).id)).setup }),
  );

  app.post(
    '/v1/ledger/accounts',
    {
      schema: {
        tags: ['ledger'],
        summary: "With the owner's approval, create the accounts the integration needs (acquirer receivables, fees, disputes, error, rounding; in the local ledger also output VAT and the VAT table's sales accounts)",
        body: z.object({ approve: z.literal(true, 'the owner must approve creating accounts: send {"approve": true}') }),
        response: { 200: z.object({ created: z.array(z.string()) }), 400: errorBody, 401: errorBody, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const { mapping, setup } = await setupCheck(req.shopId, ledger.id);
      const names = new Map<string, { name: string; type: 'balance' | 'expense' }>();
      for (const [method, m] of Object.entries(mapping.paymentMethods)) names.set(m.receivableAccount, { name: `Receivable ${m.acquirer} (${method})`, type: 'balance' });
      names.set(mapping.accounts.fee, { name: 'Acquirer fees', type: 'expense' });
      names.set(mapping.accounts.error, { name: 'Error account (unmatched payout lines)', type: 'balance' });
      names.set(mapping.accounts.rounding, { name: 'Rounding', type: 'expense' });
      if (mapping.accounts.currencyDifference) names.set(mapping.accounts.currencyDifference, { name: 'Currency differences', type: 'expense' });
      for (const [acquirer, own] of Object.entries(mapping.acquirers ?? {})) {
        if (own.fee) names.set(own.fee, { name: `Fees ${acquirer}`, type: 'expense' });
        if (own.disputes) names.set(own.disputes, { name: `Disputes ${acquirer} (chargebacks)`, type: 'balance' });
      }
      // The local ledger's VAT codes are ours too (POST /v1/ledger/vat-codes): their output VAT accounts and the sales
      // accounts of the VAT table are created here. A vendor's VAT accounts belong to its VAT codes: made there.
      if (ledger.system === 'local') for (const [number, account] of vatAccounts(mapping)) if (!names.has(number)) names.set(number, account);
      const toCreate = setup.missingAccounts.filter((a) => names.has(a)).map((number) => ({ number, ...names.get(number)! }));
      try {
        await (await registry.portFor(ledger.id)).createAccounts(toCreate);
      } catch (err) {
        if (err instanceof BookingError) throw new ApiError(422, err.code, `${describeError(err.code).message} ${describeError(err.code).fix} ${JSON.stringify(err.details)}`);
        throw err;
      }
      return { created: toCreate.map((a) => a.number) };
    },
  );

  app.get(
    '/v1/mapping',
    { schema: { tags: ['mapping'], summary: 'The saved booking mapping', response: { 200: mappingSchema, 401: errorBody, 404: errorBody } } },
    async (req) => {
      const mapping = await storedMapping(db, req.shopId);
      if (!mapping) throw notFound('mapping');
      return mappingSchema.parse(mapping);
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
            shops: z
              .array(z.object({ shopId: z.string(), name: z.string(), referencePrefix: z.string().nullable() }))
              .describe('the shops that book into this ledger (one company, several shops), each with the prefix its references carry there'),
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
      const shops = await shopsOfLedger(db, ledger.id);
      return { ledgerId: ledger.id, system: ledger.system, mode: ledger.mode, currency: ledger.currency, monthlyQuota: ledger.monthlyQuota, shops, queue };
    },
  );

  app.put(
    '/v1/ledger/quota',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Set the monthly posting quota (null = unlimited); blocked postings resume',
        body: z.object({ monthlyQuota: monthlyQuotaSchema }),
        response: { 200: z.object({ monthlyQuota: z.number().nullable() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      await setMonthlyQuota(db, ledger.id, req.body.monthlyQuota);
      await temporal.workflow
        .getHandle(workflowIds.ledger(ledger.id))
        .signal(setQuotaSignal, { monthlyQuota: req.body.monthlyQuota })
        .catch(() => undefined); // not running yet: it reads the quota from the database when it starts
      return { monthlyQuota: req.body.monthlyQuota };
    },
  );

  app.get(
    '/v1/ledger/graduation',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Where the ledger is in its draft trial: failures so far, when it switches to auto-post, and whether by itself or on approval',
        response: { 200: graduationBody, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const ledger = await ledgerOfShop(db, req.shopId);
      const view = await temporal.workflow
        .getHandle(workflowIds.graduation(ledger.id))
        .query(graduationQuery)
        .catch(() => {
          throw notFound('graduation');
        });
      const trialStartedAt = view.trialStartedAt ?? ledger.createdAt.toISOString();
      // The workflow counts the trial's failures when it ends; until then they are counted here, as they happen.
      const failed = view.failedPostingsInTrial ?? (await countFailedPostingsSince(db, ledger.id, new Date(trialStartedAt)));
      const draftsToBook = (await draftedOrderIds(db, req.shopId)).length;
      return { ...view, trialStartedAt, failedPostingsInTrial: failed, ...graduationOutlook(view.state, view.trialEndsAt, failed), draftsToBook };
    },
  );

  /** Signals the graduation workflow; 404 once there is none to signal (finished, or never started). */
  const signalGraduation = async (shopId: string, send: (handle: WorkflowHandle) => Promise<void>) => {
    const ledger = await ledgerOfShop(db, shopId);
    await send(temporal.workflow.getHandle(workflowIds.graduation(ledger.id))).catch(() => {
      throw notFound('graduation in progress');
    });
  };
  const accepted = z.object({ accepted: z.boolean() });

  app.post(
    '/v1/ledger/graduation/approve',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['ledger'],
        summary: "Switch to auto-post now (no body); answers how many of the trial's drafts wait for review, and the route that books them all",
        response: { 202: accepted.extend({ draftsToBook: z.number(), bookDrafts: z.string().nullable() }), 401: errorBody, 404: errorBody },
      },
    },
    async (req, reply) => {
      await signalGraduation(req.shopId, (h) => h.signal(approveGraduationSignal));
      const draftsToBook = (await draftedOrderIds(db, req.shopId)).length;
      return reply.code(202).send({ accepted: true, draftsToBook, bookDrafts: draftsToBook > 0 ? BOOK_DRAFTS : null });
    },
  );

  app.post(
    '/v1/ledger/graduation/postpone',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['ledger'],
        summary: 'Extend the trial (by 7 days, or the days given)',
        body: z.object({ days: z.number().positive().max(365).optional() }),
        response: { 202: accepted, 400: errorBody, 401: errorBody, 404: errorBody },
      },
    },
    async (req, reply) => {
      await signalGraduation(req.shopId, (h) => h.signal(postponeGraduationSignal, { days: req.body.days ?? 7 }));
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/v1/ledger/graduation/stay-on-drafts',
    { schema: { tags: ['ledger'], summary: 'Keep creating drafts for review; never switch to auto-post (no body)', response: { 202: accepted, 401: errorBody, 404: errorBody } } },
    async (req, reply) => {
      await signalGraduation(req.shopId, (h) => h.signal(stayOnDraftsSignal));
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/v1/ledger/drafts/book',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['ledger'],
        summary: 'Book the draft invoices that wait for review (and register their payments), as many as the work limits let; no body',
        description:
          'Within the work limits, as POST /v1/orders/restart: at most WORK_PER_REQUEST a request and no more than the shop has room for (RUNNING_WORK_PER_SHOP); `more` counts the drafts left for another call; 429 with Retry-After when the shop has no room now.',
        response: { 202: z.object({ matched: z.number(), signalled: z.number(), more: z.number() }), 401: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const ids = (await draftedOrderIds(db, req.shopId)).map((orderId) => workflowIds.order(req.shopId, orderId));
      return reply.code(202).send(await signalSome(db, temporal, req.shopId, workLimits, ids, bookDraftSignal));
    },
  );

};
