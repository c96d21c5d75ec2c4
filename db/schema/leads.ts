import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './common.ts';
import { companies } from './companies.ts';
import { contacts } from './contacts.ts';
import { users } from './users.ts';

export const leads = pgTable(
  'leads',
  {
    id: id(),
    title: text('title').notNull(),
    source: text('source').notNull(),
    /** Key of a lead status from the company configuration (statuses differ per preset). */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    /** Dedup key of an external submission (site form id, marketplace order id). */
    externalKey: text('external_key'),
    contactId: ref('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    companyId: ref('company_id').references(() => companies.id, { onDelete: 'set null' }),
    responsibleId: ref('responsible_id').references(() => users.id, { onDelete: 'set null' }),
    utm: jsonb('utm').$type<Record<string, string>>().notNull().default({}),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    comment: text('comment'),
    convertedDealId: ref('converted_deal_id'),
    convertedAt: timestamp('converted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('leads_source_external_key_key').on(t.source, t.externalKey),
    index('leads_status_idx').on(t.status),
    index('leads_responsible_id_idx').on(t.responsibleId),
    index('leads_contact_id_idx').on(t.contactId),
  ],
);

export type Lead = typeof leads.$inferSelect;
export type NewLead = typeof leads.$inferInsert;
