import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './common.ts';
import { users } from './users.ts';

/**
 * One-time codes with which staff link their messenger account to their user (/start <code>).
 * Only a SHA-256 of the code is kept, as for API tokens: whoever reads the table cannot link.
 */
export const staffInvites = pgTable('staff_invites', {
  id: id(),
  codeHash: text('code_hash').notNull().unique(),
  userId: ref('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdById: ref('created_by_id').references(() => users.id, { onDelete: 'set null' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

export type StaffInvite = typeof staffInvites.$inferSelect;
