import { loadVendorDocument } from './vendor-schemas';

/**
 * e-conomic documents its REST API as "restdocs" (restdocs.e-conomic.com, source: github.com/e-conomic/slate): per
 * endpoint the JSON schema's name, its required properties, the filterable properties and a property table (type,
 * format, max length, max and min value, enum values). The JSON schemas themselves live on restapi.e-conomic.com,
 * which this machine cannot reach, so the table is turned back into a JSON Schema here: what the fake e-conomic
 * validates is exactly what the published document lists, nothing we remembered.
 *
 * Required properties follow the document's rule: "objectA.property" listed without "objectA" means the property is
 * required only when objectA is sent.
 */

type Json = Record<string, unknown>;

export interface RestdocsEndpoint {
  method: string;
  /** As documented, e.g. /journals-experimental/:journalNumber/vouchers. */
  path: string;
  schemaName: string | undefined;
  required: string[];
  filterable: string[];
  /** JSON Schema of the document (request body for POST/PUT, item for collections). */
  schema: Json;
}

const section = (markdown: string, method: string, path: string): string => {
  const heading = `### <span class='${method.toLowerCase()}'>${method.toUpperCase()}</span> ${path}`;
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) throw new Error(`restdocs: no section "${method.toUpperCase()} ${path}"`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('### '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
};

/** The comma-separated list under "#### <title>" (e.g. Required properties). */
const listUnder = (text: string, title: RegExp): string[] => {
  const m = new RegExp(`#### ${title.source}\\s*\\n\\s*\\n([^\\n#]*)`).exec(text);
  return m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
};

interface Row {
  name: string[];
  type: string;
  format: string;
  maxLength?: number;
  maximum?: number;
  minimum?: number;
  values: string[];
}

function rows(text: string): Row[] {
  const table = text.split('#### Properties')[1] ?? '';
  const lines = table.split('\n').filter((l) => l.startsWith('|'));
  if (lines.length < 2) return [];
  const header = lines[0]!.split('|').map((c) => c.trim().toLowerCase());
  const col = (cells: string[], name: string) => {
    const i = header.indexOf(name);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const num = (s: string) => (s === '' ? undefined : Number(s));
  return lines.slice(2).map((l) => {
    const cells = l.split('|');
    return {
      name: col(cells, 'name').split('<wbr>.'),
      type: col(cells, 'type').toLowerCase(),
      format: col(cells, 'format'),
      maxLength: num(col(cells, 'max length')),
      maximum: num(col(cells, 'max value')),
      minimum: num(col(cells, 'min value')),
      values: col(cells, 'values').split(/<wbr>,\s*|,\s*/).map((v) => v.trim()).filter(Boolean),
    };
  });
}

const FORMATS: Record<string, string> = { 'full-date': 'full-date', 'date-time': 'date-time', uri: 'uri', email: 'email' };

function leafSchema(r: Row): Json {
  const s: Json = {};
  if (r.type === 'enum') s.enum = r.values;
  else if (r.type === 'array') Object.assign(s, { type: 'array', items: { type: 'object', properties: {} } });
  else if (r.type === 'object') Object.assign(s, { type: 'object', properties: {} });
  else if (['string', 'integer', 'number', 'boolean'].includes(r.type)) s.type = r.type;
  const format = FORMATS[r.format];
  if (format && r.type === 'string') s.format = format;
  if (r.maxLength !== undefined && r.type === 'string') s.maxLength = r.maxLength;
  if (r.maximum !== undefined) s.maximum = r.maximum;
  if (r.minimum !== undefined) s.minimum = r.minimum;
  return s;
}

/** The object schema that holds the children of `path` (an array's items, an object's properties). */
function objectAt(root: Json, path: string[]): Json | undefined {
  let node: Json | undefined = root;
  for (const seg of path) {
    const props = node?.properties as Record<string, Json> | undefined;
    let child = props?.[seg];
    if (child?.type === 'array') child = child.items as Json;
    node = child;
  }
  return node;
}

function buildSchema(table: Row[], required: string[]): Json {
  const root: Json = { type: 'object', properties: {} };
  for (const r of table) {
    const parent = objectAt(root, r.name.slice(0, -1));
    if (!parent) continue; // a property of something the table does not describe
    (parent.properties as Record<string, Json>)[r.name.at(-1)!] = leafSchema(r);
  }
  for (const dotted of required) {
    const path = dotted.split('.');
    const parent = objectAt(root, path.slice(0, -1));
    if (!parent || parent.type !== 'object') continue;
    parent.required = [...((parent.required as string[] | undefined) ?? []), path.at(-1)!];
  }
  return root;
}

/** One endpoint of an e-conomic restdocs file under test/fixtures/vendors/e-conomic/restdocs. */
export function restdocsEndpoint(file: string, method: string, path: string): RestdocsEndpoint {
  const text = section(loadVendorDocument<string>(`e-conomic/restdocs/${file}`), method, path);
  const required = listUnder(text, /Required propert(?:y|ies)/);
  return {
    method: method.toUpperCase(),
    path,
    schemaName: /\[([\w.-]+\.schema\.json)\]/.exec(text)?.[1],
    required,
    filterable: listUnder(text, /Filterable properties/),
    // A collection's "Required property: self" describes what e-conomic answers, not what we send.
    schema: buildSchema(rows(text), method.toUpperCase() === 'GET' ? [] : required),
  };
}
