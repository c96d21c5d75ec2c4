import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './common.ts';
import { companies } from './companies.ts';
import { channelEnum } from './enums.ts';
import { users } from './users.ts';

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    middleName: text('middle_name'),
    phone: text('phone'),
    email: text('email'),
    position: text('position'),
    companyId: ref('company_id').references(() => companies.id, { onDelete: 'set null' }),
    responsibleId: ref('responsible_id').references(() => users.id, { onDelete: 'set null' }),
    observerIds: ref('observer_ids').array().notNull().default([]),
    comment: text('comment'),
    tags: text('tags').array().notNull().default([]),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contacts_company_id_idx').on(t.companyId),
    index('contacts_responsible_id_idx').on(t.responsibleId),
    index('contacts_phone_idx').on(t.phone),
  ],
);

/** How a contact is reached on a channel; one external id belongs to one contact. */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: id(),
    contactId: ref('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: channelEnum('channel').notNull(),
    externalId: text('external_id').notNull(),
    displayName: text('display_name'),
    unreachableAt: timestamp('unreachable_at', { withTimezone: true }),
    unreachableReason: text('unreachable_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contact_identities_channel_external_id_key').on(t.channel, t.externalId),
    index('contact_identities_contact_id_idx').on(t.contactId),
  ],
);

export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
export type ContactIdentity = typeof contactIdentities.$inferSelect;
