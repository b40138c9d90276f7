import { restdocsEndpoint } from '../restdocs-schema';
import { routeValidator, type RequestValidator, type SchemaRoute } from '../vendor-schemas';

/**
 * What e-conomic's published REST documentation (test/fixtures/vendors/e-conomic, see its SOURCE.md) allows, as a
 * request validator for the fake: the documented routes, bodies checked against the documented property tables and
 * required properties, and collections read with the documented query parameters only (skippages, pagesize up to
 * 1,000, filter on a documented filterable property, sort).
 */

/**
 * The endpoints the adapter calls, with the restdocs file that documents each (`documented`: the path as written
 * there, where it differs). GET on a collection takes the paging and filter parameters; a write has a body.
 */
const endpoints: { method: 'GET' | 'POST' | 'DELETE'; path: string; file: string; collection?: true; documented?: string }[] = [
  { method: 'GET', collection: true, path: '/accounts', file: 'accounts.md' },
  { method: 'GET', collection: true, path: '/vat-accounts', file: 'vat-accounts.md' },
  { method: 'GET', collection: true, path: '/payment-terms', file: 'payment-terms.md' },
  { method: 'GET', collection: true, path: '/customers', file: 'customers.md' },
  { method: 'GET', collection: true, path: '/invoices/drafts', file: 'invoices.md' },
  { method: 'GET', collection: true, path: '/invoices/booked', file: 'invoices.md' },
  { method: 'GET', collection: true, path: '/accounting-years', file: 'accounting-years.md' },
  { method: 'GET', collection: true, path: '/vat-zones', file: 'vat-zones.md' },
  { method: 'GET', collection: true, path: '/products', file: 'products.md' },
  // The 2019 restdocs name the journal endpoints /journals-experimental; the API serves them as /journals.
  { method: 'GET', collection: true, path: '/journals/:journalNumber/vouchers', file: 'journals.md', documented: '/journals-experimental/:journalNumber/vouchers' },
  { method: 'GET', path: '/customers/:customerNumber', file: 'customers.md' },
  { method: 'GET', path: '/invoices/drafts/:draftInvoiceNumber', file: 'invoices.md' },
  { method: 'GET', path: '/invoices/booked/:bookedInvoiceNumber', file: 'invoices.md' },
  { method: 'GET', path: '/accounting-years/:accountingYear', file: 'accounting-years.md' },
  { method: 'GET', path: '/products/:productNumber', file: 'products.md' },
  { method: 'GET', path: '/vat-zones/:vatZoneNumber', file: 'vat-zones.md' },
  { method: 'DELETE', path: '/invoices/drafts/:draftInvoiceNumber', file: 'invoices.md' },
  { method: 'POST', path: '/customers', file: 'customers.md' },
  { method: 'POST', path: '/invoices/drafts', file: 'invoices.md' },
  { method: 'POST', path: '/invoices/booked', file: 'invoices.md', documented: '/invoices/booked/' },
  { method: 'POST', path: '/journals/:journalNumber/vouchers', file: 'journals.md', documented: '/journals-experimental/:journalNumber/vouchers' },
];

/** The filterable properties of each collection, as documented ("Filterable properties"). */
export const economicFilterable: Record<string, string[]> = Object.fromEntries(
  endpoints.filter((e) => e.collection).map((c) => [c.path, restdocsEndpoint(c.file, 'GET', c.documented ?? c.path).filterable]),
);

const OPERATORS = 'eq|ne|gt|gte|lt|lte|like|in|nin';

/**
 * A filter as the introduction documents it: predicates `property$op:value` joined by `$and:` / `$or:`, optionally
 * in parentheses, on filterable properties only ("If you try to [filter] on something that isn't allowed the server
 * will respond with a status code 400"). Escaped characters ($$, $( …) never start a predicate.
 */
export function filterProblems(filter: string, filterable: string[]): string[] {
  const unescaped = filter.replace(/\$[$()*,[\]]/g, '');
  const predicates = unescaped.split(/\$(?:and|or):/).map((p) => p.replace(/^\(+/, ''));
  return predicates.flatMap((p) => {
    const m = new RegExp(`^([A-Za-z][\\w.]*)\\$(?:${OPERATORS}):`).exec(p);
    if (!m) return [`query.filter: "${p}" is not a documented filter predicate (property$operator:value)`];
    return filterable.includes(m[1]!) ? [] : [`query.filter: ${m[1]} is not a filterable property (documented: ${filterable.join(', ')})`];
  });
}

const collectionQuery: SchemaRoute['query'] = {
  skippages: { type: 'integer', minimum: 0 },
  pagesize: { type: 'integer', minimum: 1, maximum: 1000 },
  filter: { type: 'string' },
  sort: { type: 'string' },
};

let validator: RequestValidator | undefined;

/** Built once per process and shared by every fake e-conomic (compiling the schemas takes a moment). */
export function economicValidator(): RequestValidator {
  validator ??= buildValidator();
  return validator;
}

function buildValidator(): RequestValidator {
  const routes: SchemaRoute[] = endpoints.map((e) => ({
    method: e.method,
    path: e.path,
    ...(e.collection ? { query: collectionQuery } : {}),
    ...(e.method === 'POST' ? { body: restdocsEndpoint(e.file, e.method, e.documented ?? e.path).schema } : {}),
  }));
  const byRoute = routeValidator(routes);
  return (req) => {
    const problems = byRoute(req);
    const filter = req.query.get('filter');
    const filterable = economicFilterable[req.path];
    if (filter !== null && filterable) problems.push(...filterProblems(filter, filterable));
    return problems;
  };
}
