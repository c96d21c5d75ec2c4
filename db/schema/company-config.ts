import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ref } from './common.ts';
import { users } from './users.ts';

/** Every applied company configuration (preset or later edit), newest version wins. */
export const companyConfigVersions = pgTable('company_config_versions', {
  version: integer('version').primaryKey(),
  /** The configuration's own name (its `name` field). */
  preset: text('preset'),
  /** Where it came from: `preset:<name>` or `file:<absolute path>`. */
  source: text('source'),
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  appliedById: ref('applied_by_id').references(() => users.id, { onDelete: 'set null' }),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
});

export type CompanyConfigVersion = typeof companyConfigVersions.$inferSelect;
