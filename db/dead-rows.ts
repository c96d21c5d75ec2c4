// Dead rows of the tables every message writes, reclaimed by us where nothing else does:
// embedded PGlite has no autovacuum, and a server may run with it off. The processed and sent
// marks update an indexed column, so each leaves its old row version behind; never vacuumed,
// the inbox grows to about twice its live size (measured on PGlite: 20,000 messages marked in
// groups of 20 left 18,460 dead rows, heap 12.6 MB -> 23.2 MB). A VACUUM makes that space
// reusable for the next rows; it took 7 ms per 2,000 marked messages on PGlite. Where the
// autovacuum launcher runs, this leaves the tables to it. (hot-table-upkeep.ts runs it.)
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { HOT_TABLES } from './hot-tables.ts';
import { rowsOf } from './prepared.ts';

/** Autovacuum's own default trigger: 50 dead rows plus 20% of the live ones. */
export const DEAD_ROWS_BASE = 50;
export const DEAD_ROWS_SHARE = 0.2;

/** Tables with more dead rows than autovacuum would leave, when no autovacuum launcher runs (else none); the most over first. */
export async function tablesWithDeadRows(db: Db, tables: readonly string[] = HOT_TABLES): Promise<string[]> {
  const rows = rowsOf<{ relname: string }>(
    await db.execute(sql`
      select s.relname from pg_stat_user_tables s
      where s.schemaname = current_schema()
        and s.relname = any(array(select jsonb_array_elements_text(${JSON.stringify(tables)}::jsonb)))
        and s.n_dead_tup > ${DEAD_ROWS_BASE} + ${DEAD_ROWS_SHARE}::float8 * s.n_live_tup
        and not exists (select 1 from pg_stat_activity a where a.backend_type = 'autovacuum launcher')
      order by s.n_dead_tup / (${DEAD_ROWS_BASE} + ${DEAD_ROWS_SHARE}::float8 * s.n_live_tup) desc, s.relname`),
  );
  return rows.map((r) => r.relname);
}

/** VACUUMs those tables (the `atMost` most over; skipping one another session holds locked); answers which. */
export async function vacuumDeadRows(db: Db, tables: readonly string[] = HOT_TABLES, atMost = tables.length): Promise<string[]> {
  const dead = (await tablesWithDeadRows(db, tables)).slice(0, atMost);
  // Names come from pg_stat_user_tables, matched against our own list: quoting is enough.
  if (dead.length > 0) await db.execute(sql.raw(`vacuum (skip_locked) ${dead.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')}`));
  return dead;
}
