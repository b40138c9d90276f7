/**
 * How long a payout's lines page takes (src/services/payout-details.ts) for one payout of PAYOUT_PAGE_LINES (default
 * 200,000) lines, matched as planning leaves it: the first page, a page from the middle, and a page from the end,
 * PAYOUT_PAGE_RUNS (default 7) times each; prints one JSON line with the medians and the slowest.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/payout-page-time.ts
 *
 * It creates a database of its own next to DATABASE_URL's (payout_page_time), writes the rows straight in (no workflow
 * runs) and drops it at the end.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../db/client';
import { payouts, shops } from '../db/schema';
import type { LineMatch } from '../activities/payouts';
import { matchPayout } from '../src/domain/payout-matching';
import { payoutDetails } from '../src/services/payout-details';
import { writePayoutLines } from '../src/services/payout-lines';
import { danishMapping } from '../test/support/fixtures';
import { largePayout } from '../test/support/large-payout';

const LINES = Number(process.env.PAYOUT_PAGE_LINES ?? 200_000);
const RUNS = Number(process.env.PAYOUT_PAGE_RUNS ?? 7);
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const name = 'payout_page_time';

const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${name}`);
await admin.unsafe(`create database ${name}`);
url.pathname = `/${name}`;
const database = await openDatabase({ url: url.toString(), maxConnections: 4 });
try {
  await database.migrate();
  const { db } = database;
  const shopId = 'shop_time';
  const connectionId = 'conn_time';
  const { payout, documents } = largePayout(LINES);
  const matches: LineMatch[] = matchPayout(payout, documents).map((r) => ({
    lineNo: r.line.lineNo,
    type: r.line.type,
    amount: r.line.amount,
    fee: r.line.fee,
    rule: r.rule,
    settles: r.document ? { kind: 'payment', reference: r.document.reference, orderNumber: r.document.orderNumber } : null,
    ...(r.reason ? { reason: r.reason } : {}),
  }));
  await db.transaction(async (tx) => {
    // The shop and the payout's row only: the page reads nothing else (foreign keys are not what is measured).
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.insert(shops).values({ id: shopId, name: 'Timed', apiKeyHash: 'x', mapping: danishMapping, ledgerId: 'ledger_time' } as typeof shops.$inferInsert);
    await tx.insert(payouts).values({
      connectionId,
      payoutId: payout.payoutId,
      shopId,
      ledgerId: 'ledger_time',
      acquirer: 'nets',
      currency: 'DKK',
      paidOutAt: payout.paidOutAt,
      netAmount: payout.netAmount,
      payout,
      matches,
      status: 'booked',
    });
    await writePayoutLines(tx, { shopId, connectionId, payoutId: payout.payoutId }, payout.lines, matches);
  });
  await db.execute(sql`analyze`);

  const timed = async (cursor: number | undefined) => {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const page = await payoutDetails(db, shopId, connectionId, payout.payoutId, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
      ms.push(performance.now() - t0);
      if (page?.lines.length !== 100 || page.totals.lines !== LINES) throw new Error('the page is not what was stored');
    }
    ms.sort((a, b) => a - b);
    return { medianMs: Math.round(ms[Math.floor(ms.length / 2)]!), maxMs: Math.round(ms.at(-1)!) };
  };
  const lastLineNo = payout.lines.at(-1)!.lineNo;
  console.log(
    JSON.stringify({
      lines: LINES,
      runs: RUNS,
      firstPage: await timed(undefined),
      middlePage: await timed(Math.floor(lastLineNo / 2)),
      lastPage: await timed(lastLineNo - 100),
    }),
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.end();
}
