import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { ledgers } from '../../../db/schema';
import type { CredentialBox } from '../../crypto/credentials';
import { BillyLedger } from './billy';
import { DineroLedger } from './dinero';
import { EconomicLedger } from './economic';
import { FikenLedger } from './fiken';
import { ledgerConnectionSchema, type LedgerConnection } from './connection';
import { UniEconomyLedger } from './uni-economy';
import { LocalLedger } from './local/local-ledger';
import { postgresRequestWindow } from './request-window';
import type { LedgerPort } from './port';

/** Finds the adapter for a ledger by its system. Credentials are opened here, inside activities, never in payloads. */
export class LedgerRegistry {
  constructor(
    private readonly db: Db,
    private readonly credentials?: CredentialBox,
    /** Tests only: honour a connection's settings.baseUrl (a local fake); otherwise each vendor's own address. */
    private readonly testEndpoints = false,
  ) {}

  /**
   * For a run of writes (a posting batch): each ledger is read and its credentials opened once, not per write. A
   * ledger that could not be opened is tried again on the next call.
   */
  session(): (ledgerId: string) => Promise<LedgerPort> {
    const opened = new Map<string, Promise<LedgerPort>>();
    return (ledgerId) => {
      let port = opened.get(ledgerId);
      if (!port) {
        port = this.portFor(ledgerId);
        opened.set(ledgerId, port);
        port.catch(() => opened.delete(ledgerId));
      }
      return port;
    };
  }

  async portFor(ledgerId: string): Promise<LedgerPort> {
    const [ledger] = await this.db.select().from(ledgers).where(eq(ledgers.id, ledgerId));
    if (!ledger) throw new Error(`unknown ledger ${ledgerId}`);
    if (ledger.system === 'local') return new LocalLedger(this.db, ledger.id);
    if (!ledger.credentials || !this.credentials) throw new Error(`ledger ${ledgerId} (${ledger.system}) has no usable credentials; set CREDENTIALS_KEY`);
    const secrets = this.credentials.openJson(ledger.credentials, ledger.id);
    return this.portForConnection(ledger.id, ledgerConnectionSchema.parse({ system: ledger.system, credentials: secrets, settings: ledger.settings }));
  }

  /** The adapter for a connection not stored yet: the API checks a new connection before it keeps it. */
  portForConnection(ledgerId: string, connection: LedgerConnection): LedgerPort {
    // The vendor's address is ours to choose, not the tenant's: a stored baseUrl (from before it was refused) is ignored.
    const at = (settings: { baseUrl?: string; authUrl?: string }) =>
      this.testEndpoints ? { baseUrl: settings.baseUrl, authUrl: settings.authUrl } : { baseUrl: undefined, authUrl: undefined };
    switch (connection.system) {
      case 'e-conomic':
        return new EconomicLedger({ ...connection.settings, ...connection.credentials, ...at(connection.settings) });
      case 'billy':
        return new BillyLedger({ ...connection.settings, ...connection.credentials, ...at(connection.settings) });
      case 'fiken':
        return new FikenLedger({ ...connection.settings, ...connection.credentials, ...at(connection.settings) });
      case 'dinero':
        // Dinero's limit is per organization: the API and every worker count their calls in one window.
        return new DineroLedger({ ...connection.settings, ...connection.credentials, ...at(connection.settings), requestWindow: (key) => postgresRequestWindow(this.db, key) });
      case 'uni-economy':
        return new UniEconomyLedger({ ...connection.settings, ...connection.credentials, ...at(connection.settings) });
      case 'local':
        return new LocalLedger(this.db, ledgerId);
    }
  }
}
