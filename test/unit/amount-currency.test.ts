import { expect, it } from 'vitest';
import { openApiDocument } from '../support/openapi-document';

/**
 * Every amount in an answer names its currency: in the OpenAPI document, each money property of a response (amount,
 * total, net, fee …) sits in an object that has a `currency`, or inside one that does (a voucher's lines).
 */
const moneyName = /^(amount|total|net|netAmount|fees?|balance|ledgerBalance|difference|unpaidPayments|unitPrice|gross)$/i;

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}

function amountsWithoutCurrency(schema: Schema | undefined, where: string, currencyAbove: boolean, out: string[]) {
  if (!schema) return;
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) amountsWithoutCurrency(s, where, currencyAbove, out);
  if (schema.items) amountsWithoutCurrency(schema.items, `${where}[]`, currencyAbove, out);
  const props = schema.properties ?? {};
  const named = currencyAbove || 'currency' in props;
  for (const [name, prop] of Object.entries(props)) {
    const numeric = [prop.type].flat().some((t) => t === 'integer' || t === 'number');
    if (numeric && moneyName.test(name) && !named) out.push(`${where}.${name}`);
    amountsWithoutCurrency(prop, `${where}.${name}`, named, out);
  }
}

it('every money amount in a response names its currency', async () => {
  const doc = (await openApiDocument()) as unknown as {
    paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>;
  };
  const missing: string[] = [];
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        for (const media of Object.values(res.content ?? {})) {
          checked++;
          amountsWithoutCurrency(media.schema, `${method.toUpperCase()} ${path} ${status}`, false, missing);
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(50);
  expect(missing).toEqual([]);
});
