// A person's open tasks as his day sees them: overdue (due before now), today (due from now to
// midnight in the company's zone), upcoming (the next `days` days after today); with how many
// more lie beyond, or have no due time. Days are the company's, whatever the server's zone.
import { and, asc, desc, eq, gte, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.ts';
import { type Task, tasks } from '../../db/schema/index.ts';
import { zoneNamed } from '../automation/calendar/index.ts';
import type { Actor } from './actor.ts';

export interface TaskAgenda {
  overdue: Task[];
  today: Task[];
  upcoming: Task[];
  /** How many each section holds in all (the lists stop at `limit`). */
  counts: { overdue: number; today: number; upcoming: number; later: number; undated: number };
  /** Midnight ending today and the end of the upcoming days, as instants. */
  bounds: { endOfToday: Date; endOfUpcoming: Date };
}

const countWhere = (cond: SQL) => sql<number>`count(*) filter (where ${cond})`.mapWith(Number);

export async function taskAgenda(db: Db, actor: Actor, opts: { now: Date; timeZone: string; days?: number; limit?: number }): Promise<TaskAgenda> {
  const days = opts.days ?? 7;
  const limit = opts.limit ?? 15;
  const local = DateTime.fromJSDate(opts.now, { zone: zoneNamed(opts.timeZone) }).startOf('day');
  const endOfToday = local.plus({ days: 1 }).toJSDate();
  const endOfUpcoming = local.plus({ days: 1 + days }).toJSDate();
  const bounds = { endOfToday, endOfUpcoming };
  if (actor.userId === null) return { overdue: [], today: [], upcoming: [], counts: { overdue: 0, today: 0, upcoming: 0, later: 0, undated: 0 }, bounds };

  const mine = and(eq(tasks.assigneeId, actor.userId), eq(tasks.status, 'open'));
  const now = opts.now;
  const [overdueNewest, today, upcoming, [c]] = await Promise.all([
    // The latest overdue first, so a long backlog shows what slipped most recently.
    db.select().from(tasks).where(and(mine, lt(tasks.dueAt, now))).orderBy(desc(tasks.dueAt), desc(tasks.id)).limit(limit),
    db.select().from(tasks).where(and(mine, gte(tasks.dueAt, now), lt(tasks.dueAt, endOfToday))).orderBy(asc(tasks.dueAt), asc(tasks.id)).limit(limit),
    db.select().from(tasks).where(and(mine, gte(tasks.dueAt, endOfToday), lt(tasks.dueAt, endOfUpcoming))).orderBy(asc(tasks.dueAt), asc(tasks.id)).limit(limit),
    db
      .select({
        overdue: countWhere(lt(tasks.dueAt, now)),
        today: countWhere(and(gte(tasks.dueAt, now), lt(tasks.dueAt, endOfToday))!),
        upcoming: countWhere(and(gte(tasks.dueAt, endOfToday), lt(tasks.dueAt, endOfUpcoming))!),
        later: countWhere(gte(tasks.dueAt, endOfUpcoming)),
        undated: countWhere(isNull(tasks.dueAt)),
      })
      .from(tasks)
      .where(mine),
  ]);
  return { overdue: overdueNewest.reverse(), today, upcoming, counts: c!, bounds };
}
