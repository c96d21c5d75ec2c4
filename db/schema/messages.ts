import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './common.ts';
import { contactIdentities, contacts } from './contacts.ts';
import { users } from './users.ts';

export const messagingChannels = ['telegram', 'whatsapp'] as const;
export type MessagingChannel = (typeof messagingChannels)[number];
export const messagingChannelEnum = pgEnum('messaging_channel', messagingChannels);

export const inboundKinds = ['text', 'document', 'photo', 'location', 'contact', 'button', 'other'] as const;
export type InboundKind = (typeof inboundKinds)[number];
export const inboundKindEnum = pgEnum('inbound_kind', inboundKinds);

export const outboundKinds = ['text', 'document', 'photo', 'edit', 'api'] as const;
export type OutboundKind = (typeof outboundKinds)[number];
export const outboundKindEnum = pgEnum('outbound_kind', outboundKinds);

export const outboxStatuses = ['queued', 'sending', 'sent', 'failed', 'delivered', 'read'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
export const outboxStatusEnum = pgEnum('outbox_status', outboxStatuses);

/**
 * Every message that reached us, stored once: a replayed webhook or update finds its
 * (channel, account, external id) and does nothing more.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: id(),
    channel: messagingChannelEnum('channel').notNull(),
    /** The receiving account: bot id, Cloud phone number id, WhatsApp Web jid. */
    account: text('account').notNull(),
    /** Telegram update_id, WhatsApp message id. */
    externalId: text('external_id').notNull(),
    chatId: text('chat_id').notNull(),
    senderExternalId: text('sender_external_id').notNull(),
    senderName: text('sender_name'),
    kind: inboundKindEnum('kind').notNull(),
    text: text('text'),
    /** The normalized message (file, location, button, reply-to) and the raw payload. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /**
     * The update exactly as the platform sent it (JSON text), kept only when the payload could
     * not hold it as it was: a NUL or a lone surrogate (refused by jsonb, replaced in the
     * payload), or an update that could not be read as a message.
     */
    rawText: text('raw_text'),
    userId: ref('user_id').references(() => users.id, { onDelete: 'set null' }),
    contactId: ref('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /** Runs that failed (the error boundary caught them). */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Not before then may the recovery sweep run it again: a failure's backoff, or a sweep's lease. */
    retryAt: timestamp('retry_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbound_messages_channel_account_external_id_key').on(t.channel, t.account, t.externalId),
    index('inbound_messages_unprocessed_idx').on(t.receivedAt).where(sql`processed_at is null`),
    index('inbound_messages_contact_id_idx').on(t.contactId),
  ],
);

/**
 * Every message the system sends is first a row here, under an idempotency key derived from
 * what caused it; the deliverer sends it under the platform's limits and records the result.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: id(),
    idempotencyKey: text('idempotency_key').notNull(),
    channel: messagingChannelEnum('channel').notNull(),
    account: text('account').notNull(),
    chatId: text('chat_id').notNull(),
    kind: outboundKindEnum('kind').notNull(),
    /** The platform call: method and parameters (Bot API shape; the WhatsApp bridge translates). */
    method: text('method').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    status: outboxStatusEnum('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when a send started; a row still 'sending' after a crash may have gone out. */
    sendingSince: timestamp('sending_since', { withTimezone: true }),
    possiblyDuplicated: boolean('possibly_duplicated').notNull().default(false),
    platformMessageId: text('platform_message_id'),
    /** The platform's answer, returned again when the same key is sent again. */
    result: jsonb('result'),
    error: text('error'),
    contactIdentityId: ref('contact_identity_id').references(() => contactIdentities.id, { onDelete: 'set null' }),
    /** A customer's message relayed to staff: a reply to it goes back on this open line. */
    threadId: ref('thread_id'),
    inboundMessageId: ref('inbound_message_id').references(() => inboundMessages.id, { onDelete: 'set null' }),
    /** The staff member who wrote it (an answer to a customer): told on Telegram if it cannot be delivered. */
    authorId: ref('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    statusAt: timestamp('status_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_messages_idempotency_key_key').on(t.idempotencyKey),
    index('outbox_messages_due_idx').on(t.channel, t.account, t.nextAttemptAt).where(sql`status = 'queued'`),
    index('outbox_messages_platform_id_idx').on(t.channel, t.platformMessageId),
    // The newest messages to a chat: the keyboard a WhatsApp "2" answers, a chat's history.
    index('outbox_messages_chat_idx').on(t.channel, t.account, t.chatId, t.id),
  ],
);

export type InboundMessageRow = typeof inboundMessages.$inferSelect;
export type OutboxMessageRow = typeof outboxMessages.$inferSelect;
export type NewOutboxMessage = typeof outboxMessages.$inferInsert;
