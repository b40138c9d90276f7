/**
 * Why a service refuses a request, without knowing HTTP: services are called by routes, activities and scripts, so
 * they must not import the API (a lint rule in eslint.config.js enforces it). The API's error handler
 * (src/api/errors.ts) turns a refusal into the same JSON body as an ApiError, with the status its kind stands for.
 */
export type RefusalKind = 'too_large' | 'busy';

export class RefusedError extends Error {
  constructor(
    readonly kind: RefusalKind,
    /** A stable code from the catalog, sent as error.code. */
    readonly code: string,
    message: string,
    /** When a refusal that holds for now (busy) may be tried again; sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
