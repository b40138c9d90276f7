import { and, count, eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase } from '../../db/client';
import { vouchers } from '../../db/schema';
import { LocalLedger } from '../../src/adapters/ledgers/local/local-ledger';
import { createShop } from '../../src/services/shop-repository';
import { danishMapping } from '../support/fixtures';
import { ledgerContract } from '../unit/ledgers/contract';

// The reference implementation against the same contract as the vendor adapters, on the run's database (PostgreSQL
// with DATABASE_URL, else an in-memory PGlite): a database is a service, so this is no unit test.
ledgerContract('local ledger', async () => {
  const database = await openDatabase({ url: inject('databaseUrl') ?? undefined });
  if (database.kind === 'pglite') await database.migrate();
  const { ledgerId } = await createShop(database.db, {
    name: 'Contract shop',
    ledger: { currency: 'DKK', mode: 'draft', monthlyQuota: null, startDate: '2026-01-01', trialDays: 14 },
    mapping: danishMapping,
  });
  return {
    port: new LocalLedger(database.db, ledgerId),
    async count(kind, reference) {
      const [row] = await database.db
        .select({ n: count() })
        .from(vouchers)
        .where(and(eq(vouchers.ledgerId, ledgerId), eq(vouchers.kind, kind), eq(vouchers.reference, reference)));
      return row?.n ?? 0;
    },
    close: () => database.close(),
  };
}, { faults: false });
