import { createHash } from 'node:crypto';
import type { LedgerConnection } from './connection';

/**
 * The accounting company a connection books into, as its system names it: two shops whose connections name the same
 * company share one ledger (one queue, one voucher sequence). e-conomic names the agreement only through its grant
 * token, so the token's SHA-256 stands for it (never the token itself); the local journal is the ledger itself.
 */
export function ledgerCompany(connection: LedgerConnection, ledgerId: string): string {
  switch (connection.system) {
    case 'local':
      return ledgerId;
    case 'e-conomic':
      return `grant:${createHash('sha256').update(connection.credentials.agreementGrantToken).digest('hex')}`;
    case 'billy':
      return connection.settings.organizationId;
    case 'fiken':
      return connection.settings.companySlug;
    case 'dinero':
      return String(connection.settings.organizationId);
    case 'uni-economy':
      return connection.settings.companyKey;
  }
}
