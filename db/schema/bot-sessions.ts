import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** grammY session and conversation state, per chat, so a restart resumes every flow. */
export const botSessions = pgTable('bot_sessions', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
