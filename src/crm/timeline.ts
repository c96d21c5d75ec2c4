import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type EntityType, type TimelineKind, timelineEntries } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';

export async function addTimelineEntry(
  db: Db,
  actor: Actor,
  entry: { entityType: EntityType; entityId: number; kind: TimelineKind; body?: string | null; data?: Record<string, unknown> },
) {
  const [row] = await db
    .insert(timelineEntries)
    .values({
      entityType: entry.entityType,
      entityId: entry.entityId,
      kind: entry.kind,
      authorId: actor.userId,
      body: entry.body ?? null,
      data: entry.data ?? {},
    })
    .returning();
  return row!;
}

export function listTimeline(db: Db, entityType: EntityType, entityId: number, opts: { limit?: number; newestFirst?: boolean } = {}) {
  return db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.entityType, entityType), eq(timelineEntries.entityId, entityId)))
    .orderBy(opts.newestFirst ? desc(timelineEntries.id) : asc(timelineEntries.id))
    .limit(opts.limit ?? 100);
}
