import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeEmail } from '../../domain/roles';
import { checkPassword, newResetLink, PASSWORD_MIN_LENGTH, personByEmail, setPasswordWithToken } from '../../services/people';
import { describeSession, endSession, startSession } from '../../services/sessions';
import { ApiError, errorBody } from '../errors';
import { clearSessionCookie, setSessionCookie } from '../plugins/auth';
import { enforce } from '../plugins/rate-limits';
import type { ApiServices } from '../services';

/** How people reach the app: its public address (reset links), and whether reset links also go to the log. */
export interface PeopleOptions {
  /** The address people open the app at, e.g. https://books.example.com (PUBLIC_URL). */
  publicUrl: string;
  /** Writes each requested reset link to the log: for development, where no mail is sent (LOG_RESET_LINKS). */
  logResetLinks: boolean;
  /** Sign-in attempts per email in 15 minutes; an address may try three times as many a minute. */
  signInAttempts: number;
}

export const sessionBody = z.object({
  person: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(['owner', 'bookkeeper', 'viewer', 'operator']) }),
  merchant: z.object({ id: z.string(), name: z.string() }).nullable(),
  shops: z.array(z.object({ id: z.string(), name: z.string(), ledgerId: z.string(), mode: z.string() })),
  csrfToken: z.string().describe('Send it in X-CSRF-Token on every call that is not a GET'),
});

const emailField = z.string().trim().min(3).max(320);
const noSession = { security: [] as Record<string, string[]>[] };

/** Signing in and out, and setting a password through a reset link (docs/APP.md). */
export const sessionRoutes: FastifyPluginAsyncZod<ApiServices & PeopleOptions> = async (app, { db, publicUrl, logResetLinks, signInAttempts }) => {
  // Guessing passwords is slow per account (the email's bucket) and per client (the address's), whichever fills first.
  const byAddress = app.createRateLimit({ max: signInAttempts * 3, timeWindow: '1 minute', keyGenerator: (req) => `sign-in-address:${req.ip}` });
  const byEmail = app.createRateLimit({
    max: signInAttempts,
    timeWindow: '15 minutes',
    keyGenerator: (req) => `sign-in-email:${normalizeEmail(String((req.body as { email?: unknown }).email ?? ''))}`,
  });
  // Setting a password costs an argon2 hash: bounded per address too (the tokens themselves are not guessable).
  const byAddressForLinks = app.createRateLimit({ max: signInAttempts * 6, timeWindow: '1 minute', keyGenerator: (req) => `reset-address:${req.ip}` });
  const limitAttempts = async (req: Parameters<typeof enforce>[1]) => {
    await enforce(byAddress, req);
    await enforce(byEmail, req, 'in 15 minutes');
  };
  // Asking for reset links has buckets of its own: someone asking for another person's link many times must not lock
  // that person out of signing in, and failed sign-ins must not stop the person from asking for a link.
  const resetByAddress = app.createRateLimit({ max: signInAttempts * 3, timeWindow: '1 minute', keyGenerator: (req) => `reset-request-address:${req.ip}` });
  const resetByEmail = app.createRateLimit({
    max: signInAttempts,
    timeWindow: '15 minutes',
    keyGenerator: (req) => `reset-request-email:${normalizeEmail(String((req.body as { email?: unknown }).email ?? ''))}`,
  });
  const limitResetRequests = async (req: Parameters<typeof enforce>[1]) => {
    await enforce(resetByAddress, req);
    await enforce(resetByEmail, req, 'in 15 minutes');
  };

  app.post(
    '/v1/session',
    {
      preHandler: limitAttempts,
      schema: {
        tags: ['session'],
        summary: 'Sign in with email and password; sets the lb_session cookie',
        ...noSession,
        body: z.object({ email: emailField, password: z.string().min(1).max(1000) }),
        response: { 200: sessionBody, 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      // A wrong email and a wrong password answer alike, after the same work (checkPassword).
      const person = await checkPassword(db, req.body.email, req.body.password);
      if (!person) throw new ApiError(401, 'sign_in_failed', 'The email or the password is wrong.');
      const { token, csrfToken } = await startSession(db, person.id);
      setSessionCookie(reply, token);
      return describeSession(db, { csrfToken, person: { ...person, role: person.role as z.infer<typeof sessionBody>['person']['role'] } });
    },
  );

  app.get(
    '/v1/session',
    {
      onRequest: app.sessionOnly,
      schema: { tags: ['session'], summary: 'Who is signed in, their merchant and shops, and the CSRF token', response: { 200: sessionBody, 401: errorBody } },
    },
    async (req) => describeSession(db, req.personSession!),
  );

  app.delete(
    '/v1/session',
    {
      onRequest: app.sessionOnly,
      schema: { tags: ['session'], summary: 'Sign out: the session ends on the server and the cookie is cleared', response: { 204: z.null(), 401: errorBody, 403: errorBody } },
    },
    async (req, reply) => {
      await endSession(db, req.personSession!.tokenHash);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/session/password',
    {
      preHandler: (req) => enforce(byAddressForLinks, req),
      schema: {
        tags: ['session'],
        summary: "Set the password with a reset link's token; the link is used up and every session of the person ends",
        ...noSession,
        body: z.object({ token: z.string().min(1).max(200), password: z.string().min(PASSWORD_MIN_LENGTH).max(1000) }),
        response: { 204: z.null(), 400: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      if (!(await setPasswordWithToken(db, req.body.token, req.body.password))) {
        throw new ApiError(400, 'reset_link_invalid', 'This reset link is unknown, used or expired; ask for a new one (POST /v1/session/reset-request).');
      }
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/session/reset-request',
    {
      preHandler: limitResetRequests,
      schema: {
        tags: ['session'],
        summary: 'Ask for a reset link; answers 202 whether or not the email is known',
        ...noSession,
        body: z.object({ email: emailField }),
        response: { 202: z.null(), 400: errorBody, 429: errorBody },
      },
    },
    async (req, reply) => {
      const person = await personByEmail(db, req.body.email);
      if (person) {
        const link = await newResetLink(db, publicUrl, person.id);
        // No mail is sent: an operator hands links out (POST /v1/admin/people/{personId}/reset-link); in development the log does.
        if (logResetLinks) req.log.info({ personId: person.id }, `reset link for ${person.email}: ${link}`);
      }
      return reply.code(202).send(null);
    },
  );
};
