import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RefusedError, type RefusalKind } from '../services/errors';

/** A field that was refused: its path (body.storeUrl, headers.idempotency-key, line 12) and the reason. */
export interface Issue {
  path: string;
  message: string;
}

/** Every error answer has this shape: a stable code, a message, and for bad input the field paths and reasons. */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/**
 * The one error type of the API: every error answer, from a route, a plugin, the router or a service's refusal, is
 * sent from one of these by sendError, so every body has the errorBody shape.
 */
export class ApiError extends Error {
  /** Sent as Retry-After (by sendError, the one place that writes it): when a request refused for now (429) may come again. */
  readonly retryAfterSeconds?: number;
  /** The fields refused, each with its reason: set for bad input. */
  readonly issues?: Issue[];

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    extra: { retryAfterSeconds?: number; issues?: Issue[] } = {},
  ) {
    super(message);
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.issues = extra.issues;
  }
}

/** The status each kind of service refusal answers with. */
const refusalStatus: Record<RefusalKind, number> = { too_large: 413, busy: 429 };

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** Bad input (400 invalid_request): each field path with its reason, and all of them in the message. */
export const invalidInput = (issues: Issue[]) =>
  new ApiError(400, 'invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });

/** One refused field: "body.storeUrl: must be …", with the path in `issues`; a more precise code where the catalog has one. */
export const invalidField = (path: string, message: string, code = 'invalid_request') =>
  code === 'invalid_request' ? invalidInput([{ path, message }]) : new ApiError(400, code, `${path}: ${message}`, { issues: [{ path, message }] });

/** Answers with the error: its status, Retry-After when it has one, and the errorBody shape. */
export function sendError(reply: FastifyReply, err: ApiError) {
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  const { code, message, issues } = err;
  return reply.code(err.statusCode).send({ error: issues ? { code, message, issues } : { code, message } });
}

/** Errors the router raises before any route is found (a malformed escape, an over-long segment): the same shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, new ApiError(err.statusCode ?? 400, err.code, err.message));
}

/** The ApiError an error thrown anywhere in a request stands for; undefined for a failure on our side (a 500). */
function asApiError(err: FastifyError): ApiError | undefined {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    return invalidInput(err.validation.map((v) => ({ path: `${where}${v.instancePath.replaceAll('/', '.')}`, message: v.message ?? 'invalid' })));
  }
  // A service's refusal is answered exactly as an ApiError with the status its kind stands for.
  if (err instanceof RefusedError) return new ApiError(refusalStatus[err.kind], err.code, err.message, { retryAfterSeconds: err.retryAfterSeconds });
  if (err instanceof ApiError) return err;
  // Fastify's own refusals (a body too large, a content type without a parser).
  if (err.statusCode && err.statusCode < 500) return new ApiError(err.statusCode, err.code ?? 'bad_request', err.message);
  return undefined;
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const known = asApiError(err);
    if (known) return sendError(reply, known);
    req.log.error({ err }, 'request failed');
    return sendError(reply, new ApiError(500, 'internal', 'Something went wrong on our side; try again.'));
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, new ApiError(404, 'not_found', `no route ${req.method} ${req.url}`)));
}
