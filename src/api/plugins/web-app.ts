import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, sendError } from '../errors';

/** Where `npm run build:app` (Vite) writes the app. */
export const webAppDir = fileURLToPath(new URL('../../../dist/app', import.meta.url));

// The app runs only our own code: no inline scripts, no other origins. Inline styles are allowed because charts set
// element styles; frames are refused so no one can overlay the Book button.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The shop owner's app under /app: the files Vite built, and index.html for every other path below /app so the
 * app's own router resolves it (a person can bookmark /app/sales and reload it).
 */
export const webAppPlugin = fp(async (app: FastifyInstance, opts: { root?: string }) => {
  const root = opts.root ?? webAppDir;
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  app.get('/app', { schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  if (!existsSync(join(root, 'index.html'))) {
    // The API still serves /v1 without the app; say how to get it rather than a bare 404.
    app.get('/app/*', { schema: { hide: true } }, (_req, reply) =>
      reply.code(503).type('text/plain').send('The web app is not built yet: run `npm run build:app` (npm run dev and npm test build it for you).'),
    );
    return;
  }
  await app.register(
    async (scope) => {
      scope.addHook('onSend', async (req, reply) => {
        reply.header('content-security-policy', contentSecurityPolicy);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'same-origin');
        // Built assets carry a content hash in their names; index.html must be fetched fresh to name the new ones.
        reply.header('cache-control', req.url.startsWith('/app/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      });
      await scope.register(fastifyStatic, { root, prefix: '/', wildcard: true, index: 'index.html', cacheControl: false, preCompressed: true });
      scope.setNotFoundHandler((req, reply) => {
        // A missing asset is a 404; any other path is one of the app's own pages.
        if (req.method !== 'GET' || req.url.startsWith('/app/assets/')) return sendError(reply, new ApiError(404, 'not_found', `no file ${req.url}`));
        return reply.sendFile('index.html');
      });
    },
    { prefix: '/app' },
  );
});
