import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/**
 * Request validation against what a vendor publishes (test/fixtures/vendors/<vendor>/). A fake vendor server runs
 * every request it receives through a RequestValidator and refuses it (400 in the vendor's error shape) when the
 * vendor's document would: an undocumented path or query parameter, a missing required field, a wrong type or
 * format, a value out of the documented range. The contract suite also asserts that an adapter never sent one.
 *
 * Two sources of truth are supported:
 * - an OpenAPI 3.0 document (Fiken, Dinero, …): `openApiValidator(loadVendorDocument('fiken/openapi.yaml'))`;
 * - JSON Schemas per route, with the query parameters the vendor documents (e-conomic's REST schemas, Billy's
 *   resource docs): `routeValidator([{ method, path, body, query }])`.
 */

export interface VendorRequest {
  method: string;
  /** The path as the vendor documents it (any base path such as /api/v2 already removed). */
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** Problems with a request, in words that name the field; none when the vendor's document allows it. */
export type RequestValidator = (req: VendorRequest) => string[];

export const VENDOR_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vendors');

/** A vendor document under test/fixtures/vendors, parsed (JSON or YAML by extension) or as text (.md, .txt). */
export function loadVendorDocument<T = Record<string, unknown>>(relativePath: string): T {
  const text = readFileSync(join(VENDOR_FIXTURES, relativePath), 'utf8');
  if (/\.ya?ml$/i.test(relativePath)) return parseYaml(text) as T;
  if (/\.json$/i.test(relativePath)) return JSON.parse(text) as T;
  return text as T;
}

/**
 * An Ajv instance for vendor schemas: OpenAPI 3.0 schemas are JSON Schema draft 4/5 with extras (`nullable`,
 * `example`, `discriminator`, `readOnly`); unknown keywords are ignored rather than refused, formats are checked.
 */
export function vendorAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: false });
  addFormats(ajv);
  // OpenAPI's int32/int64 and "uuid" are formats Ajv does not know; int64 is any integer in JSON.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('binary', true);
  ajv.addFormat('byte', true);
  ajv.addFormat('full-date', /^\d{4}-\d{2}-\d{2}$/);
  return ajv;
}

/** Ajv errors as "body.lines[0].unitPrice: must be integer". */
export function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = where + e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    if (e.keyword === 'required') return `${at}.${(e.params as { missingProperty: string }).missingProperty}: is required`;
    if (e.keyword === 'additionalProperties') return `${at}.${(e.params as { additionalProperty: string }).additionalProperty}: is not a documented property`;
    if (e.keyword === 'enum') return `${at}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    return `${at}: ${e.message ?? e.keyword}`;
  });
}

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
  /** Compiled on first use. */
  validate?: () => ValidateFunction;
}
interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: Parameter[];
  body?: { required: boolean; validate: () => ValidateFunction };
}

/**
 * Compiles on first use (a vendor document has hundreds of operations and a test touches a few), or at once when
 * `eager`: compiling takes long enough on a loaded machine to make a fake miss a client's timeout.
 */
function lazy(ajv: Ajv, schema: Json, eager = false): () => ValidateFunction {
  let fn: ValidateFunction | undefined = eager ? ajv.compile(schema) : undefined;
  return () => (fn ??= ajv.compile(schema));
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** '/companies/{companySlug}/sales/{saleId}/payments' or '/journals/:journalNumber/vouchers' → a RegExp. */
function templatePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\\\{[^}]+\\\}|\{[^}]+\}|:[A-Za-z][\w-]*/g, '[^/]+')}/?$`);
}

/** The operation whose template matches; a literal segment wins over a parameter (/invoices/drafts vs /invoices/{id}). */
function findOperation(ops: Operation[], method: string, path: string): Operation | undefined {
  const candidates = ops.filter((o) => o.method === method && o.pattern.test(path));
  const literalChars = (o: Operation) => o.template.replace(/\{[^}]+\}|:[A-Za-z][\w-]*/g, '').length;
  return candidates.sort((a, b) => literalChars(b) - literalChars(a))[0];
}

/** Query values arrive as strings: coerce them as the parameter's schema says before validating. */
function coerce(value: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (type === 'array') return value.split(',');
  return value;
}

/** Compiles each parameter's schema once (refs resolved against the document registered under `refPrefix`). */
function compiled(params: Parameter[], ajv: Ajv, refPrefix: string, eager = false): Parameter[] {
  return params.map((p) => (p.schema ? { ...p, validate: lazy(ajv, withRefPrefix(p.schema, refPrefix), eager) } : p));
}

function checkParams(op: Operation, req: VendorRequest): string[] {
  const problems: string[] = [];
  const documented = op.params.filter((p) => p.in === 'query');
  for (const name of new Set(req.query.keys())) {
    const param = documented.find((p) => p.name === name);
    if (!param) {
      problems.push(`query.${name}: is not a documented parameter of ${op.method.toUpperCase()} ${op.template}`);
      continue;
    }
    const validate = param.validate?.();
    if (!validate) continue;
    for (const raw of req.query.getAll(name)) {
      if (!validate(coerce(raw, param.schema))) problems.push(...describeErrors(`query.${name}`, validate.errors));
    }
  }
  for (const p of documented) if (p.required && !req.query.has(p.name)) problems.push(`query.${p.name}: is required`);
  return problems;
}

/** Local refs ('#/components/…') made absolute against the document registered under `prefix`. */
function withRefPrefix(schema: Json, prefix: string): Json {
  if (!prefix) return schema;
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${prefix}#/`)) as Json;
}

function validateOperation(op: Operation | undefined, req: VendorRequest): string[] {
  if (!op) return [`${req.method.toUpperCase()} ${req.path}: is not a documented operation`];
  const problems = checkParams(op, req);
  if (op.body) {
    if (req.body === undefined) {
      if (op.body.required) problems.push('body: is required');
    } else {
      const validate = op.body.validate();
      if (!validate(req.body)) problems.push(...describeErrors('body', validate.errors));
    }
  } else if (req.body !== undefined && req.method.toUpperCase() !== 'GET') {
    problems.push(`body: ${req.method.toUpperCase()} ${op.template} takes no body`);
  }
  return problems;
}

/**
 * A validator for an OpenAPI 3.0 document: paths, path- and operation-level parameters ($ref into
 * components/parameters), JSON request bodies ($ref into components/schemas). `basePath` is stripped from incoming
 * paths when the document's paths do not carry it (Fiken's paths start at /companies, its server at /api/v2).
 * `eager`: the paths (templates) whose schemas are compiled now rather than on first use — the ones a fake serves.
 */
export function openApiValidator(doc: Json, opts: { basePath?: string; eager?: RegExp } = {}): RequestValidator {
  const ajv = vendorAjv();
  const id = 'vendor-openapi';
  ajv.addSchema(doc, id);
  const deref = <T>(node: unknown): T => {
    let n = node as Json;
    for (let i = 0; i < 10 && n && typeof n.$ref === 'string'; i++) {
      n = (n.$ref as string).replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Json)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as Json;
    }
    return n as T;
  };
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    const shared = ((item.parameters ?? []) as unknown[]).map((p) => deref<Parameter>(p));
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const own = ((op.parameters ?? []) as unknown[]).map((p) => deref<Parameter>(p));
      const params = [...own, ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in))];
      const requestBody = op.requestBody ? deref<Json>(op.requestBody) : undefined;
      const eager = opts.eager?.test(template) ?? false;
      const schema = (requestBody?.content as Record<string, { schema?: Json }> | undefined)?.['application/json']?.schema;
      ops.push({
        method,
        template,
        pattern: templatePattern(template),
        params: compiled(params, ajv, id, eager),
        ...(schema ? { body: { required: requestBody?.required === true, validate: lazy(ajv, withRefPrefix(schema, id), eager) } } : {}),
      });
    }
  }
  const base = (opts.basePath ?? '').replace(/\/$/, '');
  return (req) => {
    const path = base && req.path.startsWith(base) ? req.path.slice(base.length) : req.path;
    return validateOperation(findOperation(ops, req.method.toLowerCase(), path), { ...req, path });
  };
}

export interface SchemaRoute {
  method: string;
  /** '/invoices/drafts', '/journals/:journalNumber/vouchers' */
  path: string;
  /** The JSON Schema of the request body; a route without one takes no body. */
  body?: Json;
  /** Query parameters the vendor documents for this route, by name, with an optional JSON Schema each. */
  query?: Record<string, Json | true>;
}

/** A validator for vendors that publish JSON Schemas per route rather than an OpenAPI document (compiled at once). */
export function routeValidator(routes: SchemaRoute[]): RequestValidator {
  const ajv = vendorAjv();
  const ops: Operation[] = routes.map((r) => ({
    method: r.method.toLowerCase(),
    template: r.path,
    pattern: templatePattern(r.path),
    params: compiled(Object.entries(r.query ?? {}).map(([name, schema]) => ({ name, in: 'query' as const, ...(schema === true ? {} : { schema }) })), ajv, '', true),
    ...(r.body ? { body: { required: true, validate: lazy(ajv, r.body, true) } } : {}),
  }));
  return (req) => validateOperation(findOperation(ops, req.method.toLowerCase(), req.path), req);
}
