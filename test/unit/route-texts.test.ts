import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../support/openapi-document';

/**
 * Every text that tells a person which route to call (error fixes, refusals, README steps, comments) names a route
 * the OpenAPI document serves, with the method it serves it with.
 */
const root = new URL('../../', import.meta.url).pathname;
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Route = { method: string; template: string; path: RegExp };

/** `/v1/orders/{orderId}/restart` → a pattern where every parameter is one path segment. */
const routePattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** A route as a text writes it: `:id`, `<shopId>`, `{id}`, `${id}` are parameters; `*` is any rest. Query and trailing punctuation go. */
function normalizeMention(raw: string) {
  return raw
    .replace(/[?#].*$/, '')
    .replace(/[.,;:)\]`'"]+$/, '')
    .replace(/\/$/, '');
}

/** Every `METHOD /v1/…` or bare `/v1/…` in a text, not a vendor's (`/report/v1/…`). */
function routeMentions(text: string): { method: string | null; path: string }[] {
  const found: { method: string | null; path: string }[] = [];
  const re = /(?:\b(GET|POST|PUT|PATCH|DELETE) )?(?<![\w/.-])(\/v1\/[\w/:{}<>*.$-]*)/g;
  for (const m of text.matchAll(re)) found.push({ method: m[1] ?? null, path: normalizeMention(m[2]!) });
  return found;
}

function served(routes: Route[], mention: { method: string | null; path: string }) {
  const concrete = mention.path.replace(/\$?\{[^}]+\}|:\w+|<\w+>/g, 'x');
  // `/v1/webhooks/*`: some route under that prefix.
  const matches = (r: Route) => (concrete.endsWith('/*') ? r.template.startsWith(concrete.slice(0, -1)) : r.path.test(concrete));
  return routes.some((r) => matches(r) && (mention.method === null || r.method === mention.method));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|md)$/.test(name) ? [path] : [];
  });
}

describe('texts that name a route', () => {
  let routes: Route[];
  beforeAll(async () => {
    const doc = await openApiDocument();
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .map((m) => m.toUpperCase())
        .filter((m) => (methods as readonly string[]).includes(m))
        .map((method) => ({ method, template: path, path: routePattern(path) })),
    );
  });

  it('reads mentions the way a person writes them', () => {
    expect(routeMentions('Raise the quota (PUT /v1/ledger/quota), then restart: POST /v1/orders/:orderId/restart, /v1/refunds/:refundId/restart.')).toEqual([
      { method: 'PUT', path: '/v1/ledger/quota' },
      { method: 'POST', path: '/v1/orders/:orderId/restart' },
      { method: null, path: '/v1/refunds/:refundId/restart' },
    ]);
    expect(routeMentions('GET /settlement/v1/ledgers and /report/v1/payouts')).toEqual([]);
  });

  it('tells a wrong method or a route that does not exist', () => {
    expect(served(routes, { method: 'PUT', path: '/v1/ledger/quota' })).toBe(true);
    expect(served(routes, { method: 'POST', path: '/v1/ledger/quota' })).toBe(false);
    expect(served(routes, { method: null, path: '/v1/ledger/quotas' })).toBe(false);
  });

  it('every route named in the error catalog, the code and the README is served with that method', () => {
    const files = [...['src', 'activities', 'workflows'].flatMap((d) => sourceFiles(join(root, d))), join(root, 'README.md')];
    const wrong: string[] = [];
    let checked = 0;
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const mention of routeMentions(line)) {
            // A vendor's own API root that happens to start with /v1 too (Dinero's /v1/{organizationId}/…).
            if (relative(root, file).startsWith('src/adapters/') && mention.path.startsWith('/v1/${')) continue;
            checked++;
            if (!served(routes, mention)) wrong.push(`${relative(root, file)}:${i + 1}: ${[mention.method, mention.path].filter(Boolean).join(' ')}`);
          }
        });
    }
    expect(checked).toBeGreaterThan(50);
    expect(wrong, 'texts naming a route the OpenAPI document does not serve').toEqual([]);
  });
});
