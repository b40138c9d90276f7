import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { ledgers } from '../../../db/schema';
import { LocalLedger } from './local/local-ledger';
import type { LedgerPort } from './port';

/** Finds the adapter for a ledger by its system. Credentials are read here, inside activities, never in payloads. */
export class LedgerRegistry {
  constructor(private readonly db: Db) {}

  async portFor(ledgerId: string): Promise<LedgerPort> {
    const [ledger] = await this.db.select().from(ledgers).where(eq(ledgers.id, ledgerId));
    if (!ledger) throw new Error(`unknown ledger ${ledgerId}`);
    switch (ledger.system) {
      case 'local':
        return new LocalLedger(this.db, ledger.id);
      default:
        throw new Error(`ledger system ${ledger.system} has no adapter`);
    }
  }
}
