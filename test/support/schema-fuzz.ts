import fc from 'fast-check';

/**
 * fast-check arbitraries derived from the JSON schemas of our OpenAPI document: values a schema admits (with hostile
 * text wherever it allows free text) and values it certainly refuses (a wrong type, a broken constraint, a missing
 * required field, an unknown field of a strict object), each placed somewhere deep inside an otherwise valid value.
 * The OpenAPI schemas are looser than the zod schemas they come from (refinements are lost), never stricter, so what
 * breaks the JSON schema also breaks the route's validation.
 */

export interface JsonSchema {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
}

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
const jsonTypes: JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

/** Text that trips naive servers and databases: NUL, lone surrogates, bidi overrides, injections, odd spaces. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202eevil', '\ufeff', '\u00a0', '\r\n', '\t', ' ', '𝕷𝖊𝖉𝖌𝖊𝖗', '日本語の注文',
      "'; DROP TABLE orders; --", '../../etc/passwd', '%00', '%s%n', '${7*7}', '{{7*7}}', '<script>alert(1)</script>',
      '__proto__', 'constructor', 'null', 'undefined', '1e999', '-0', 'NaN', '\\', '"', '\u0085', '\u2028',
    ),
  },
);

/** A value nested `depth` levels deep: arrays or objects. */
const deepNesting = (depth: number, kind: 'array' | 'object') => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

const branchesOf = (s: JsonSchema) => s.oneOf ?? s.anyOf;

/** The JSON types a schema admits; 'any' when it does not say. */
function admitted(s: JsonSchema): Set<JsonType> | 'any' {
  const branches = branchesOf(s);
  if (branches) {
    const out = new Set<JsonType>();
    for (const b of branches) {
      const a = admitted(b);
      if (a === 'any') return 'any';
      a.forEach((t) => out.add(t));
    }
    return out;
  }
  if (!s.type) return 'any';
  const out = new Set<JsonType>([s.type as JsonType]);
  if (s.type === 'number') out.add('integer');
  if (s.nullable) out.add('null');
  return out;
}

const someOfType: Record<JsonType, fc.Arbitrary<unknown>> = {
  null: fc.constant(null),
  boolean: fc.boolean(),
  integer: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, 1e300)),
  // Only non-integers: a schema that admits integers but not numbers must refuse every one of these.
  number: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.5, -0.01, 100.5, 1e-7)).filter((x) => !Number.isInteger(x)),
  string: fc.oneof(hostileText, fc.constantFrom('', '0', '100', 'true', '[]', '{}')),
  array: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.constant(deepNesting(200, 'array'))),
  object: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant(deepNesting(200, 'object'))),
};

function wrongType(s: JsonSchema): fc.Arbitrary<unknown>[] {
  const ok = admitted(s);
  if (ok === 'any') return [];
  return jsonTypes.filter((t) => !ok.has(t) && !(t === 'integer' && ok.has('number'))).map((t) => someOfType[t]);
}

const lo = (s: JsonSchema) => Math.max(s.minimum ?? Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
const hi = (s: JsonSchema) => Math.min(s.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
const within = (s: JsonSchema, x: number) =>
  (s.exclusiveMinimum ? x > lo(s) : x >= lo(s)) && (s.exclusiveMaximum ? x < hi(s) : x <= hi(s));
const lengthOk = (s: JsonSchema, v: string) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);

/** Values the schema admits; `hostile` puts hostile text wherever free text is allowed and numbers at their bounds. */
export function valid(s: JsonSchema, hostile = false): fc.Arbitrary<unknown> {
  const branches = branchesOf(s);
  if (branches) return fc.oneof(...branches.map((b) => valid(b, hostile)));
  const base = validOfType(s, hostile);
  return s.nullable ? fc.oneof({ weight: 4, arbitrary: base }, fc.constant(null)) : base;
}

function validOfType(s: JsonSchema, hostile: boolean): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = lo(s) + (s.exclusiveMinimum ? 1 : 0);
      const max = hi(s) - (s.exclusiveMaximum ? 1 : 0);
      const small = fc.integer({ min: Math.max(min, -1_000_000), max: Math.min(max, 1_000_000) });
      return hostile ? fc.oneof(small, fc.constantFrom(min, max, 2 ** 31, -(2 ** 31) - 1).filter((x) => within(s, x))) : small;
    }
    case 'number':
      return fc.oneof(
        fc.double({ min: lo(s), max: hi(s), noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(lo(s), hi(s), 1, 0.5),
      ).filter((x) => within(s, x));
    case 'string': {
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => lengthOk(s, v));
      if (s.format === 'uri') return fc.webUrl();
      const max = Math.min(s.maxLength ?? 40, 40);
      const plain = fc.string({ minLength: s.minLength ?? 0, maxLength: Math.max(max, s.minLength ?? 0) });
      return (hostile ? fc.oneof(plain, hostileText) : plain).filter((v) => lengthOk(s, v));
    }
    case 'array': {
      const min = s.minItems ?? 0;
      return fc.array(s.items ? valid(s.items, hostile) : fc.jsonValue({ maxDepth: 1 }), { minLength: min, maxLength: Math.min(s.maxItems ?? 3, Math.max(min, 3)) });
    }
    case 'object':
      return validObject(s, hostile);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validObject(s: JsonSchema, hostile: boolean, replace: Record<string, fc.Arbitrary<unknown>> = {}, omit?: string): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, sub] of Object.entries(props)) {
    if (k === omit) continue;
    fields[k] = replace[k] ?? (required.has(k) ? valid(sub, hostile) : fc.option(valid(sub, hostile), { nil: undefined, freq: 3 }));
  }
  const extra = typeof s.additionalProperties === 'object' ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), valid(s.additionalProperties, hostile), { minKeys: 1, maxKeys: 3 }) : fc.constant({});
  return fc.tuple(fc.record(fields), extra).map(([known, more]) => {
    const out: Record<string, unknown> = { ...more };
    for (const [k, v] of Object.entries(known)) if (v !== undefined) out[k] = v;
    return out;
  });
}

/** Values the schema refuses, by one defect placed anywhere inside; [] when the schema admits anything. */
export function broken(s: JsonSchema): fc.Arbitrary<unknown>[] {
  const out = wrongType(s);
  const branches = branchesOf(s);
  if (branches) return [...out, ...brokenUnion(branches)];
  if (s.enum) {
    const known = new Set(s.enum);
    if (s.type === 'boolean') out.push(fc.boolean().filter((b) => !known.has(b)));
    else out.push(fc.oneof(hostileText, fc.string()).filter((v) => !known.has(v)));
    return out;
  }
  switch (s.type) {
    case 'string':
      if ((s.minLength ?? 0) > 0) out.push(fc.constant(''));
      if (s.maxLength !== undefined) {
        const max = s.maxLength;
        out.push(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.constantFrom('x', 'ø', '𝕷')).map(([n, c]) => c.repeat(max + n)));
        out.push(fc.constant('y'.repeat(max + 100_000)));
      }
      if (s.pattern) {
        const re = new RegExp(s.pattern);
        out.push(fc.oneof(hostileText, fc.string({ maxLength: 20 })).filter((v) => !re.test(v)));
      }
      return out;
    case 'integer':
    case 'number': {
      if (s.type === 'integer') out.push(fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)), fc.constantFrom(2 ** 53, -(2 ** 53), 1e300, -1e300));
      const bounds = [lo(s) - 1, hi(s) + 1, s.exclusiveMinimum ? lo(s) : NaN, s.exclusiveMaximum ? hi(s) : NaN, -1e300, 1e300];
      const beyond = bounds.filter((x) => Number.isFinite(x) && !within(s, x) && (s.minimum !== undefined || s.maximum !== undefined));
      if (beyond.length) out.push(fc.constantFrom(...beyond));
      return out;
    }
    case 'array': {
      if ((s.minItems ?? 0) > 0) out.push(fc.constant([]));
      if (s.items) {
        const item = s.items;
        if (s.maxItems !== undefined && s.maxItems <= 1_000) {
          const max = s.maxItems;
          out.push(valid(item).map((v) => Array.from({ length: max + 1 }, () => v)));
        }
        const bad = broken(item);
        if (bad.length) {
          out.push(fc.tuple(fc.array(valid(item), { maxLength: 2 }), fc.oneof(...bad), fc.array(valid(item), { maxLength: 2 })).map(([a, b, c]) => [...a, b, ...c]));
        }
      }
      return out;
    }
    case 'object':
      return [...out, ...brokenObject(s)];
    default:
      return out;
  }
}

function brokenObject(s: JsonSchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  for (const k of s.required ?? []) out.push(validObject(s, true, {}, k));
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    const bad = broken(sub);
    if (bad.length) out.push(withNoise(validObject(s, true, { [k]: fc.oneof(...bad) })));
  }
  if (s.additionalProperties === false) {
    out.push(validObject(s, true).map((o) => ({ ...(o as object), unexpected: 'field' })));
  } else if (typeof s.additionalProperties === 'object') {
    const bad = broken(s.additionalProperties);
    if (bad.length) out.push(fc.tuple(validObject(s, true), fc.oneof(...bad)).map(([o, v]) => ({ ...(o as object), 'bad-entry': v })));
  }
  return out;
}

/** Unknown extra fields beside the defect: they must neither hide it nor be stored. */
const withNoise = (arb: fc.Arbitrary<unknown>) =>
  fc.tuple(arb, fc.dictionary(fc.constantFrom('extra', 'x-debug', 'isAdmin', 'shopId', '__proto__', '$where'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })).map(
    ([o, noise]) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.assign(Object.create(null) as object, noise, o) : o),
  );

/**
 * A discriminated union (every branch an object with a one-value enum under the same key): each branch broken with
 * its discriminator intact, or the discriminator itself unknown. Other unions only get values of a wrong type.
 */
function brokenUnion(branches: JsonSchema[]): fc.Arbitrary<unknown>[] {
  const key = Object.keys(branches[0]?.properties ?? {}).find((k) => branches.every((b) => b.properties?.[k]?.enum?.length === 1));
  if (!key) return [];
  const tags = new Set(branches.map((b) => b.properties![key]!.enum![0]));
  const out = branches.flatMap((b) => brokenObject(b));
  out.push(fc.tuple(fc.oneof(...branches.map((b) => valid(b, true))), hostileText.filter((t) => !tags.has(t))).map(([o, tag]) => ({ ...(o as object), [key]: tag })));
  return out;
}

/** JSON values unrelated to any schema. */
export const garbageJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, true, 0, -1, '', [], {}, [{}], 'a'.repeat(2_000)),
  fc.integer({ min: 50, max: 1_000 }).chain((d) => fc.constantFrom(deepNesting(d, 'array'), deepNesting(d, 'object'))),
);

/** JSON text nested far deeper than any value a test can build and stringify: up to 100,000 levels. */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.boolean())
  .map(([n, arrays]) => (arrays ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`));
