import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { preparedFor } from '../../db/prepared.ts';
import { type EntityType, type TimelineKind, timelineEntries } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';

export async function addTimelineEntry(
  db: Db,
  actor: Actor,
  entry: { entityType: EntityType; entityId: number; kind: TimelineKind; body?: string | null; data?: Record<string, unknown> },
) {
  const [row] = await timelineInsert(db).execute({
    entityType: entry.entityType,
    entityId: entry.entityId,
    kind: entry.kind,
    authorId: actor.userId,
    body: entry.body ?? null,
    data: entry.data ?? {},
  });
  return row!;
}

/**
 * An entry caused by an inbound message (its `data.inboundId`): inserted once per card, so a
 * re-run of the update adds nothing. Null when it was there already.
 */
export async function addInboundTimelineEntry(
  db: Db,
  actor: Actor,
  entry: { entityType: EntityType; entityId: number; kind: TimelineKind; body?: string | null; data: Record<string, unknown> & { inboundId: number } },
) {
  const [row] = await timelineInsertOnce(db).execute({
    entityType: entry.entityType,
    entityId: entry.entityId,
    kind: entry.kind,
    authorId: actor.userId,
    body: entry.body ?? null,
    data: entry.data,
  });
  return row ?? null;
}

const timelineInsertOnce = preparedFor((db) =>
  db
    .insert(timelineEntries)
    .values({
      entityType: sql.placeholder('entityType'),
      entityId: sql.placeholder('entityId'),
      kind: sql.placeholder('kind'),
      authorId: sql.placeholder('authorId'),
      body: sql.placeholder('body'),
      data: sql.placeholder('data'),
    })
    .onConflictDoNothing()
    .returning()
    .prepare('timeline_insert_once'),
);

// Prepared: every message in or out lands here.
const timelineInsert = preparedFor((db) =>
  db
    .insert(timelineEntries)
    .values({
      entityType: sql.placeholder('entityType'),
      entityId: sql.placeholder('entityId'),
      kind: sql.placeholder('kind'),
      authorId: sql.placeholder('authorId'),
      body: sql.placeholder('body'),
      data: sql.placeholder('data'),
    })
    .returning()
    .prepare('timeline_insert'),
);

export function listTimeline(db: Db, entityType: EntityType, entityId: number, opts: { limit?: number; newestFirst?: boolean } = {}) {
  return db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.entityType, entityType), eq(timelineEntries.entityId, entityId)))
    .orderBy(opts.newestFirst ? desc(timelineEntries.id) : asc(timelineEntries.id))
    .limit(opts.limit ?? 100);
}
