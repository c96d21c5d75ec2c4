// The inbound path's queries, prepared once per database: they run for every update.
import { and, eq, or, sql } from 'drizzle-orm';
import { preparedFor } from '../../db/prepared.ts';
import { contactIdentities, contacts, inboundMessages, users } from '../../db/schema/index.ts';

const p = sql.placeholder;

export const inboxQueries = preparedFor((db) => ({
  identity: db
    .select({ contact: contacts, identityId: contactIdentities.id })
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(and(eq(contactIdentities.channel, p('channel')), eq(contactIdentities.externalId, p('externalId'))))
    .prepare('inbox_identity'),
  byKey: db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.channel, p('channel')), eq(inboundMessages.account, p('account')), eq(inboundMessages.externalId, p('externalId'))))
    .prepare('inbox_by_key'),
  processedAt: db.select({ processedAt: inboundMessages.processedAt }).from(inboundMessages).where(eq(inboundMessages.id, p('id'))).prepare('inbox_processed_at'),
}));
