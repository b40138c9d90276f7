import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { acquirerConnections, payouts } from '../db/schema';
import { findLedgerOfShop } from '../src/services/ledger-settings-repository';
import { isApiSource, openAcquirer } from '../src/adapters/acquirers/api';
import { AcquirerAnswerError } from '../src/adapters/acquirers/http';
import { AcquirerCredentialsError, AcquirerTransientError, UnsupportedPayoutError } from '../src/adapters/acquirers/port';
import type { CredentialBox } from '../src/crypto/credentials';
import { sealedContext } from '../src/crypto/sealed-contexts';
import type { Payout } from '../src/domain/payout';
import { ingestPayouts } from '../src/services/payout-intake';

export interface FetchDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  credentials?: CredentialBox;
  stripeBaseUrl?: string;
  nexiBaseUrl?: string;
  vippsBaseUrl?: string;
  clearhausBaseUrl?: string;
}

export interface FetchResult {
  listed: number;
  new: number;
  skipped: { payoutId: string; reason: string }[];
}

type ConnectionRow = typeof acquirerConnections.$inferSelect;

/**
 * Lists the connection's payouts since a date, fetches those we do not know with their transactions, stores them
 * and starts their bookings. Acquirer errors become Temporal failures: bad keys are final, rate limits and outages
 * are retried after the delay the acquirer asked for.
 */
export async function importApiPayouts(
  deps: FetchDeps,
  conn: ConnectionRow,
  ledgerId: string,
  since: string,
  opts: { historical?: boolean } = {},
): Promise<FetchResult> {
  const { db } = deps;
  if (!isApiSource(conn.source) || !conn.credentials || !deps.credentials) {
    throw ApplicationFailure.nonRetryable(`connection ${conn.id} has no API to fetch payouts from`, 'acquirer_credentials_rejected');
  }
  const endpoints = { stripe: deps.stripeBaseUrl, nets: deps.nexiBaseUrl, vipps: deps.vippsBaseUrl, clearhaus: deps.clearhausBaseUrl };
  const api = openAcquirer(conn.source, deps.credentials.open(conn.credentials, sealedContext.acquirerCredentials(conn.shopId, conn.id)), conn.acquirer, endpoints);
  try {
    const listed = await api.listPayouts(since);
    const known = new Set((await db.select({ id: payouts.payoutId }).from(payouts).where(eq(payouts.connectionId, conn.id))).map((r) => r.id));
    const fresh: Payout[] = [];
    const skipped: { payoutId: string; reason: string }[] = [];
    for (const summary of listed.filter((p) => !known.has(p.payoutId))) {
      try {
        fresh.push(await api.fetchPayout(summary.payoutId));
      } catch (err) {
        if (!(err instanceof UnsupportedPayoutError)) throw err;
        skipped.push({ payoutId: summary.payoutId, reason: err.message });
      }
    }
    const result = await ingestPayouts(db, deps.client, deps.taskQueue, conn, ledgerId, fresh, opts);
    return { listed: listed.length, new: result.new, skipped };
  } catch (err) {
    if (err instanceof AcquirerCredentialsError) throw ApplicationFailure.nonRetryable(err.message, 'acquirer_credentials_rejected');
    // An answer the acquirer's documents do not describe will not change by asking again.
    if (err instanceof AcquirerAnswerError) throw ApplicationFailure.nonRetryable(err.message, 'acquirer_answer_invalid');
    if (err instanceof AcquirerTransientError) {
      throw ApplicationFailure.create({ message: err.message, type: 'AcquirerTransientError', nextRetryDelay: err.retryAfterMs });
    }
    throw err;
  }
}

/** Pulls new payouts from acquirers with an API, stores them and starts their bookings. */
export function fetchPayoutActivities(deps: FetchDeps) {
  return {
    async fetchNewPayouts(input: { connectionId: string }): Promise<FetchResult> {
      const { db } = deps;
      const [conn] = await db.select().from(acquirerConnections).where(eq(acquirerConnections.id, input.connectionId));
      if (!conn) throw ApplicationFailure.nonRetryable(`acquirer connection ${input.connectionId} is gone`, 'connection_missing');
      const ledger = await findLedgerOfShop(db, conn.shopId);
      // Look back a few days from the newest payout we know: payouts arrive late, and duplicates are ignored.
      const [newest] = await db
        .select({ d: sql<string | null>`max(${payouts.paidOutAt})` })
        .from(payouts)
        .where(eq(payouts.connectionId, conn.id));
      const since = newest?.d ? new Date(Date.parse(newest.d) - 3 * 86_400_000).toISOString().slice(0, 10) : ledger!.startDate;
      return importApiPayouts(deps, conn, ledger!.id, since);
    },
  };
}
