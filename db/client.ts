import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** Applies the drizzle migrations in db/migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** LISTEN on a channel (postgres.js keeps a connection of its own for it); answers how to stop listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** 'postgres' for a server, 'pglite' for the embedded database. */
  kind: 'postgres' | 'pglite';
}

const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

/**
 * PostgreSQL when a URL is given; otherwise the embedded PGlite (a real PostgreSQL compiled to WASM), with its
 * data under `dataDir`, so `npm run dev` needs nothing but Node.
 */
export async function openDatabase(opts: { url?: string; dataDir?: string; maxConnections?: number }): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    const client = postgres(opts.url, { max: opts.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzle(client, { schema });
    return {
      kind: 'postgres',
      db: db as unknown as Db,
      migrate: () => migrate(db, { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
      listen: async (channel, onNotify) => {
        const { unlisten } = await client.listen(channel, onNotify);
        return unlisten;
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const client = new PGlite(opts.dataDir);
  const db = drizzle(client, { schema });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    migrate: () => migrate(db, { migrationsFolder }),
    close: () => client.close(),
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, onNotify);
      return () => unlisten();
    },
  };
}
