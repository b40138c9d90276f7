import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { ledgerRecordIds } from '../../db/schema';
import { BillyLedger } from '../../src/adapters/ledgers/billy';
import { postgresRecordIds } from '../../src/adapters/ledgers/record-ids';
import { createShop } from '../../src/services/shop-repository';
import { BILLY_DAYBOOK, BILLY_ORG, BILLY_TOKEN, billyProducts, startFakeBilly, type FakeBilly } from '../support/fake-ledgers/billy';
import { danishMapping } from '../support/fixtures';
import { orderPlans } from '../unit/ledgers/contract';

// The contact ids Billy's adapter remembers, kept in PostgreSQL as the registry builds them: they outlive one posting
// batch (one adapter instance), and they belong to one ledger.
let database: Database;
let fake: FakeBilly;
beforeAll(async () => {
  database = await openDatabase({ url: inject('databaseUrl') ?? undefined });
  if (database.kind === 'pglite') await database.migrate();
  fake = await startFakeBilly();
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});

const newLedger = async (name: string) =>
  (await createShop(database.db, { name, ledger: { currency: 'DKK', mode: 'draft', monthlyQuota: null, startDate: '2026-01-01', trialDays: 14 }, mapping: danishMapping })).ledgerId;
const billy = (ledgerId: string) =>
  new BillyLedger(
    { accessToken: BILLY_TOKEN, baseUrl: fake.url, timeoutMs: 1_000, organizationId: BILLY_ORG, daybookId: BILLY_DAYBOOK, customerMode: 'per_customer', products: billyProducts },
    postgresRecordIds(database.db, ledgerId),
  );
const contactReads = () => fake.http.requests.filter((r) => r.method === 'GET' && r.path === '/contacts').length;

describe('Billy contact ids remembered per ledger in PostgreSQL', () => {
  it("a later batch finds a returning customer's contact without reading the list; another ledger does not see it", async () => {
    const [mine, theirs] = [await newLedger('Record ids shop'), await newLedger('Other shop')];
    const plan = { ...orderPlans().invoice, customer: { ...orderPlans().invoice.customer, name: 'Stored Kunde', email: 'Stored@Example.dk' } };
    const first = await billy(mine).createInvoice({ ...plan, reference: 'rid-1' }, 'draft', { firstAttempt: true });
    const contactId = fake.invoices.find((i) => i.id === first.documentId)?.contactId;

    const before = contactReads();
    const again = await billy(mine).createInvoice({ ...plan, reference: 'rid-2' }, 'draft', { firstAttempt: true });
    expect(contactReads()).toBe(before);
    expect(fake.invoices.find((i) => i.id === again.documentId)?.contactId).toBe(contactId);

    const rows = await database.db.select().from(ledgerRecordIds).where(eq(ledgerRecordIds.ledgerId, mine));
    expect(rows).toEqual([expect.objectContaining({ kind: 'contact', vendorId: contactId })]);
    expect(JSON.stringify(rows)).not.toMatch(/stored@example\.dk/i);

    await billy(theirs).createInvoice({ ...plan, reference: 'rid-3' }, 'draft', { firstAttempt: true });
    expect(contactReads()).toBeGreaterThan(before);
  });
});
