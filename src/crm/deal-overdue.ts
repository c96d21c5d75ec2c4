// A deal is overdue when it is open and something it waits for has passed: a task linked to it
// is past due, it has sat in its stage longer than a stage_timeout rule allows, or its
// next_contact_date is behind us. Built as one SQL condition so that lists filter and page in
// the database; reminders and escalations read the same rows (time is data).
import { and, eq, exists, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { deals, pipelines, stages, tasks } from '../../db/schema/index.ts';
import { findCompanyConfig } from './company-config.ts';
import { getFieldDef } from './custom-fields.ts';
import { durationMs, localDate } from './durations.ts';

export const NEXT_CONTACT_FIELD = 'next_contact_date';

export async function overdueDealCondition(db: Db, now: Date): Promise<SQL> {
  const config = (await findCompanyConfig(db))?.config;
  const reasons: (SQL | undefined)[] = [
    exists(
      db
        .select({ one: sql`1` })
        .from(tasks)
        .where(and(eq(tasks.entityType, 'deal'), eq(tasks.entityId, deals.id), eq(tasks.status, 'open'), lt(tasks.dueAt, now))),
    ),
  ];

  // A rule "after: 0m" fires on entering the stage (a task to call); it is no deadline.
  const timeouts = (config?.rules ?? []).filter((r) => r.kind === 'stage_timeout' && durationMs(r.after) > 0);
  if (timeouts.length) {
    const stageRows = await db
      .select({ id: stages.id, key: stages.key, pipelineKey: pipelines.key })
      .from(stages)
      .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId));
    for (const rule of timeouts) {
      const stage = stageRows.find((s) => s.pipelineKey === rule.pipeline && s.key === rule.stage);
      if (stage) reasons.push(and(eq(deals.stageId, stage.id), lt(deals.stageEnteredAt, new Date(now.getTime() - durationMs(rule.after)))));
    }
  }

  const nextContact = await getFieldDef(db, 'deal', NEXT_CONTACT_FIELD);
  if (nextContact?.type === 'date') {
    // Stored as YYYY-MM-DD (validated on write), so text order is date order.
    const today = localDate(now, config?.timezone ?? 'Europe/Moscow');
    reasons.push(sql`(${deals.custom} ->> ${NEXT_CONTACT_FIELD}) < ${today}`);
  }

  const openStages = db.select({ id: stages.id }).from(stages).where(eq(stages.kind, 'open'));
  return and(inArray(deals.stageId, openStages), or(...reasons))!;
}
