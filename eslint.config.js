import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', '.data', 'db/migrations', 'coverage', 'dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed deterministically inside Temporal's sandbox: no Node APIs, no I/O.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto'], message: 'Workflows run in a deterministic sandbox without Node APIs.' },
            { group: ['../activities/*', '../src/adapters/*', '../db/*', '../src/api/*', '../src/services/*'], allowTypeImports: true, message: 'Workflows do no I/O: call an activity.' },
            // Every workflow context evaluates the whole bundle: zod in it cost each open workflow ~17 ms of worker
            // CPU and ~1 MiB (issue 16). The domain modules that build zod schemas (order.ts, mapping.ts) count too;
            // their types are free. test/unit/workflows/no-zod-in-bundle.test.ts checks the bundle itself.
            { group: ['zod', 'zod/*'], message: 'No validation library in workflow code: check signal inputs by hand (workflows/signal-inputs.ts); the full schema check runs in an activity (activities/snapshot-check.ts).' },
            { regex: '^(\\.\\./)+src/domain/(order|mapping)$', allowTypeImports: true, message: 'This module builds zod schemas: import its types only (import type); the schema check runs in an activity (activities/snapshot-check.ts).' },
          ],
        },
      ],
    },
  },
  {
    // Issue 15: no function in workflows/ or activities/ longer than about 60 lines. A workflow reads as a story
    // (longer steps move into named helpers or a run's state class, see OrderBooking in workflows/order.ts); an
    // activity factory too long is split into per-concern sub-factories.
    files: ['workflows/**/*.ts', 'activities/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The domain is pure: money, VAT, plans and decisions, tested in milliseconds. Anything that reaches out belongs
    // in an activity, a service or an adapter.
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'postgres', 'drizzle-orm', 'drizzle-orm/*', '@temporalio/*', 'fastify', 'pino'], message: 'Domain code is pure: no I/O, no framework.' },
            { group: ['../adapters/*', '../services/*', '../api/*', '../../db/*', '../../activities/*', '../../workflows/*'], allowTypeImports: true, message: 'The domain depends on nothing outside it.' },
          ],
        },
      ],
    },
  },
  {
    // Services are called by routes, activities and scripts: they know nothing of HTTP. A service refuses with
    // RefusedError (src/services/errors.ts), which the API's error handler maps to its status and body.
    files: ['src/services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../api', '../api/*', '../../api', '../../api/*', '../../src/api', '../../src/api/*'], message: 'Services do not import the API: throw RefusedError (./errors) and let the API map it.' }] },
      ],
    },
  },
  {
    // Routes and plugins hold no SQL: queries live in src/services (the *-repository.ts files and the use cases), where
    // activities and scripts reuse them and the boundary to the database is one layer (issue 15, point 4). Only the
    // Db handle's type may be imported, to pass it on.
    files: ['src/api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*', 'postgres'], message: 'Routes hold no SQL: put the query in a repository in src/services (e.g. payout-repository.ts).' },
            { regex: '^(\\.\\./)+db/schema$', message: 'Routes hold no SQL: put the query in a repository in src/services (e.g. payout-repository.ts); it exports the row types too.' },
            { regex: '^(\\.\\./)+db/client$', allowTypeImports: true, message: 'Routes hold no SQL: pass the Db handle on to a service.' },
          ],
        },
      ],
    },
  },
  {
    // Temporary exception: the signed-webhook intake in channels.ts (storing the delivery, settling its outcome, the
    // refund's order lookup) is being moved into a service for the webhook relay; until then that block alone may
    // query, with these imports only. Remove this entry with it.
    files: ['src/api/routes/channels.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'drizzle-orm', allowImportNames: ['and', 'eq'], message: 'Only the webhook intake may query here; anything else goes in a repository in src/services.' },
            { name: '../../../db/schema', allowImportNames: ['channelEvents', 'orders'], message: 'Only the webhook intake may query here; anything else goes in a repository in src/services.' },
          ],
        },
      ],
    },
  },
  {
    // The shop owner's app runs in the browser and talks only to the API (docs/APP.md).
    files: ['app/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        // By regex, not by '../../src/*': that glob caught only files directly in app/src, and a page one folder
        // deeper reached the server with '../../../src/…' unnoticed. Type imports too: the app's type-check must not
        // pull in the server's module graph, and a service's types are not the wire format (docs/APP.md is).
        {
          patterns: [
            { regex: '^(\\.\\./)+(src|db|workflows|activities)(/|$)', message: 'The app talks to the API over HTTP only.' },
            { group: ['node:*'], message: 'The app talks to the API over HTTP only.' },
          ],
        },
      ],
    },
  },
);
