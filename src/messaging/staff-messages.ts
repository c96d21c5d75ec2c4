// Messages to staff on Telegram from anywhere in the system (a new lead, a customer's message
// on an open line, a reminder): an outbox row for the staff member's private chat with the
// bot, keyed by what caused it, so however often the cause is handled it is sent once.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type OutboxMessageRow, type User, users } from '../../db/schema/index.ts';
import { enqueueOutbox } from './outbox.ts';

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface StaffMessage {
  /** Unique per cause and recipient. */
  key: string;
  text: string;
  buttons?: InlineButton[][];
  /** Relays of a customer's message: a reply to this message goes back on the thread. */
  threadId?: number;
}

/** Staff who can be written to: active, with a linked Telegram. */
export type Reachable = Pick<User, 'id' | 'telegramUserId' | 'language' | 'name'>;

export async function reachableStaff(db: Db, userId: number): Promise<Reachable | null> {
  const [u] = await db
    .select({ id: users.id, telegramUserId: users.telegramUserId, language: users.language, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.isActive, true)));
  return u && u.telegramUserId !== null ? u : null;
}

/** Enqueues the message for the staff member's Telegram; null when he has none linked. */
export async function enqueueStaffMessage(db: Db, telegramAccount: string, to: Reachable, msg: StaffMessage): Promise<OutboxMessageRow | null> {
  if (to.telegramUserId === null) return null;
  const { row } = await enqueueOutbox(db, {
    idempotencyKey: `staff:${msg.key}:user:${to.id}`,
    channel: 'telegram',
    account: telegramAccount,
    chatId: String(to.telegramUserId),
    kind: 'text',
    method: 'sendMessage',
    params: {
      chat_id: to.telegramUserId,
      text: msg.text,
      ...(msg.buttons?.length ? { reply_markup: { inline_keyboard: msg.buttons } } : {}),
    },
    ...(msg.threadId !== undefined ? { threadId: msg.threadId } : {}),
  });
  return row;
}
