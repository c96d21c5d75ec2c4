import { sql } from 'drizzle-orm';
import { index, jsonb, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './common.ts';
import { entityTypeEnum } from './enums.ts';
import { users } from './users.ts';

export const timelineKinds = ['comment', 'message', 'change', 'stage_move', 'file', 'task', 'system'] as const;
export type TimelineKind = (typeof timelineKinds)[number];
export const timelineKindEnum = pgEnum('timeline_kind', timelineKinds);

/** What happened to a card, newest last: comments, messages, changes, stage moves. */
export const timelineEntries = pgTable(
  'timeline_entries',
  {
    id: id(),
    entityType: entityTypeEnum('entity_type').notNull(),
    entityId: ref('entity_id').notNull(),
    kind: timelineKindEnum('kind').notNull(),
    authorId: ref('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('timeline_entries_entity_idx').on(t.entityType, t.entityId, t.createdAt),
    // A message that came in lands once on each card, however often its update is handled.
    uniqueIndex('timeline_entries_inbound_key')
      .on(t.entityType, t.entityId, sql`(${t.data} ->> 'inboundId')`)
      .where(sql`${t.data} ? 'inboundId' and not (${t.data} ? 'copied_from_lead')`),
  ],
);

export type TimelineEntry = typeof timelineEntries.$inferSelect;
export type NewTimelineEntry = typeof timelineEntries.$inferInsert;
