import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';

/**
 * Every table with its row count and a digest of its row versions, limited to the given shops. The digest is over
 * `xmin`, the transaction that wrote each row version: any insert, update or delete changes it, and it costs no
 * reading of the rows themselves (raw webhook bodies make that slow).
 */
export type Snapshot = Record<string, string>;

async function rows<T>(db: Db, query: string): Promise<T[]> {
  const result = (await db.execute(sql.raw(query))) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

const literalList = (ids: readonly string[]) => {
  for (const id of ids) if (!/^[A-Za-z0-9_]+$/.test(id)) throw new Error(`not an id: ${id}`);
  return ids.map((id) => `'${id}'`).join(', ') || 'NULL';
};

/**
 * Every table of the public schema (read from information_schema, so a table added later is covered without touching
 * this) with the condition that limits it to the shops' rows: by `shop_id`, `ledger_id`, the shop's own id, or the
 * shops' merchant (`merchant_id`, `person_id`), so
 * that other test files writing to the same database do not disturb. A table with neither column is taken whole.
 */
async function shopTables(db: Db, shopIds: readonly string[]): Promise<{ table: string; where: string }[]> {
  const columns = await rows<{ table_name: string; column_name: string }>(
    db,
    `select table_name, column_name from information_schema.columns where table_schema = 'public'`,
  );
  const byTable = new Map<string, Set<string>>();
  for (const c of columns) byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));
  const shops = `(${literalList(shopIds)})`;
  const ledgers = `(select ledger_id from shops where id in ${shops})`;
  // People and their sessions belong to the shops' merchants: other files' people and sign-ins do not disturb either.
  const merchants = `(select merchant_id from shops where id in ${shops})`;
  const people = `(select id from people where merchant_id in ${merchants})`;
  return [...byTable.keys()].sort().map((table) => {
    const cols = byTable.get(table)!;
    const where =
      table === 'shops' ? `id in ${shops}`
      : table === 'merchants' ? `id in ${merchants}`
      : table === 'ledgers' ? `id in ${ledgers}`
      : cols.has('shop_id') ? `shop_id in ${shops}`
      : cols.has('ledger_id') ? `ledger_id in ${ledgers}`
      : cols.has('merchant_id') ? `merchant_id in ${merchants}`
      : cols.has('person_id') ? `person_id in ${people}`
      : 'true';
    return { table, where };
  });
}

/** One query for the snapshot of the shops' rows in every table. */
export async function snapshotter(db: Db, shopIds: readonly string[]): Promise<{ take(): Promise<Snapshot> }> {
  const tables = await shopTables(db, shopIds);
  // A session's row is rewritten when it is used (its idle deadline moves on, at most once a minute), whatever the
  // request then answers: sessions are compared by which exist, not by their row versions.
  const version = (table: string) => (table === 'sessions' ? 'x.token_hash' : 'x.xmin::text');
  const query = tables
    .map(({ table, where }) => `select '${table}' as t, count(*) || ':' || coalesce(md5(string_agg(${version(table)}, ',' order by ${version(table)})), '') as v from "${table}" x where ${where}`)
    .join(' union all ');
  return {
    async take() {
      const out: Snapshot = {};
      for (const r of await rows<{ t: string; v: string }>(db, query)) out[r.t] = r.v;
      return out;
    },
  };
}

/** The shops' rows in every table as JSON text, one row a line: what the database holds about them. */
export async function shopRowsText(db: Db, shopIds: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const { table, where } of await shopTables(db, shopIds)) {
    for (const r of await rows<{ row: string }>(db, `select '${table}: ' || row_to_json(x)::text as row from "${table}" x where ${where}`)) lines.push(r.row);
  }
  return lines.join('\n');
}

/** Tables whose rows differ between two snapshots. */
export const changedTables = (a: Snapshot, b: Snapshot) => Object.keys({ ...a, ...b }).filter((t) => a[t] !== b[t]);
