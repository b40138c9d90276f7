import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The migration to "a ledger is the merchant's company" (0013) on rows written before it: each ledger keeps its shop,
// its merchant comes from the shop, the company is named where settings name it (once per merchant and company),
// and local documents keep the ids postings hold while each ledger's counter continues after them.
const folder = new URL('../../db/migrations/', import.meta.url).pathname;
const files = readdirSync(folder).filter((f) => f.endsWith('.sql')).sort();
const target = files.findIndex((f) => f.includes('one_company'));
const apply = async (db: PGlite, file: string) => {
  for (const statement of readFileSync(folder + file, 'utf8').split('--> statement-breakpoint')) await db.exec(statement);
};

describe('migration: one company, several shops', () => {
  const db = new PGlite();
  beforeAll(async () => {
    for (const file of files.slice(0, target)) await apply(db, file);
    await db.exec(`
      insert into merchants (id, name) values ('m1', 'Two Shops ApS');
      insert into shops (id, name, merchant_id, api_key_hash) values ('s1', 'Mugs', 'm1', 'h1'), ('s2', 'Plates', 'm1', 'h2'), ('s3', 'Loose', null, 'h3');
      insert into ledgers (id, shop_id, system, currency, start_date, settings, created_at) values
        ('l1', 's1', 'billy', 'DKK', '2026-01-01', '{"organizationId":"org-1"}', '2026-01-01'),
        ('l2', 's2', 'billy', 'DKK', '2026-01-01', '{"organizationId":"org-1"}', '2026-02-01'),
        ('l3', 's3', 'local', 'DKK', '2026-01-01', null, '2026-03-01');
      insert into ledger_counters (ledger_id, last_voucher_number) values ('l3', 1);
      insert into vouchers (ledger_id, number, kind, reference, state, date, currency, text) values
        ('l3', 1, 'invoice', '1001', 'booked', '2026-03-02', 'DKK', 'Invoice'),
        ('l3', null, 'invoice', '1002', 'draft', '2026-03-02', 'DKK', 'Invoice');
    `);
    await apply(db, files[target]!);
  });
  afterAll(() => db.close());

  it('moves each ledger to its merchant and points its shop to it', async () => {
    const shops = await db.query<{ id: string; ledger_id: string; reference_prefix: string | null }>('select id, ledger_id, reference_prefix from shops order by id');
    expect(shops.rows).toEqual([
      { id: 's1', ledger_id: 'l1', reference_prefix: null },
      { id: 's2', ledger_id: 'l2', reference_prefix: null },
      { id: 's3', ledger_id: 'l3', reference_prefix: null },
    ]);
    const ledgers = await db.query<{ id: string; merchant_id: string | null; company: string | null }>('select id, merchant_id, company from ledgers order by id');
    // Two ledgers of one merchant already in one Billy organization keep their own postings: only the older is named.
    expect(ledgers.rows).toEqual([
      { id: 'l1', merchant_id: 'm1', company: 'org-1' },
      { id: 'l2', merchant_id: 'm1', company: null },
      { id: 'l3', merchant_id: null, company: 'l3' },
    ]);
  });

  it('keeps local document ids and continues each ledger’s document counter after them', async () => {
    const vouchers = await db.query<{ id: number; document_number: number }>('select id, document_number from vouchers order by id');
    expect(vouchers.rows.every((v) => v.document_number === v.id)).toBe(true);
    const counter = await db.query<{ last_document_number: number; last_voucher_number: number }>("select last_document_number, last_voucher_number from ledger_counters where ledger_id = 'l3'");
    expect(counter.rows[0]).toEqual({ last_document_number: Math.max(...vouchers.rows.map((v) => v.id)), last_voucher_number: 1 });
  });
});
