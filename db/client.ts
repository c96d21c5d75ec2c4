// createDb(config): postgres.js when DATABASE_URL is set, embedded PGlite in DATA_DIR otherwise.
// Both give the same Drizzle API over the same schema and the same migrations.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import { createPgliteDatabase, hasPgliteDatabase, type PgliteStartOptions } from './pglite-data-dir.ts';
import { preparingAll } from './postgres-prepare-all.ts';
import { transactionsOn } from './postgres-transaction-pool.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export const dbKinds = ['postgres', 'pglite'] as const;
export type DbKind = (typeof dbKinds)[number];

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** Applies pending migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DbOptions {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  /** postgres.js pool size (transactions get a pool of half that size besides). */
  poolSize?: number;
}

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
// Any fixed number: it only has to be the same in every chatcrm process.
const MIGRATION_LOCK_KEY = 7_146_301;

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export async function createDb(options: DbOptions): Promise<DbHandle> {
  return options.DATABASE_URL ? createPostgresDb(options.DATABASE_URL, options.poolSize ?? 10) : createPgliteDb(options.DATA_DIR);
}

function createPostgresDb(url: string, poolSize: number): DbHandle {
  const client = postgres(url, { max: poolSize, onnotice: () => {}, connect_timeout: 5 });
  const transactions = postgres(url, { max: Math.max(2, Math.ceil(poolSize / 2)), onnotice: () => {}, connect_timeout: 5 });
  const db = drizzlePostgres({ client: preparingAll(transactionsOn(client, transactions)), schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      // A dedicated single connection holds the advisory lock for the whole run, so a web
      // and a worker process starting together do not both apply the same migration.
      const lockClient = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres({ client: lockClient }), { migrationsFolder });
        await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        await lockClient.end({ timeout: 5 });
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([client.end({ timeout: 5 }), transactions.end({ timeout: 5 })]);
    },
  };
}

/**
 * Postgres in WebAssembly keeps every page it ever touched: its default 128 MB of shared buffers,
 * filled at start, were most of an idle process. A CRM's hot rows fit in far less, and the
 * operating system's file cache holds the rest of the folder.
 */
export const PGLITE_SHARED_BUFFERS = '16MB';
const pgliteOptions: PgliteStartOptions = { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] };

async function createPgliteDb(dataDir: string): Promise<DbHandle> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const lock = inMemory ? null : lockDataDir(dataDir);
  let client: PGlite;
  try {
    // initdb peaks near 800 MB that WebAssembly never returns: a new folder is made by a
    // process of its own, and this one opens the finished database.
    if (!inMemory && !hasPgliteDatabase(dataDir)) await createPgliteDatabase(dataDir, migrationsFolder, pgliteOptions);
    client = await PGlite.create(dataDir, pgliteOptions);
  } catch (cause) {
    lock?.release();
    throw new DatabaseUnavailableError(`cannot open the embedded database in ${dataDir}`, { cause });
  }
  const pglite = drizzlePglite({ client, schema });
  const db = pglite as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    async migrate() {
      await migratePglite(pglite, { migrationsFolder });
    },
    async ping() {
      if (closed) throw new DatabaseUnavailableError('embedded database is closed');
      await db.execute(sql`select 1`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close().finally(() => lock?.release());
    },
  };
}
