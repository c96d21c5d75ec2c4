import { index, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './common.ts';
import { entityTypeEnum } from './enums.ts';
import { users } from './users.ts';

export const taskStatuses = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const taskStatusEnum = pgEnum('task_status', taskStatuses);

export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    assigneeId: ref('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    createdById: ref('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    entityType: entityTypeEnum('entity_type'),
    entityId: ref('entity_id'),
    status: taskStatusEnum('status').notNull().default('open'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Set once when the due reminder went out, so a replayed job reminds nobody twice. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('tasks_assignee_status_due_idx').on(t.assigneeId, t.status, t.dueAt),
    index('tasks_entity_idx').on(t.entityType, t.entityId),
  ],
);

export type Task = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;
