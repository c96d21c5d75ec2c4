import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, ref } from './common.ts';
import { users } from './users.ts';

/** Who changed what, for supervisors and admins; written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    actorId: ref('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who acted when it was not a staff user: 'system', 'admin-token', 'webhook:site'. */
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: ref('entity_id'),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId, t.at)],
);

export type AuditLogEntry = typeof auditLog.$inferSelect;
