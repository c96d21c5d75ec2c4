// The inbound path's queries, prepared once per database: they run for every update.
import { and, eq, or, sql } from 'drizzle-orm';
import { preparedFor } from '../../db/prepared.ts';
import { contactIdentities, contacts, inboundMessages, users } from '../../db/schema/index.ts';

const p = sql.placeholder;

export const inboxQueries = preparedFor((db) => ({
  /** Who wrote, in one round trip: the active staff user with that Telegram id or WhatsApp phone, and the contact behind the identity. */
  sender: db
    .select({ user: users, contact: contacts, identityId: contactIdentities.id })
    .from(sql`(select 1) as one`)
    .leftJoin(users, and(or(eq(users.telegramUserId, p('telegramUserId')), eq(users.whatsappPhone, p('phone'))), eq(users.isActive, true)))
    .leftJoin(contactIdentities, and(eq(contactIdentities.channel, p('channel')), eq(contactIdentities.externalId, p('externalId'))))
    .leftJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .limit(1)
    .prepare('inbox_sender'),
  identity: db
    .select({ contact: contacts, identityId: contactIdentities.id })
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(and(eq(contactIdentities.channel, p('channel')), eq(contactIdentities.externalId, p('externalId'))))
    .prepare('inbox_identity'),
  insert: db
    .insert(inboundMessages)
    .values({
      channel: p('channel'),
      account: p('account'),
      externalId: p('externalId'),
      chatId: p('chatId'),
      senderExternalId: p('senderExternalId'),
      senderName: p('senderName'),
      kind: p('kind'),
      text: p('text'),
      payload: p('payload'),
      sentAt: p('sentAt'),
      userId: p('userId'),
      contactId: p('contactId'),
    })
    .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.account, inboundMessages.externalId] })
    .returning()
    .prepare('inbox_insert'),
  byKey: db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.channel, p('channel')), eq(inboundMessages.account, p('account')), eq(inboundMessages.externalId, p('externalId'))))
    .prepare('inbox_by_key'),
  markProcessed: db
    .update(inboundMessages)
    .set({ processedAt: sql`now()`, lastError: null })
    .where(eq(inboundMessages.id, p('id')))
    .prepare('inbox_mark_processed'),
  processedAt: db.select({ processedAt: inboundMessages.processedAt }).from(inboundMessages).where(eq(inboundMessages.id, p('id'))).prepare('inbox_processed_at'),
}));
