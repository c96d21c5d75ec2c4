// Planner statistics for the tables every message writes, kept fresh by us where nothing else
// does: embedded PGlite has no autovacuum, and a server may run with it off. A statement that
// runs all the time is planned once per connection (a prepared statement's generic plan); made
// while the inbox was a few pages long, the plan scans it whole, and it keeps scanning it as it
// grows: nothing replans it but an ANALYZE of the table (or a new connection). Measured on a
// fresh database: the store's processed marks read ~900 pages per statement at 15,000 messages.
// ANALYZE of a table that grew since its last one replans every statement using it, in every
// connection. Where autovacuum runs, its auto-analyze keeps the sizes current and this finds
// nothing to do. (hot-table-upkeep.ts runs it.)
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { HOT_TABLES } from './hot-tables.ts';
import { rowsOf } from './prepared.ts';


/**
 * Tables whose size on disk outgrew, twice over, the size their statistics were taken at
 * (never-analyzed tables count as 0 pages), past a floor of 8 pages; the most outgrown first.
 */
export async function tablesOutgrowingStatistics(db: Db, tables: readonly string[] = HOT_TABLES): Promise<string[]> {
  const rows = rowsOf<{ relname: string }>(
    await db.execute(sql`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind = 'r'
        and c.relname = any(array(select jsonb_array_elements_text(${JSON.stringify(tables)}::jsonb)))
        and pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(2 * greatest(c.relpages, 0), 8)
      order by (pg_relation_size(c.oid) / current_setting('block_size')::int)::float8 / greatest(c.relpages, 1) desc, c.relname`),
  );
  return rows.map((r) => r.relname);
}

/**
 * The statistics target of the keeper's ANALYZE: a sample of 300 × 10 = 3,000 rows, where the
 * default (100) reads 30,000. What the planner needs of the keeper is the tables' sizes, and
 * ANALYZE takes them from any sample; the per-column detail of a 30,000-row sample cost 150 ms
 * of one core for the five hot tables at 30,000 messages (35 ms with this one), and under a
 * load of 1,000 updates/s it ran 330 to 600 ms while the acks of the next second waited.
 * Where autovacuum runs, its auto-analyze (at the full target) keeps these tables first.
 */
export const KEEPER_STATISTICS_TARGET = 10;

/** ANALYZEs the tables that outgrew their statistics (the `atMost` most outgrown), on a small sample; answers which. */
export async function refreshPlannerStatistics(db: Db, tables: readonly string[] = HOT_TABLES, atMost = tables.length): Promise<string[]> {
  const grown = (await tablesOutgrowingStatistics(db, tables)).slice(0, atMost);
  if (grown.length === 0) return grown;
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local default_statistics_target = ${KEEPER_STATISTICS_TARGET}`));
    // Names come from pg_class, matched against our own list: quoting is enough.
    await tx.execute(sql.raw(`analyze ${grown.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')}`));
  });
  return grown;
}
