import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workflowIds } from '../../../workflows/definitions';
import { documentStates, type StatesByKind } from '../../services/document-states';
import { describeError } from '../../domain/errors';
import { currencySchema, minorUnits } from '../../domain/order';
import type { Payout } from '../../domain/payout';
import { documentStateValues } from '../../domain/posting';
import { isApiSource, type ApiSource } from '../../adapters/acquirers/api';
import { genericCsvMappingSchema, settlementBodyLimit, settlementFileLimits, type SettlementFormat } from '../../adapters/acquirers/files';
import { clearhausCredentialsSchema } from '../../adapters/acquirers/clearhaus/report';
import { vippsCredentialsSchema } from '../../adapters/acquirers/vipps/report';
import { ingestPayouts } from '../../services/payout-intake';
import { settlementUploadStatus, storeSettlementUpload } from '../../services/settlement-uploads';
import { settlementFormatsDoc } from '../../adapters/acquirers/files/formats';
import { sealedContext } from '../../crypto/sealed-contexts';
import { ApiError, errorBody, notFound } from '../errors';
import { restartAnswer, restartSome } from '../../services/restart';
import { admitAll, defaultWorkLimits } from '../../services/work-limits';
import { acquirerConnectionOf, failedPayouts, insertAcquirerConnection, payoutOf, payoutPage, saveCsvMapping, type PayoutRow } from '../../services/payout-repository';
import type { ApiServices } from '../services';
import { ledgerOfShop, newId } from '../shops';

const day = z.iso.date();
const currency = currencySchema;

/** A payout in our canonical form, for acquirers without an adapter (or a shop's own export). */
export const payoutSchema = z.object({
  payoutId: z.string().min(1).max(200),
  currency,
  paidOutAt: day,
  netAmount: minorUnits,
  exchangeRate: z.object({ from: currency, to: currency, rate: z.string().regex(/^\d+(\.\d+)?$/) }).optional(),
  lines: z
    .array(
      z.object({
        type: z.enum(['payment', 'refund', 'chargeback', 'chargeback_reversal', 'fee', 'adjustment']),
        amount: minorUnits,
        fee: minorUnits.nonnegative().default(0),
        currency,
        transactionId: z.string().max(200).optional(),
        orderReference: z.string().max(200).optional(),
        paymentMethod: z.string().max(100).optional(),
        date: day,
        description: z.string().max(500).optional(),
      }),
    )
    .max(100_000),
});

const connectionBody = z
  .object({
    /** The acquirer name the mapping's payment methods point to (nets, stripe, vipps …). */
    acquirer: z.string().min(1).max(50),
    /** stripe, nets (Nexi), vipps and clearhaus (QuickPay's acquirer) are fetched from the acquirer's API; the others are uploaded or posted. */
    source: z.enum(['stripe', 'nets', 'vipps', 'clearhaus', 'adyen', 'quickpay', 'generic', 'json']),
    /** Stripe: a restricted key with read access to payouts and balance. Nexi: the secret API key. Stored sealed. */
    apiKey: z.string().min(8).max(500).optional(),
    /** Vipps MobilePay: the sales unit's API keys for the Report API. Stored sealed. */
    vipps: vippsCredentialsSchema.optional(),
    /** Clearhaus: an OAuth client of the Merchant API. Stored sealed. */
    clearhaus: clearhausCredentialsSchema.optional(),
  })
  .refine((b) => b.source !== 'stripe' || b.apiKey, { message: 'a Stripe connection needs apiKey', path: ['apiKey'] })
  .refine((b) => b.source !== 'nets' || b.apiKey, {
    message: "a Nets/Nexi connection needs apiKey (the secret API key from Nexi Checkout Portal → Company → Integration): Nexi publishes no settlement file layout, so payouts are fetched from its Reporting API",
    path: ['apiKey'],
  })
  .refine((b) => b.source !== 'vipps' || b.vipps, {
    message: 'a Vipps MobilePay connection needs vipps {clientId, clientSecret, subscriptionKey, merchantSerialNumber}: payouts are fetched from its Report API (JSON; its CSV reports ended in 2022)',
    path: ['vipps'],
  })
  .refine((b) => b.source !== 'clearhaus' || b.clearhaus, {
    message: 'a Clearhaus connection needs clearhaus {clientId, clientSecret}: an OAuth client of the Clearhaus Merchant API, whose settlements are fetched',
    path: ['clearhaus'],
  });

/** Why a connection that fetches from an API takes no files. */
const noFiles: Record<ApiSource | 'json', string> = {
  stripe: 'its payouts are fetched from the Stripe API',
  nets: 'Nexi publishes no settlement file layout; its payouts are fetched from the Nexi Reporting API',
  vipps: 'Vipps MobilePay reports are JSON from its Report API, which this connection fetches (the CSV reports ended in 2022)',
  clearhaus: 'its settlements are fetched from the Clearhaus Merchant API',
  json: 'it takes payouts in canonical JSON (POST /v1/acquirers/:connectionId/payouts)',
};

export const payoutView = z.object({
  connectionId: z.string(),
  payoutId: z.string(),
  acquirer: z.string(),
  status: z.string(),
  currency: z.string(),
  paidOutAt: z.string(),
  netAmount: z.number().describe('what reached the bank, in minor units (øre, cents) of currency'),
  voucherNumber: z.string().nullable(),
  voucherState: z
    .enum(documentStateValues)
    .nullable()
    .describe("in_journal: the voucher is in the ledger's journal (e-conomic's daybook) and waits until someone books the journal there"),
  error: z.object({ code: z.string(), message: z.string(), fix: z.string(), details: z.unknown() }).nullable(),
  matches: z.unknown().describe('each line: the payment it settles and the rule that matched it, or why nothing matched'),
  updatedAt: z.string().describe('when the status last changed'),
});

const uploadView = z.object({
  uploadId: z.string(),
  connectionId: z.string(),
  status: z
    .enum(['received', 'parsing', 'done', 'refused'])
    .describe('received: stored, waiting for a worker; parsing: being read (linesRead so far); done: its payouts are stored and booking; refused: nothing of it was booked (error)'),
  bytes: z.number(),
  sha256: z.string(),
  linesRead: z.number().describe('data rows read so far'),
  receivedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z
    .object({ payouts: z.number(), new: z.number().describe('payouts not known before: an upload of a file seen before books nothing again'), workflowIds: z.array(z.string()) })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })) }).nullable(),
});

const toView = (p: PayoutRow, states: StatesByKind = {}): z.infer<typeof payoutView> => ({
  connectionId: p.connectionId,
  payoutId: p.payoutId,
  acquirer: p.acquirer,
  status: p.status,
  currency: p.currency,
  paidOutAt: p.paidOutAt,
  netAmount: p.netAmount,
  voucherNumber: p.voucherNumber,
  voucherState: states.payout ?? null,
  error: p.errorCode ? { code: p.errorCode, ...describeError(p.errorCode), details: p.errorDetails } : null,
  matches: p.matches,
  updatedAt: p.updatedAt.toISOString(),
});

/** Acquirer connections, payouts (from files, JSON or APIs) and their booking state. */
export const payoutRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue, credentials, fetchPayoutsEveryMinutes, workLimits = defaultWorkLimits }) => {
  app.addHook('onRequest', app.shopOnly);

  // The payout voucher's reference in our postings is "<connection>/<payout>" (activities/payouts.ts).
  const views = async (rows: PayoutRow[]) => {
    const ref = (p: PayoutRow) => ({ ledgerId: p.ledgerId, reference: `${p.connectionId}/${p.payoutId}` });
    const statesOf = await documentStates(db, rows.map(ref));
    return rows.map((p) => toView(p, statesOf(ref(p))));
  };

  const connectionOf = async (shopId: string, id: string) => {
    const c = await acquirerConnectionOf(db, shopId, id);
    if (!c) throw notFound(`acquirer connection ${id}`);
    return c;
  };

  app.post(
    '/v1/acquirers',
    {
      schema: {
        tags: ['payouts'],
        summary: 'Connect an acquirer (an API: Stripe, Nexi, Vipps MobilePay; or a source of settlement files)',
        body: connectionBody,
        response: { 201: z.object({ connectionId: z.string() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req, reply) => {
      const id = newId('acq');
      const secret = req.body.source === 'vipps' ? JSON.stringify(req.body.vipps) : req.body.source === 'clearhaus' ? JSON.stringify(req.body.clearhaus) : req.body.apiKey;
      if (secret && !credentials) {
        throw new ApiError(409, 'credentials_key_missing', 'The operator must set CREDENTIALS_KEY before API keys can be stored.');
      }
      const sealed = secret ? credentials!.seal(secret, sealedContext.acquirerCredentials(req.shopId, id)) : null;
      await insertAcquirerConnection(db, { id, shopId: req.shopId, acquirer: req.body.acquirer, source: req.body.source, credentials: sealed });
      if (isApiSource(req.body.source)) {
        // Fetch on a schedule; POST …/fetch triggers it at once.
        await temporal.schedule.create({
          scheduleId: workflowIds.fetchPayouts(id),
          spec: { intervals: [{ every: `${fetchPayoutsEveryMinutes ?? 60} minutes` }] },
          action: { type: 'startWorkflow', workflowType: 'fetchPayoutsWorkflow', args: [{ connectionId: id }], taskQueue },
        });
      }
      return reply.code(201).send({ connectionId: id });
    },
  );

  app.post(
    '/v1/acquirers/:connectionId/payouts',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['payouts'],
        summary: 'Deliver payouts in canonical JSON; each is matched and booked',
        params: z.object({ connectionId: z.string() }),
        description: 'At most WORK_PER_REQUEST (default 100) payouts a request (413 beyond), and no more than the shop has room for (RUNNING_WORK_PER_SHOP, default 200 bookings working at once; 429 with Retry-After beyond); a refused request stores nothing.',
        body: z.object({ payouts: z.array(payoutSchema).min(1).max(1000) }),
        response: { 202: z.object({ workflowIds: z.array(z.string()), new: z.number() }), 400: errorBody, 401: errorBody, 404: errorBody, 413: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const connection = await connectionOf(req.shopId, req.params.connectionId);
      await admitAll(db, req.shopId, workLimits, 'payouts', req.body.payouts.length);
      const ledger = await ledgerOfShop(db, req.shopId);
      const list: Payout[] = req.body.payouts.map((p) => ({
        ...p,
        acquirer: connection.acquirer,
        lines: p.lines.map((l, i) => ({ ...l, lineNo: i + 1 })),
      }));
      return reply.code(202).send(await ingestPayouts(db, temporal, taskQueue, connection, ledger.id, list));
    },
  );

  app.post(
    '/v1/acquirers/:connectionId/fetch',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['payouts'],
        summary: 'Fetch new payouts from the acquirer now (they are also fetched on a schedule)',
        params: z.object({ connectionId: z.string() }),
        response: { 202: z.object({ triggered: z.boolean() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const connection = await connectionOf(req.shopId, req.params.connectionId);
      if (!isApiSource(connection.source)) throw new ApiError(409, 'not_an_api_source', `connection ${connection.id} receives files; upload them instead`);
      await temporal.schedule.getHandle(workflowIds.fetchPayouts(connection.id)).trigger();
      return reply.code(202).send({ triggered: true });
    },
  );

  app.put(
    '/v1/acquirers/:connectionId/csv-mapping',
    {
      schema: {
        tags: ['payouts'],
        summary: 'Save the column mapping for generic CSV settlement files of this connection',
        params: z.object({ connectionId: z.string() }),
        body: genericCsvMappingSchema,
        response: { 200: z.object({ saved: z.boolean() }), 400: errorBody, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      await connectionOf(req.shopId, req.params.connectionId);
      await saveCsvMapping(db, req.params.connectionId, req.body);
      return { saved: true };
    },
  );

  // Settlement files: stored and answered 202 at once, read as a stream by a worker activity. Parsing a 43 MB file
  // inside the request once held the event loop for minutes, and every tenant's requests with it.
  app.post(
    '/v1/acquirers/:connectionId/settlements',
    {
      config: { minRole: 'bookkeeper' },
      bodyLimit: settlementBodyLimit,
      schema: {
        tags: ['payouts'],
        summary: "Upload a settlement file (text/csv) in the connection's format: stored and read in the background; all of it is booked, or none",
        description: `${settlementFormatsDoc}\n\nThe answer (202) names the upload; GET /v1/acquirers/{connectionId}/uploads/{uploadId} shows its progress and, for a refused file, the line and the reason. Largest file: ${Object.entries(settlementFileLimits).map(([f, b]) => `${f} ${b / 1024 / 1024} MiB`).join(', ')}.`,
        consumes: ['text/csv'],
        params: z.object({ connectionId: z.string() }),
        body: z.string().min(1, 'the file is empty').describe('the CSV file as downloaded'),
        response: {
          202: z.object({
            uploadId: z.string(),
            status: z.literal('received'),
            statusUrl: z.string(),
            duplicateOf: z.string().nullable().describe('an earlier upload of the same file to this connection: its payouts are not booked twice'),
          }),
          400: errorBody,
          401: errorBody,
          404: errorBody,
          409: errorBody,
          413: errorBody,
          429: errorBody,
        },
      },
    },
    async (req, reply) => {
      const connection = await connectionOf(req.shopId, req.params.connectionId);
      if (isApiSource(connection.source) || connection.source === 'json') {
        const fetchHint = connection.source === 'json' ? '' : `: new payouts arrive hourly, or now with POST /v1/acquirers/${connection.id}/fetch`;
        throw new ApiError(409, 'not_a_file_source', `connection ${connection.id} takes no settlement files: ${noFiles[connection.source]}${fetchHint}`);
      }
      const format = connection.source as SettlementFormat;
      const limit = settlementFileLimits[format];
      const bytes = Buffer.byteLength(req.body);
      if (bytes > limit) {
        throw new ApiError(
          413,
          'settlement_file_too_large',
          `the file has ${bytes} bytes; a ${format} settlement file may have ${limit} (${limit / 1024 / 1024} MiB). Export a shorter date range from the acquirer's portal and upload each file with POST /v1/acquirers/${connection.id}/settlements.`,
        );
      }
      // A file being read is running work of the shop: a shop at its limit uploads again later (429, Retry-After).
      await admitAll(db, req.shopId, workLimits, 'settlement files', 1);
      const stored = await storeSettlementUpload(db, temporal, taskQueue, { id: newId('upl'), shopId: req.shopId, connectionId: connection.id, content: req.body });
      return reply.code(202).send({ ...stored, status: 'received' as const, statusUrl: `/v1/acquirers/${connection.id}/uploads/${stored.uploadId}` });
    },
  );

  app.get(
    '/v1/acquirers/:connectionId/uploads/:uploadId',
    {
      schema: {
        tags: ['payouts'],
        summary: 'A settlement upload: its progress, the payouts it brought, or the line and reason it was refused for',
        params: z.object({ connectionId: z.string(), uploadId: z.string() }),
        response: { 200: uploadView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const u = await settlementUploadStatus(db, req.shopId, req.params.connectionId, req.params.uploadId);
      if (!u) throw notFound(`settlement upload ${req.params.uploadId}`);
      return {
        uploadId: u.id,
        connectionId: req.params.connectionId,
        status: u.status,
        bytes: u.bytes,
        sha256: u.sha256,
        linesRead: u.linesRead,
        receivedAt: u.createdAt.toISOString(),
        finishedAt: u.finishedAt?.toISOString() ?? null,
        result: u.result,
        // The same error the upload answered with (422) when files were read inside the request.
        error: u.error
          ? {
              code: 'invalid_settlement_file',
              message: `line ${u.error.line}: ${u.error.reason}. Nothing of the file was booked; fix it and upload it again with POST /v1/acquirers/${req.params.connectionId}/settlements.`,
              issues: [{ path: `line ${u.error.line}`, message: u.error.reason }],
            }
          : null,
      };
    },
  );

  app.get(
    '/v1/payouts',
    {
      schema: {
        tags: ['payouts'],
        summary: 'Payouts with their booking state, filtered by status or error code, with a cursor',
        querystring: z.object({
          status: z.string().max(200).optional().describe('one status, or several separated by commas (waiting,queued,posting)'),
          errorCode: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().optional(),
        }),
        response: { 200: z.object({ payouts: z.array(payoutView), nextCursor: z.string().nullable() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const { status, errorCode, limit, cursor } = req.query;
      const page = await payoutPage(db, req.shopId, { statuses: status ? status.split(',') : undefined, errorCode }, { limit, cursor });
      return { payouts: await views(page.rows), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/payouts/:connectionId/:payoutId',
    {
      schema: {
        tags: ['payouts'],
        summary: 'One payout: state, voucher and every line with its match',
        params: z.object({ connectionId: z.string(), payoutId: z.string() }),
        response: { 200: payoutView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const p = await payoutOf(db, req.shopId, req.params.connectionId, req.params.payoutId);
      if (!p) throw notFound(`payout ${req.params.payoutId}`);
      return (await views([p]))[0]!;
    },
  );

  app.post(
    '/v1/payouts/restart',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['payouts'],
        summary: 'Restart every failed payout (optionally of one error code): they book in parallel',
        description: 'Within the same limits as POST /v1/orders/restart: `more` matched but wait for another call; 429 with Retry-After when the shop has no room now.',
        body: z.object({ errorCode: z.string().optional() }).default({}),
        response: { 200: restartAnswer, 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (req) => {
      const failed = await failedPayouts(db, req.shopId, req.body.errorCode);
      return restartSome(db, temporal, req.shopId, workLimits, failed.map((f) => workflowIds.payout(f.connectionId, f.payoutId)));
    },
  );
};
