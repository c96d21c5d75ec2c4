// A statement planned while the inbox held its first messages keeps scanning it whole as it grows, until the
// table is analyzed; the keeper analyzes the tables that outgrew their statistics, and only
// those (on Postgres and PGlite, neither running autovacuum here).
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db, type DbHandle } from '../../../db/client.ts';
import { KEEPER_STATISTICS_TARGET, refreshPlannerStatistics, tablesOutgrowingStatistics } from '../../../db/planner-statistics.ts';
import { rowsOf } from '../../../db/prepared.ts';
import { storeStatement } from '../../../src/messaging/inbox.ts';
import { describeOnEachDb } from '../../support/each-db.ts';
import { addMessages } from '../../support/inbox-rows.ts';

const literal = (v: unknown) => (v === null || v === undefined ? 'null' : `'${String(typeof v === 'object' ? JSON.stringify(v) : v).replace(/'/g, "''")}'`);

/** The store statement (marking two messages processed), prepared once on `db`'s one connection and generically planned; `plan()` explains its cached plan. */
async function preparedStore(db: Db) {
  const q = new PgDialect().sqlToQuery(storeStatement('[]', '[5, 6]'));
  await db.execute(sql`set plan_cache_mode = force_generic_plan`);
  await db.execute(sql.raw(`prepare store_probe as ${q.sql}`));
  return {
    plan: async () => rowsOf<{ 'QUERY PLAN': string }>(await db.execute(sql.raw(`explain execute store_probe(${q.params.map(literal).join(', ')})`))).map((r) => r['QUERY PLAN']).join('\n'),
    close: () => db.execute(sql.raw('deallocate store_probe')),
  };
}

const reltuples = async (db: Db, table: string) =>
  Number(rowsOf<{ n: number }>(await db.execute(sql`select reltuples::float8 as n from pg_class where relname = ${table}`))[0]!.n);

const histogramBounds = async (db: Db, table: string, column: string) =>
  Number(
    rowsOf<{ n: number }>(
      await db.execute(sql`select array_length(histogram_bounds::text::text[], 1) as n from pg_stats where schemaname = current_schema() and tablename = ${table} and attname = ${column}`),
    )[0]!.n,
  );

describeOnEachDb('planner statistics', 'planner_stats', (t, kind) => {
  let one: DbHandle | null = null;
  beforeAll(async () => {
    // On Postgres a pool of one connection, so the prepared statement is there on every call.
    if (kind === 'postgres') one = await createDb({ DATABASE_URL: t.url!, DATA_DIR: '', poolSize: 1 });
  }, 60_000);
  afterAll(async () => {
    await one?.close();
  });

  // PGlite assumes 10 pages of a table never analyzed, and plans the lookup by key from the start.
  if (kind === 'postgres') it('the store planned on the first messages scans the inbox, still does at 3,000, and finds its rows by key once the keeper has analyzed it', async () => {
    const db = one!.db;
    // A fresh install: its first messages fill one page.
    await addMessages(t.db, 1, 5);
    expect(await tablesOutgrowingStatistics(t.db)).toEqual([]);
    const store = await preparedStore(db);
    try {
      expect(await store.plan()).toMatch(/Seq Scan on inbound_messages/);
      await addMessages(t.db, 6, 3000);
      // Growing replans nothing.
      expect(await store.plan()).toMatch(/Seq Scan on inbound_messages/);

      expect(await tablesOutgrowingStatistics(t.db)).toContain('inbound_messages');
      expect(await refreshPlannerStatistics(t.db)).toContain('inbound_messages');
      expect(await reltuples(t.db, 'inbound_messages')).toBeGreaterThan(2500);

      const plan = await store.plan();
      expect(plan).toContain('inbound_messages_pkey');
      expect(plan).not.toMatch(/Seq Scan on inbound_messages/);
    } finally {
      await store.close();
    }
  });

  it('analyzes a table that outgrew its statistics, and again only when it has doubled since', async () => {
    await addMessages(t.db, 10_001, 8000);
    expect(await tablesOutgrowingStatistics(t.db)).toContain('inbound_messages');
    expect(await refreshPlannerStatistics(t.db)).toContain('inbound_messages');
    const analyzedAt = await reltuples(t.db, 'inbound_messages');
    expect(analyzedAt).toBeGreaterThan(7500);
    expect(await refreshPlannerStatistics(t.db)).toEqual([]);
    // A fifth more: not yet.
    await addMessages(t.db, 20_001, Math.round(analyzedAt / 5));
    expect(await refreshPlannerStatistics(t.db)).toEqual([]);
    // Twice the size: again, and only that table.
    await addMessages(t.db, 40_001, Math.round(analyzedAt * 1.2));
    expect(await refreshPlannerStatistics(t.db)).toEqual(['inbound_messages']);
    expect(await reltuples(t.db, 'inbound_messages')).toBeGreaterThan(analyzedAt * 2);
    // On a small sample: the histogram of a unique column has the keeper's target of buckets, not the default 100.
    expect(await histogramBounds(t.db, 'inbound_messages', 'id')).toBe(KEEPER_STATISTICS_TARGET + 1);
  });
});
