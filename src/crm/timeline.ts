import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { noFlushWait } from '../../db/no-flush-wait.ts';
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

/**
 * The same for a caller that needs nothing back (a customer's message on his card): calls made
 * at once share one statement (see groupedStatement), the rows passed as one JSON parameter.
 */
export async function recordInboundTimelineEntry(db: Db, actor: Actor, entry: EntryInput & { data: Record<string, unknown> & { inboundId: number } }): Promise<void> {
  await inboundEntryWrites(db)(entryParams(actor, entry));
}

const inboundEntryWrites = groupedStatementFor((db: Db) => async (rows: ReturnType<typeof entryParams>[]) => {
  await db.execute(inboundEntriesStatement(rows));
  return rows.map(() => undefined);
});

/**
 * Committed without waiting for the flush (see noFlushWait): an entry lost in a crash goes with
 * its update's processed mark, written after it, and the re-run inserts it again.
 */
export function inboundEntriesStatement(rows: ReturnType<typeof entryParams>[]): SQL {
  return sql`
    insert into ${timelineEntries} (entity_type, entity_id, kind, author_id, body, data)
    select v."entityType"::entity_type, v."entityId", v.kind::timeline_kind, v."authorId", v.body, v.data
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v("entityType" text, "entityId" bigint, kind text, "authorId" bigint, body text, data jsonb), ${noFlushWait}
    on conflict do nothing`;
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
