// Upkeep of the tables every message writes, where nothing else does it (embedded PGlite has no
// autovacuum; a server may run with it off): ANALYZE when a table outgrew its statistics
// (planner-statistics.ts), VACUUM when it holds many dead rows (dead-rows.ts). One table per
// step: under load, an ANALYZE or VACUUM of a hot table holds back the acks of the next second
// or so (it takes CPU from the statements, and every connection then replans the statements on
// that table). Measured at 1,000 updates/s on a fresh database (growing by half in 10 s): a step
// doing every due table (up to five ANALYZEs and two VACUUMs) put 263 to 1,087 acks of the next
// two seconds over 50 ms (5 steps); one table per step, 0 to 127 (9 steps).
import type { Logger } from 'pino';
import type { Db } from './client.ts';
import { vacuumDeadRows } from './dead-rows.ts';
import { HOT_TABLES } from './hot-tables.ts';
import { refreshPlannerStatistics } from './planner-statistics.ts';

export interface UpkeepStep {
  analyzed: string[];
  vacuumed: string[];
}

export const upkeepKinds = ['analyze', 'vacuum'] as const;
export type UpkeepKind = (typeof upkeepKinds)[number];

/**
 * Does one table's upkeep, the most urgent of the kind asked `first` (the most outgrown
 * table's ANALYZE, the deadest table's VACUUM), else of the other kind; answers what it did.
 */
export async function upkeepOneTable(db: Db, opts: { first?: UpkeepKind; tables?: readonly string[] } = {}): Promise<UpkeepStep> {
  const tables = opts.tables ?? HOT_TABLES;
  const analyze = async (): Promise<UpkeepStep> => ({ analyzed: await refreshPlannerStatistics(db, tables, 1), vacuumed: [] });
  const vacuum = async (): Promise<UpkeepStep> => ({ analyzed: [], vacuumed: await vacuumDeadRows(db, tables, 1) });
  const [one, other] = opts.first === 'vacuum' ? [vacuum, analyze] : [analyze, vacuum];
  const step = await one();
  return step.analyzed.length + step.vacuumed.length > 0 ? step : other();
}

export interface HotTableKeeper {
  stop(): void;
}

/**
 * A step every `intervalMs` (default 10 s; the checks read pg_class and pg_stat_user_tables)
 * and one at once, the kinds taking turns: a database growing fast has a table to analyze at
 * almost every step, and its dead rows would wait. With six tables due, the last waits 50 s.
 */
export function keepHotTables(opts: { db: Db; logger: Logger; intervalMs?: number }): HotTableKeeper {
  const log = opts.logger.child({ part: 'hot-table-upkeep' });
  let running = false;
  let last: UpkeepKind = 'vacuum';
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const { analyzed, vacuumed } = await upkeepOneTable(opts.db, { first: last === 'analyze' ? 'vacuum' : 'analyze' });
      if (analyzed.length > 0) {
        last = 'analyze';
        log.info({ analyzed }, 'table analyzed: it outgrew its planner statistics');
      }
      if (vacuumed.length > 0) {
        last = 'vacuum';
        log.info({ vacuumed }, 'table vacuumed: no autovacuum reclaims its dead rows');
      }
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not analyze or vacuum; trying again later');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
