import { index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './common.ts';
import { contactIdentities, contacts } from './contacts.ts';
import { messagingChannelEnum } from './messages.ts';

/**
 * An open line: a customer's chat with the company on one channel and account. Messages in it
 * reach the responsible manager of the customer's current lead or deal as relays (outbox rows
 * carrying the thread), and a manager's reply to a relay goes back out on this chat.
 */
export const chatThreads = pgTable(
  'chat_threads',
  {
    id: id(),
    channel: messagingChannelEnum('channel').notNull(),
    account: text('account').notNull(),
    chatId: text('chat_id').notNull(),
    contactId: ref('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    identityId: ref('identity_id').references(() => contactIdentities.id, { onDelete: 'set null' }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastOutboundAt: timestamp('last_outbound_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('chat_threads_channel_account_chat_id_key').on(t.channel, t.account, t.chatId), index('chat_threads_contact_id_idx').on(t.contactId)],
);

export type ChatThread = typeof chatThreads.$inferSelect;
