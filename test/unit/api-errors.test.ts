import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, errorBody, frameworkErrors, invalidField, notFound, registerErrorHandler } from '../../src/api/errors';
import { RefusedError } from '../../src/services/errors';

/** Every way a request can fail, each answered through the one error type. */
async function failingApp() {
  const app = Fastify({ frameworkErrors, bodyLimit: 100 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.post('/zod', { schema: { body: z.object({ amount: z.number().int() }) } }, async () => ({}));
  app.get('/api-error', async () => {
    throw notFound('order 1');
  });
  app.get('/field', async () => {
    throw invalidField('body.storeUrl', 'the REST API keys need the store URL they belong to', 'store_url_missing');
  });
  app.get('/refused', async () => {
    throw new RefusedError('busy', 'shop_busy', 'the shop has no room now', 30);
  });
  app.get('/bug', async () => {
    throw new Error('secret connection string postgres://x');
  });
  app.addHook('preValidation', async (req) => {
    if (req.url === '/hook') throw new ApiError(409, 'idempotency_key_in_progress', 'still running', { retryAfterSeconds: 1 });
  });
  app.get('/hook', async () => ({}));
  return app;
}

it('answers every error with the errorBody shape: code, message, and the field paths for bad input', async () => {
  const app = await failingApp();
  const shape = z.object({ error: errorBody.shape.error.strict() }).strict();
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, payload: payload as string });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: shape.parse(res.json()).error };
  };

  expect(await call('POST', '/zod', { amount: 1.5 })).toMatchObject({ status: 400, body: { code: 'invalid_request', issues: [{ path: 'body.amount' }] } });
  expect(await call('GET', '/api-error')).toEqual({ status: 404, retryAfter: undefined, body: { code: 'not_found', message: 'order 1 not found' } });
  expect(await call('GET', '/field')).toMatchObject({
    status: 400,
    body: { code: 'store_url_missing', message: 'body.storeUrl: the REST API keys need the store URL they belong to', issues: [{ path: 'body.storeUrl', message: 'the REST API keys need the store URL they belong to' }] },
  });
  expect(await call('GET', '/refused')).toMatchObject({ status: 429, retryAfter: '30', body: { code: 'shop_busy' } });
  expect(await call('GET', '/hook')).toMatchObject({ status: 409, retryAfter: '1', body: { code: 'idempotency_key_in_progress' } });
  expect(await call('POST', '/zod', { note: 'x'.repeat(200) })).toMatchObject({ status: 413 });
  expect(await call('GET', '/nowhere')).toMatchObject({ status: 404, body: { code: 'not_found' } });
  // Our own failure says nothing of its cause.
  expect(await call('GET', '/bug')).toEqual({ status: 500, retryAfter: undefined, body: { code: 'internal', message: 'Something went wrong on our side; try again.' } });
  await app.close();
});
