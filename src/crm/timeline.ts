import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { preparedFor } from '../../db/prepared.ts';
import { type EntityType, type TimelineKind, timelineEntries } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';

type EntryInput = { entityType: EntityType; entityId: number; kind: TimelineKind; body?: string | null; data?: Record<string, unknown> };

export async function addTimelineEntry(db: Db, actor: Actor, entry: EntryInput) {
  const [row] = await timelineInsert(db).execute(entryParams(actor, entry));
  return row!;
}

const entryParams = (actor: Actor, entry: EntryInput) => ({
  entityType: entry.entityType,
  entityId: entry.entityId,
  kind: entry.kind,
  authorId: actor.userId,
  body: entry.body ?? null,
  data: entry.data ?? {},
});

/**
 * An entry caused by an inbound message (its `data.inboundId`): inserted once per card, so a
 * re-run of the update adds nothing. Null when it was there already.
 */
export async function addInboundTimelineEntry(db: Db, actor: Actor, entry: EntryInput & { data: Record<string, unknown> & { inboundId: number } }) {
  const [row] = await timelineInsertOnce(db).execute(entryParams(actor, entry));
  return row ?? null;
}

// Prepared: every message in or out lands here.
const entryValues = () => ({
  entityType: sql.placeholder('entityType'),
  entityId: sql.placeholder('entityId'),
  kind: sql.placeholder('kind'),
  authorId: sql.placeholder('authorId'),
  body: sql.placeholder('body'),
  data: sql.placeholder('data'),
});
const timelineInsert = preparedFor((db) => db.insert(timelineEntries).values(entryValues()).returning().prepare('timeline_insert'));
const timelineInsertOnce = preparedFor((db) => db.insert(timelineEntries).values(entryValues()).onConflictDoNothing().returning().prepare('timeline_insert_once'));

export function listTimeline(db: Db, entityType: EntityType, entityId: number, opts: { limit?: number; newestFirst?: boolean } = {}) {
  return db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.entityType, entityType), eq(timelineEntries.entityId, entityId)))
    .orderBy(opts.newestFirst ? desc(timelineEntries.id) : asc(timelineEntries.id))
    .limit(opts.limit ?? 100);
}
