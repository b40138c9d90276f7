import { loadVendorDocument, routeValidator, type RequestValidator, type SchemaRoute } from '../vendor-schemas';

type Json = Record<string, unknown>;
interface Extract {
  paths: Record<string, Record<string, { parameters: { in: string; schema?: Json }[]; 'x-query'?: Record<string, Json | string> }>>;
  definitions: Json;
}

/**
 * What Uni Economy's swagger allows (test/fixtures/vendors/uni-economy/swagger-extract.json, an extract of the
 * swagger published for its test API — see SOURCE.md): documented paths, `?action=` operations as their own routes,
 * the query parameters Uni Micro's own client uses on list reads, and request bodies against the swagger's
 * definitions (types, and no property the definition does not list).
 */
let validator: RequestValidator | undefined;

export function uniEconomyValidator(): RequestValidator {
  if (validator) return validator;
  const doc = loadVendorDocument<Extract>('uni-economy/swagger-extract.json');
  const byAction = new Map<string, SchemaRoute[]>();
  for (const [template, methods] of Object.entries(doc.paths)) {
    const [path, action = ''] = template.replace(/\{(\w+)\}/g, ':$1').split('?action=') as [string, string?];
    for (const [method, op] of Object.entries(methods)) {
      const body = op.parameters.find((p) => p.in === 'body')?.schema;
      const query: Record<string, Json | true> = {};
      for (const [name, schema] of Object.entries(op['x-query'] ?? {})) if (typeof schema === 'object') query[name] = schema;
      if (action) query.action = { const: action };
      const routes = byAction.get(action) ?? [];
      routes.push({ method, path, query, ...(body ? { body: { ...body, definitions: doc.definitions } } : {}) });
      byAction.set(action, routes);
    }
  }
  const validators = new Map([...byAction].map(([action, routes]) => [action, routeValidator(routes)] as const));
  const basePath = '/api/biz'; // the swagger's basePath: its paths start after it
  validator = (req) => {
    const action = req.query.get('action') ?? '';
    const v = validators.get(action);
    const path = req.path.startsWith(basePath) ? req.path.slice(basePath.length) : req.path;
    return v ? v({ ...req, path }) : [`${req.method.toUpperCase()} ${path}?action=${action}: is not a documented operation`];
  };
  return validator;
}
