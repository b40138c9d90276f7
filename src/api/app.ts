import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerErrorHandler } from './errors';
import { authPlugin } from './plugins/auth';
import { adminRoutes } from './routes/admin';
import { ledgerRoutes } from './routes/ledger';
import { orderRoutes } from './routes/orders';
import { payoutRoutes } from './routes/payouts';
import { reportRoutes } from './routes/reports';
import { webhookRoutes } from './routes/webhooks';
import type { ApiServices } from './services';

export interface AppOptions extends ApiServices {
  adminApiKey: string;
  logger?: FastifyServerOptions['logger'];
}

/** The REST API: one plugin per concern, zod schemas next to each route, OpenAPI at /docs. */
export async function buildApp(opts: AppOptions) {
  const app = Fastify({ logger: opts.logger ?? false, requestIdHeader: 'x-request-id' }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  // Settlement files arrive as they were downloaded from the acquirer.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  await app.register(swagger, {
    openapi: {
      info: { title: 'ledgerbridge', version: '1', description: 'Books webshop sales into the ledger, exactly once.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { db: opts.db, adminApiKey: opts.adminApiKey });

  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
  const services: ApiServices = {
    db: opts.db,
    temporal: opts.temporal,
    taskQueue: opts.taskQueue,
    credentials: opts.credentials,
    fetchPayoutsEveryMinutes: opts.fetchPayoutsEveryMinutes,
  };
  await app.register(adminRoutes, services);
  await app.register(webhookRoutes, services);
  await app.register(orderRoutes, services);
  await app.register(ledgerRoutes, services);
  await app.register(payoutRoutes, services);
  await app.register(reportRoutes, services);
  return app;
}
