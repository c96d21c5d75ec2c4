// Reads of the outbox and the inbox the WhatsApp bridge needs and src/messaging does not offer.
import { and, count, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { inboundMessages, type OutboxMessageRow, outboxMessages } from '../../db/schema/index.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import { type CallbackButton, callbackButtons } from './keyboard.ts';
import { messageIdOf } from './message-id.ts';

/** Calls that put a message in front of the customer (or take its buttons away). */
const SHOWN_METHODS = ['sendMessage', 'sendPhoto', 'sendDocument', 'editMessageText', 'editMessageReplyMarkup'];
const DONE = ['sent', 'delivered', 'read'] as const;

export interface ShownKeyboard {
  buttons: CallbackButton[];
  /** The Bot API message id the keyboard came with. */
  messageId: number;
}

/**
 * The buttons the customer has in front of them: those of the newest message the bot showed
 * in this chat, if it had any. A later message without buttons ends the choice, so a "2"
 * typed to a later question is not taken for an old button.
 */
export async function shownKeyboard(db: Db, account: string, chatId: string): Promise<ShownKeyboard | null> {
  const [row] = await db
    .select({ params: outboxMessages.params, result: outboxMessages.result, platformMessageId: outboxMessages.platformMessageId })
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.channel, 'whatsapp'),
        eq(outboxMessages.account, account),
        eq(outboxMessages.chatId, chatId),
        inArray(outboxMessages.method, SHOWN_METHODS),
        inArray(outboxMessages.status, [...DONE]),
      ),
    )
    .orderBy(desc(outboxMessages.id))
    .limit(1);
  return row ? keyboardOf(row) : null;
}

/** The buttons of one message we sent, by its platform id: a reply that quotes it means them. */
export async function keyboardOfMessage(db: Db, account: string, platformMessageId: string): Promise<ShownKeyboard | null> {
  const row = await sentRowByPlatformId(db, account, platformMessageId);
  return row && row.channel === 'whatsapp' ? keyboardOf(row) : null;
}

function keyboardOf(row: Pick<OutboxMessageRow, 'params' | 'result' | 'platformMessageId'>): ShownKeyboard | null {
  const buttons = callbackButtons(row.params.reply_markup);
  if (buttons.length === 0) return null;
  const resultId = (row.result as { message_id?: unknown } | null)?.message_id;
  const messageId = typeof resultId === 'number' ? resultId : row.platformMessageId ? messageIdOf(row.platformMessageId) : 0;
  return { buttons, messageId };
}

/** The message as stored the first time it arrived, so a re-run reads it the same way. */
export async function storedInbound(db: Db, account: string, externalId: string): Promise<InboundMessage | null> {
  const [row] = await db
    .select({ payload: inboundMessages.payload })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.channel, 'whatsapp'), eq(inboundMessages.account, account), eq(inboundMessages.externalId, externalId)));
  const stored = row?.payload.message as (Omit<InboundMessage, 'sentAt'> & { sentAt: string }) | undefined;
  return stored ? { ...stored, sentAt: new Date(stored.sentAt) } : null;
}

export async function sentRowByPlatformId(db: Db, account: string, platformMessageId: string): Promise<OutboxMessageRow | undefined> {
  const [row] = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.channel, 'whatsapp'), eq(outboxMessages.account, account), eq(outboxMessages.platformMessageId, platformMessageId)))
    .limit(1);
  return row;
}

/** Messages that really went out on this account since `since` (the daily cap counts these). */
export async function countSentSince(db: Db, account: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.channel, 'whatsapp'), eq(outboxMessages.account, account), isNotNull(outboxMessages.platformMessageId), gte(outboxMessages.sentAt, since)));
  return row?.n ?? 0;
}
