import { boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './common.ts';

export const stageKinds = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof stageKinds)[number];
export const stageKindEnum = pgEnum('stage_kind', stageKinds);

/** A field that must hold a value before a deal may enter the stage. */
export interface StageRequirement {
  field: string;
  hint?: string;
}

export const pipelines = pgTable(
  'pipelines',
  {
    id: id(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    isArchived: boolean('is_archived').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('pipelines_key_key').on(t.key)],
);

export const stages = pgTable(
  'stages',
  {
    id: id(),
    pipelineId: ref('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: stageKindEnum('kind').notNull().default('open'),
    sortOrder: integer('sort_order').notNull(),
    requirements: jsonb('requirements').$type<StageRequirement[]>().notNull().default([]),
    /** Stage keys a deal may come from; null means any stage of the pipeline. */
    allowedFrom: text('allowed_from').array(),
    /** Dropped by a newer configuration while deals are in it or passed through it: kept for them, offered to no one. */
    isArchived: boolean('is_archived').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('stages_pipeline_id_key_key').on(t.pipelineId, t.key),
    index('stages_pipeline_id_sort_order_idx').on(t.pipelineId, t.sortOrder),
  ],
);

export type Pipeline = typeof pipelines.$inferSelect;
export type Stage = typeof stages.$inferSelect;
export type NewStage = typeof stages.$inferInsert;
