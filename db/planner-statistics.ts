// Planner statistics for the tables every message writes, kept fresh by us where nothing else
// does: embedded PGlite has no autovacuum, and a server may run with it off. A statement that
// runs all the time is planned once per connection (a prepared statement's generic plan); made
// while the inbox was a few pages long, the plan scans it whole, and it keeps scanning it as it
// grows: nothing replans it but an ANALYZE of the table (or a new connection). Measured on a
// fresh database: the store's processed marks read ~900 pages per statement at 15,000 messages.
// ANALYZE of a table that grew since its last one replans every statement using it, in every
// connection. Where autovacuum runs, its auto-analyze keeps the sizes current and this finds
// nothing to do.
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { vacuumDeadRows } from './dead-rows.ts';
import { HOT_TABLES } from './hot-tables.ts';
import { rowsOf } from './prepared.ts';


/**
 * Tables whose size on disk outgrew, twice over, the size their statistics were taken at
 * (never-analyzed tables count as 0 pages), past a floor of 8 pages.
 */
export async function tablesOutgrowingStatistics(db: Db, tables: readonly string[] = HOT_TABLES): Promise<string[]> {
  const rows = rowsOf<{ relname: string }>(
    await db.execute(sql`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind = 'r'
        and c.relname = any(array(select jsonb_array_elements_text(${JSON.stringify(tables)}::jsonb)))
        and pg_relation_size(c.oid) / current_setting('block_size')::int > greatest(2 * greatest(c.relpages, 0), 8)
      order by c.relname`),
  );
  return rows.map((r) => r.relname);
}

/** ANALYZEs the tables that outgrew their statistics; answers which. */
export async function refreshPlannerStatistics(db: Db, tables: readonly string[] = HOT_TABLES): Promise<string[]> {
  const grown = await tablesOutgrowingStatistics(db, tables);
  // Names come from pg_class, matched against our own list: quoting is enough.
  if (grown.length > 0) await db.execute(sql.raw(`analyze ${grown.map((t) => `"${t.replace(/"/g, '""')}"`).join(', ')}`));
  return grown;
}

export interface PlannerStatisticsKeeper {
  stop(): void;
}

/**
 * Checks every `intervalMs` (default 10 s; the checks read pg_class and pg_stat_user_tables)
 * and at once; ANALYZEs the tables that outgrew their statistics, and VACUUMs those with many
 * dead rows where no autovacuum runs (see dead-rows.ts).
 */
export function keepPlannerStatistics(opts: { db: Db; logger: Logger; intervalMs?: number }): PlannerStatisticsKeeper {
  const log = opts.logger.child({ part: 'planner-statistics' });
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const analyzed = await refreshPlannerStatistics(opts.db);
      if (analyzed.length > 0) log.info({ analyzed }, 'tables analyzed: they outgrew their planner statistics');
      const vacuumed = await vacuumDeadRows(opts.db);
      if (vacuumed.length > 0) log.info({ vacuumed }, 'tables vacuumed: no autovacuum reclaims their dead rows');
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not refresh planner statistics or vacuum; trying again later');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
