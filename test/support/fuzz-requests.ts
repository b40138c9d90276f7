import fc from 'fast-check';
import { broken, deepJsonText, garbageJson, hostileText, valid, type JsonSchema } from './schema-fuzz';

/** One operation of the OpenAPI document, as far as a fuzzer needs it. */
export interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; schema: JsonSchema; required?: boolean }[];
  body?: JsonSchema;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      params: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
      body: op.requestBody?.content['application/json']?.schema,
    })),
  );
}

/** What the fuzzer may conclude from an answer: `reject` inputs are invalid by construction and must get a 4xx. */
export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  expect: 'reject' | 'any';
  /** A validation failure must name the field: set when the body is JSON the parser accepts, invalid by schema. */
  schemaInvalid: boolean;
  label: string;
}

const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate has no UTF-8 form: send the bytes a careless encoder would
  }
};

/** A path segment: one of our own ids (so the handler runs), hostile text, or a malformed escape. */
function segment(p: Operation['params'][number], known: readonly string[]): fc.Arbitrary<{ text: string; known: boolean }> {
  const unknown = fc
    .oneof(hostileText.map(encode), fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2F..%2F', '%20', 'x'.repeat(300), '%ff%fe'))
    .map((text) => ({ text, known: false }));
  const ours = [...known, ...((p.schema.enum as string[] | undefined) ?? [])];
  return ours.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ours).map((text) => ({ text, known: true })) }, unknown) : unknown;
}

/** A query string: each declared parameter absent, plausible, broken or repeated; unknown ones; malformed escapes. */
function queryString(params: Operation['params']): fc.Arbitrary<string> {
  const value = (s: JsonSchema) =>
    fc.oneof(
      valid(s, true).map(String),
      hostileText,
      fc.constantFrom('', '-1', '0', '1.5', '1e309', 'NaN', 'true', '2026-02-30', '2026-13-01', '9'.repeat(30), 'x'.repeat(5_000)),
    );
  const entries = params.map((p) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([] as [string, string][]) },
      { weight: 4, arbitrary: value(p.schema).map((v) => [[p.name, v]] as [string, string][]) },
      fc.tuple(value(p.schema), value(p.schema)).map(([a, b]) => [[p.name, a], [p.name, b]] as [string, string][]),
    ),
  );
  const extra = fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor[prototype]', 'shopId', 'limit[]', 'a'), hostileText), { maxLength: 2 });
  const raw = fc.constantFrom('', '', '', '&%', '&a=%E0%A4%A', '&=&&', '&%00=%00', '&limit=1&limit');
  return fc.tuple(fc.tuple(...entries), extra, raw).map(([declared, more, tail]) => {
    const qs = [...declared.flat(), ...more].map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
    return qs || tail ? `?${qs}${tail}` : '';
  });
}

const otherContentTypes = ['text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/xml', 'application/json; charset=utf-16', 'application/octet-stream'];

/** Bytes that are not JSON, or JSON with a number no parser should take. */
const notJson: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.constantFrom('{', '{"a":', "{'orderId':1}", '[1,]', 'NaN', '\u0000', '{"total": 1e999}', '{"total": 0x10}', '{"total": 01}', '{"a":1}{"b":2}', '\ufeff{}', ' '),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 100 }),
);

/** A hostile number token in place of one of the JSON's numbers: a money amount no JSON parser accepts. */
const badNumberToken = (json: string) =>
  fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', '0x1F', '01', '1.', '.5', '1_000', '１２').map((t) =>
    /:-?\d/.test(json) ? json.replace(/(?<=:)-?\d+(\.\d+)?/, t) : json.startsWith('{') ? `{"total":${t},${json.slice(1)}` : `[${t}]`,
  );

/** The requests for one operation: its path and query fuzzed, its body broken, valid-but-hostile, or garbage. */
export function requestsFor(op: Operation, opts: { auth: string | Record<string, string>; known: Record<string, readonly string[]>; hostileValid: boolean }): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const path = fc.tuple(...pathParams.map((p) => segment(p, opts.known[p.name] ?? []))).map((segs) => {
    let i = 0;
    return { text: op.path.replace(/\{\w+\}/g, () => segs[i++]!.text), known: segs.every((s) => s.known) };
  });
  const query = queryParams.length ? queryString(queryParams) : fc.constant('');
  // A key, or a signed-in browser's headers (cookie and CSRF token).
  const base = typeof opts.auth === 'string' ? { authorization: `Bearer ${opts.auth}` } : opts.auth;
  const idempotency = fc.option(fc.constantFrom('short', 'k'.repeat(201)), { freq: 8, nil: undefined });

  type Body = Pick<FuzzRequest, 'payload' | 'expect' | 'schemaInvalid' | 'label'> & { contentType?: string };
  let body: fc.Arbitrary<Body>;
  if (op.method === 'GET') {
    body = fc.constant({ expect: 'any', schemaInvalid: false, label: 'no body' });
  } else if (op.body?.type === 'string') {
    // An uploaded file: any text goes; the route must refuse what it cannot read, with the line.
    const csv = fc.array(fc.array(fc.oneof(hostileText, fc.constantFrom('1.234,50', '-0', '2026-11-02', '"', '""', ';', 'payout'), fc.string()), { maxLength: 6 }).map((cells) => cells.join(';')), { maxLength: 8 });
    body = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(csv, fc.constantFrom('text/csv', 'text/plain')).map(([lines, ct]) => ({ payload: lines.join('\n'), contentType: ct, expect: 'any' as const, schemaInvalid: false, label: 'csv text' })) },
      garbageJson.map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json', expect: 'any' as const, schemaInvalid: false, label: 'json instead of a file' })),
      notJson.map((payload) => ({ payload, contentType: 'text/csv', expect: 'any' as const, schemaInvalid: false, label: 'bytes as csv' })),
    );
  } else {
    const schema = op.body;
    const defects = schema ? broken(schema) : [];
    const options: fc.WeightedArbitrary<Body>[] = [
      { weight: 2, arbitrary: garbageJson.map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json', expect: 'any', schemaInvalid: false, label: 'json from nothing' })) },
      { weight: 1, arbitrary: notJson.map((payload) => ({ payload, contentType: 'application/json', expect: 'any', schemaInvalid: false, label: 'not json' })) },
      { weight: 1, arbitrary: deepJsonText.map((payload) => ({ payload, contentType: 'application/json', expect: 'any', schemaInvalid: false, label: 'deep nesting' })) },
      {
        weight: 1,
        arbitrary: fc.tuple(schema && opts.hostileValid ? valid(schema) : garbageJson, fc.constantFrom(...otherContentTypes, undefined)).map(([v, ct]) => ({
          payload: JSON.stringify(v),
          contentType: ct,
          // A body the route does not parse arrives as text, or not at all; a route with optional fields may accept that.
          expect: 'any',
          schemaInvalid: false,
          label: `content-type ${ct ?? 'none'}`,
        })),
      },
    ];
    if (defects.length) {
      const brokenBody = fc.oneof(...defects);
      options.push({
        weight: 8,
        arbitrary: brokenBody.map((v) => {
          const payload = JSON.stringify(v);
          // Fastify refuses a body over 1 MiB, or with prototype-poisoning keys, before validation.
          const parsable = Buffer.byteLength(payload) <= 1024 * 1024 && !/"(__proto__|constructor)":/.test(payload);
          return { payload, contentType: 'application/json', expect: 'reject', schemaInvalid: parsable, label: 'schema defect' };
        }),
      });
    }
    if (schema && opts.hostileValid) {
      // Close to valid, so kept from routes whose valid input reaches an outside system.
      options.push({
        weight: 1,
        arbitrary: valid(schema).chain((v) => badNumberToken(JSON.stringify(v))).map((payload) => ({ payload, contentType: 'application/json', expect: 'any', schemaInvalid: false, label: 'bad number token' })),
      });
      options.push({ weight: 3, arbitrary: valid(schema, true).map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json', expect: 'any', schemaInvalid: false, label: 'valid, hostile values' })) });
    }
    body = fc.oneof(...options);
  }

  return fc.tuple(path, query, body, idempotency).map(([p, q, b, key]) => {
    const headers: Record<string, string> = { ...base };
    if (b.contentType) headers['content-type'] = b.contentType;
    if (key) headers['idempotency-key'] = key;
    return shortly({
      method: op.method,
      url: `${p.text}${q}`,
      headers,
      payload: b.payload,
      expect: b.expect,
      // Only with our own ids in the path is the body what the route refuses first.
      schemaInvalid: b.schemaInvalid && p.known,
      label: `${b.label}${key ? ', bad idempotency key' : ''}`,
    });
  });
}

const preview = (payload: string | Buffer | undefined) =>
  payload === undefined ? '(none)' : `${Buffer.byteLength(payload)} bytes: ${JSON.stringify(payload.toString().slice(0, 400))}`;

/** How fast-check prints a request in a counterexample: short, whatever the body's size or depth. */
export function shortly<T extends { method: string; url: string; headers: Record<string, string | string[]>; payload?: string | Buffer; label?: string }>(req: T): T {
  const text = `${req.method} ${req.url.slice(0, 200)} [${req.label ?? ''}] headers ${JSON.stringify(req.headers).slice(0, 400)} body ${preview(req.payload)}`;
  return Object.defineProperty(req, fc.toStringMethod, { value: () => text });
}
