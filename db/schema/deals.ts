import { index, integer, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './common.ts';
import { companies } from './companies.ts';
import { contacts } from './contacts.ts';
import { leads } from './leads.ts';
import { pipelines, stages } from './pipelines.ts';
import { users } from './users.ts';

export const deals = pgTable(
  'deals',
  {
    id: id(),
    title: text('title').notNull(),
    pipelineId: ref('pipeline_id')
      .notNull()
      .references(() => pipelines.id),
    stageId: ref('stage_id')
      .notNull()
      .references(() => stages.id),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    amount: numeric('amount', { precision: 14, scale: 2 }),
    currency: text('currency').notNull().default('RUB'),
    responsibleId: ref('responsible_id').references(() => users.id, { onDelete: 'set null' }),
    observerIds: ref('observer_ids').array().notNull().default([]),
    contactId: ref('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    companyId: ref('company_id').references(() => companies.id, { onDelete: 'set null' }),
    leadId: ref('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    source: text('source'),
    utm: jsonb('utm').$type<Record<string, string>>().notNull().default({}),
    comment: text('comment'),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    /** Optimistic lock: every change increments it; a writer holding an older one loses. */
    version: integer('version').notNull().default(1),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('deals_stage_id_idx').on(t.stageId),
    index('deals_pipeline_id_idx').on(t.pipelineId),
    index('deals_responsible_id_idx').on(t.responsibleId),
    index('deals_contact_id_idx').on(t.contactId),
    index('deals_company_id_idx').on(t.companyId),
  ],
);

export const stageHistory = pgTable(
  'stage_history',
  {
    id: id(),
    dealId: ref('deal_id')
      .notNull()
      .references(() => deals.id, { onDelete: 'cascade' }),
    fromStageId: ref('from_stage_id').references(() => stages.id),
    toStageId: ref('to_stage_id')
      .notNull()
      .references(() => stages.id),
    movedById: ref('moved_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** Values supplied on entry (loss reason, file, next contact date...). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stage_history_deal_id_idx').on(t.dealId, t.movedAt)],
);

export type Deal = typeof deals.$inferSelect;
export type NewDeal = typeof deals.$inferInsert;
export type StageHistoryEntry = typeof stageHistory.$inferSelect;
