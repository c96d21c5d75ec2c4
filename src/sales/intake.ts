// The answers a customer gives to the company's intake questions, stored on his lead as they
// come (an abandoned questionnaire keeps what was said), each validated by the lead field of
// the same key.
import { and, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { leads, timelineEntries } from '../../db/schema/index.ts';
import { systemActor } from '../crm/actor.ts';
import { getFieldDef, normalizeFieldValue } from '../crm/custom-fields.ts';
import { ValidationError } from '../crm/errors.ts';
import { addTimelineEntry } from '../crm/timeline.ts';

export async function saveIntakeAnswer(db: Db, leadId: number, key: string, value: unknown): Promise<void> {
  const def = await getFieldDef(db, 'lead', key);
  let stored = value;
  if (def) {
    const r = normalizeFieldValue(def, value);
    if ('error' in r) throw new ValidationError([{ field: `custom.${key}`, message: r.error }]);
    stored = r.value;
  }
  await db.transaction(async (tx) => {
    await tx
      .update(leads)
      .set({ custom: sql`${leads.custom} || ${JSON.stringify({ [key]: stored })}::jsonb`, updatedAt: new Date() })
      .where(eq(leads.id, leadId));
    await addTimelineEntry(tx, systemActor, { entityType: 'lead', entityId: leadId, kind: 'change', data: { intake: { [key]: stored } } });
  });
}

export async function completeIntake(db: Db, leadId: number): Promise<void> {
  await addTimelineEntry(db, systemActor, { entityType: 'lead', entityId: leadId, kind: 'system', data: { event: 'intake_completed' } });
}

/** Whether the customer has begun answering (or finished) the intake of this lead. */
export async function intakeBegun(db: Db, leadId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: timelineEntries.id })
    .from(timelineEntries)
    .where(
      and(
        eq(timelineEntries.entityType, 'lead'),
        eq(timelineEntries.entityId, leadId),
        or(sql`${timelineEntries.data} ? 'intake'`, sql`${timelineEntries.data} ->> 'event' = 'intake_completed'`),
      ),
    )
    .limit(1);
  return row !== undefined;
}
