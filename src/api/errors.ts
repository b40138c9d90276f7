import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RefusedError, type RefusalKind } from '../services/errors';

/** Every error answer has this shape: a stable code, a message, and for bad input the field paths and reasons. */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Sent as Retry-After (by the error handler, the one place that writes it): when a request refused for now (429) may come again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The status each kind of service refusal answers with. */
const refusalStatus: Record<RefusalKind, number> = { too_large: 413, busy: 429 };

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** The 400 body for bad input: each field path with its reason, and all of them in the message. */
export const invalidRequest = (issues: { path: string; message: string }[]) => ({
  error: { code: 'invalid_request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues },
});

/** Errors the router raises before any route is found (a malformed escape, an over-long segment): the same shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  return reply.code(err.statusCode ?? 400).send({ error: { code: err.code, message: err.message } });
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? 'body';
      const issues = err.validation.map((v) => ({
        path: `${where}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'invalid',
      }));
      return reply.code(400).send(invalidRequest(issues));
    }
    // A service's refusal is answered exactly as an ApiError with the status its kind stands for.
    const known =
      err instanceof RefusedError ? new ApiError(refusalStatus[err.kind], err.code, err.message, err.retryAfterSeconds)
      : err instanceof ApiError ? err
      : undefined;
    if (known) {
      // Bad input raised by a handler ("body.storeUrl: must be …") has the validation shape too: a path and its reason.
      if (known.code === 'invalid_request') {
        const at = known.message.indexOf(': ');
        return reply.code(known.statusCode).send(invalidRequest([at > 0 ? { path: known.message.slice(0, at), message: known.message.slice(at + 2) } : { path: 'body', message: known.message }]));
      }
      if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
      return reply.code(known.statusCode).send({ error: { code: known.code, message: known.message } });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: err.code ?? 'bad_request', message: err.message } });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on our side; try again.' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url}` } }),
  );
}
