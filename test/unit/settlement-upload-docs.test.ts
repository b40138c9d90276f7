import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSettlementFile, type SettlementFormat } from '../../src/adapters/acquirers/files';
import { adyenColumns, adyenTypes } from '../../src/adapters/acquirers/files/adyen';
import { quickpayColumns, quickpayTypes } from '../../src/adapters/acquirers/files/quickpay';
import { openApiDocument, type OpenApiDocument } from '../support/openapi-document';

/** The settlement upload as /docs shows it: a CSV body, each format's columns and types, and a sample that reads. */
const examples = new URL('../../examples/settlements/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, examples), 'utf8');
const samples: Record<SettlementFormat, string> = {
  adyen: 'adyen-settlement-details.csv',
  quickpay: 'quickpay-settlements.csv',
  generic: 'danish-export.csv',
};

describe('POST /v1/acquirers/{connectionId}/settlements in the OpenAPI document', () => {
  let upload: OpenApiDocument['paths'][string][string];
  beforeAll(async () => {
    upload = (await openApiDocument()).paths['/v1/acquirers/{connectionId}/settlements']!.post!;
  });

  it('takes text/csv, not JSON', () => {
    expect(Object.keys(upload.requestBody!.content)).toEqual(['text/csv']);
  });

  it("names each format's columns and every transaction type it accepts", () => {
    const doc = upload.description!;
    for (const name of [...adyenColumns, ...Object.keys(adyenTypes), ...quickpayColumns, ...Object.keys(quickpayTypes)]) expect(doc).toContain(`\`${name}\``);
    for (const column of ['payoutId', 'type', 'amount', 'date', 'fee', 'currency', 'orderReference']) expect(doc).toContain(`\`${column}\``);
  });

  it.each(Object.entries(samples))('points to a sample %s file in examples/ that reads as payouts', (format, file) => {
    expect(upload.description).toContain(`examples/settlements/${file}`);
    const mapping = format === 'generic' ? JSON.parse(read('danish-export.mapping.json')) : undefined;
    const payouts = parseSettlementFile(format as SettlementFormat, read(file), format, mapping);
    expect(payouts.length).toBeGreaterThan(0);
    expect(payouts.every((p) => p.lines.length > 0)).toBe(true);
  });
});
