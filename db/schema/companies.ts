import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './common.ts';
import { users } from './users.ts';

/** Client companies (counterparties), not the company running chatcrm. */
export const companies = pgTable(
  'companies',
  {
    id: id(),
    name: text('name').notNull(),
    phone: text('phone'),
    email: text('email'),
    messenger: text('messenger'),
    industry: text('industry'),
    inn: text('inn'),
    responsibleId: ref('responsible_id').references(() => users.id, { onDelete: 'set null' }),
    observerIds: ref('observer_ids').array().notNull().default([]),
    comment: text('comment'),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('companies_responsible_id_idx').on(t.responsibleId), index('companies_name_idx').on(t.name)],
);

export type Company = typeof companies.$inferSelect;
export type NewCompany = typeof companies.$inferInsert;
