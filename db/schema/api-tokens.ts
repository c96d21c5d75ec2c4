import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './common.ts';
import { users } from './users.ts';

/** Bearer tokens for the HTTP API; only a SHA-256 of the token is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: ref('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    label: text('label'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_user_id_idx').on(t.userId)],
);

export type ApiToken = typeof apiTokens.$inferSelect;
