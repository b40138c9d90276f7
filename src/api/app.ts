import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { settlementBodyLimit } from '../adapters/acquirers/files';
import { frameworkErrors, invalidField, registerErrorHandler } from './errors';
import { jsonNestedDeeperThan, tooDeepMessage } from '../domain/json-depth';
import { authPlugin } from './plugins/auth';
import { idempotencyPlugin } from './plugins/idempotency';
import { noBodyPlugin } from './plugins/no-body';
import { rateLimitsPlugin } from './plugins/rate-limits';
import { textGuardPlugin } from './plugins/text-guard';
import { webAppPlugin } from './plugins/web-app';
import { adminRoutes } from './routes/admin';
import { adminAttentionRoutes } from './routes/admin-attention';
import { adminPeopleRoutes } from './routes/admin-people';
import { peopleRoutes } from './routes/people';
import { sessionRoutes } from './routes/session';
import { channelRoutes } from './routes/channels';
import { journalRoutes } from './routes/journal';
import { ledgerRoutes } from './routes/ledger';
import { orderRoutes } from './routes/orders';
import { payoutDetailRoutes } from './routes/payout-details';
import { overviewRoutes } from './routes/overview';
import { payoutRoutes } from './routes/payouts';
import { reportRoutes } from './routes/reports';
import { saleRoutes } from './routes/sales';
import { setupRoutes } from './routes/setup';
import { vatCodeRoutes } from './routes/vat-codes';
import { transferRoutes } from './routes/transfer';
import { webhookRoutes } from './routes/webhooks';
import type { ApiServices } from './services';

declare module 'fastify' {
  interface FastifyInstance {
    routeList: string[];
  }
}

export interface AppOptions extends ApiServices {
  adminApiKey: string;
  rateLimitPerMinute?: number;
  /** Requests a minute from one address before authentication; twice rateLimitPerMinute when unset. */
  rateLimitPerAddressPerMinute?: number;
  /** Tests only (TEST_ENDPOINTS): vendor base URLs and http store URLs on this machine are taken. */
  testEndpoints?: boolean;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For names the client address (TRUST_PROXY). */
  trustProxy?: boolean | string[];
  logger?: FastifyServerOptions['logger'];
  /** The address people open the app at, for reset links (PUBLIC_URL); http://localhost:3000 when unset. */
  publicUrl?: string;
  /** Requested reset links also go to the log (LOG_RESET_LINKS): development only. */
  logResetLinks?: boolean;
  /** Sign-in attempts per email in 15 minutes (three times as many per address a minute); 10 when unset. */
  signInAttempts?: number;
  /** Where the built web app lives (dist/app unless a test points elsewhere). */
  webAppDir?: string;
  /** The Temporal Web UI the operator page links into (TEMPORAL_UI_URL), and the namespace its lists show. */
  temporalUi?: { url: string; namespace: string };
}

/** The REST API: one plugin per concern, zod schemas next to each route, OpenAPI at /docs. */
export async function buildApp(opts: AppOptions) {
  const app = Fastify({ logger: opts.logger ?? false, requestIdHeader: 'x-request-id', frameworkErrors, trustProxy: opts.trustProxy ?? false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  // Every route we serve, "METHOD /path/{param}" as OpenAPI writes it, so a test can hold the docs to it.
  const routeList: string[] = [];
  app.addHook('onRoute', (r) => {
    if (r.schema?.hide || r.url.startsWith('/docs')) return;
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    for (const m of [r.method].flat()) if (m !== 'HEAD') routeList.push(`${m} ${path}`);
  });
  app.decorate('routeList', routeList);
  // JSON bodies: an empty one means "no parameters" (see noBodyPlugin); nesting is bounded before parsing (a body of
  // 500,000 brackets stalls every tenant); then Fastify's own parser with its prototype-poisoning guard.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    if (jsonNestedDeeperThan(text)) return done(invalidField('body', tooDeepMessage), undefined);
    return parseJson(req, text, done);
  });
  // Settlement files arrive as they were downloaded from the acquirer, up to the largest format's limit (each upload
  // route checks its own format's, src/adapters/acquirers/files/index.ts).
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: settlementBodyLimit }, (_req, body, done) => done(null, body));
  await app.register(noBodyPlugin);

  await app.register(swagger, {
    openapi: {
      info: { title: 'ledgerbridge', version: '1', description: 'Books webshop sales into the ledger, exactly once.' },
      // A machine sends its key; a person's browser the session cookie (with X-Shop-Id and X-CSRF-Token, docs/APP.md).
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'lb_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  const perMinute = opts.rateLimitPerMinute ?? 1200;
  await app.register(rateLimitsPlugin, { perMinute, perAddressPerMinute: opts.rateLimitPerAddressPerMinute ?? 2 * perMinute });
  await app.register(authPlugin, { db: opts.db, adminApiKey: opts.adminApiKey });
  await app.register(idempotencyPlugin, { db: opts.db });
  await app.register(textGuardPlugin);

  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
  const services: ApiServices = {
    db: opts.db,
    temporal: opts.temporal,
    taskQueue: opts.taskQueue,
    credentials: opts.credentials,
    fetchPayoutsEveryMinutes: opts.fetchPayoutsEveryMinutes,
    testEndpoints: opts.testEndpoints,
    workLimits: opts.workLimits,
  };
  const people = { ...services, publicUrl: opts.publicUrl ?? 'http://localhost:3000', logResetLinks: opts.logResetLinks ?? false, signInAttempts: opts.signInAttempts ?? 10 };
  await app.register(adminRoutes, services);
  await app.register(adminPeopleRoutes, people);
  await app.register(sessionRoutes, people);
  await app.register(peopleRoutes, people);
  await app.register(webhookRoutes, services);
  await app.register(channelRoutes, services);
  await app.register(orderRoutes, services);
  await app.register(saleRoutes, services);
  await app.register(ledgerRoutes, services);
  await app.register(journalRoutes, services);
  await app.register(payoutRoutes, services);
  await app.register(payoutDetailRoutes, services);
  await app.register(reportRoutes, services);
  await app.register(setupRoutes, services);
  await app.register(vatCodeRoutes, services);
  await app.register(transferRoutes, services);
  await app.register(overviewRoutes, services);
  await app.register(adminAttentionRoutes, { ...services, temporalUi: opts.temporalUi ?? { url: 'http://localhost:8233', namespace: 'default' } });
  await app.register(webAppPlugin, { root: opts.webAppDir });
  return app;
}
