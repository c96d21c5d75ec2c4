// A WhatsApp message as a Telegram update, so the grammY bot (features, flows) handles it like
// any other: a message, or a callback_query when it answers the buttons the bot showed. The
// InboundMessage travels with the update, so the inbox stores WhatsApp's own ids.
import type { Message, Update, User } from 'grammy/types';
import type { Db } from '../../db/client.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import { mayBeChoice, pickButton } from './keyboard.ts';
import { chatNumberOf, messageIdOf } from './message-id.ts';
import { keyboardOfMessage, shownKeyboard, storedInbound } from './outbox-queries.ts';

/** The platform payload rides along and is what the inbox stores as `raw`. */
export type WhatsAppUpdate = Update & { whatsapp: { raw: unknown } };

type IncomingMessage = NonNullable<Update['message']>;
type KeyboardMessage = NonNullable<NonNullable<Update['callback_query']>['message']>;

const inboundOf = new WeakMap<object, InboundMessage>();

/** For inboxMiddleware: the message the update was made from; null for any other update. */
export function whatsappToInbound(update: Update, account: string): InboundMessage | null {
  const msg = inboundOf.get(update);
  return msg && msg.account === account ? msg : null;
}

export function toUpdate(msg: InboundMessage, raw: unknown): WhatsAppUpdate {
  const chatNumber = chatNumberOf(msg.chatId);
  const name = msg.sender.name?.trim() || msg.sender.externalId;
  // No language_code: WhatsApp does not tell, and the bot's default (Russian) applies.
  const from: User = { id: chatNumberOf(msg.sender.externalId), is_bot: false, first_name: name };
  const chat = { id: chatNumber, type: 'private' as const, first_name: name };
  const date = Math.floor(msg.sentAt.getTime() / 1000);
  const updateId = messageIdOf(`${msg.account}:${msg.externalId}`);
  let update: WhatsAppUpdate;
  if (msg.kind === 'button' && msg.button) {
    const messageId = Number(msg.button.messageId ?? 0);
    update = {
      update_id: updateId,
      callback_query: {
        id: msg.externalId,
        from,
        chat_instance: msg.chatId,
        data: msg.button.data,
        message: messageId ? ({ message_id: messageId, date, chat } as KeyboardMessage) : { message_id: 0, date: 0, chat },
      },
      whatsapp: { raw },
    };
  } else {
    update = { update_id: updateId, message: messageOf(msg, from, chat, date), whatsapp: { raw } };
  }
  inboundOf.set(update, msg);
  return update;
}

function messageOf(msg: InboundMessage, from: User, chat: Message['chat'], date: number): IncomingMessage {
  const m: Record<string, unknown> = { message_id: messageIdOf(msg.externalId), date, chat, from };
  const text = msg.text;
  const f = msg.file;
  if (f && msg.kind === 'document') {
    m.document = { file_id: f.fileId, file_unique_id: f.fileId, ...(f.name ? { file_name: f.name } : {}), ...(f.mime ? { mime_type: f.mime } : {}), ...(f.size ? { file_size: f.size } : {}) };
    if (text) m.caption = text;
  } else if (f && msg.kind === 'photo') {
    m.photo = [{ file_id: f.fileId, file_unique_id: f.fileId, width: 0, height: 0, ...(f.size ? { file_size: f.size } : {}) }];
    if (text) m.caption = text;
  } else if (msg.location) {
    m.location = msg.location;
  } else if (msg.contact) {
    m.contact = { phone_number: msg.contact.phone, first_name: msg.contact.name ?? msg.contact.phone };
  } else if (text !== undefined) {
    m.text = text;
    // grammY recognises commands by their entity, as Telegram marks them.
    const command = /^\/[A-Za-z0-9_]{1,32}(?=\s|$)/.exec(text);
    if (command) m.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
  }
  return m as unknown as IncomingMessage;
}

/**
 * A reply that picks one of the buttons the customer was shown becomes a button press. A
 * message that is already stored keeps the reading it got then, so a re-run after a crash
 * sees the same press even if the bot has shown other buttons since.
 */
export async function readChoice(db: Db, msg: InboundMessage): Promise<InboundMessage> {
  if (msg.kind !== 'text' || !mayBeChoice(msg.text)) return msg;
  const stored = await storedInbound(db, msg.account, msg.externalId);
  if (stored) return stored.kind === 'button' && stored.button ? { ...msg, kind: 'button', button: stored.button } : msg;
  // A reply quoting a message answers that message's buttons, even if newer ones were shown.
  const quoted = msg.replyToMessageId ? await keyboardOfMessage(db, msg.account, msg.replyToMessageId) : null;
  const keyboard = quoted ?? (await shownKeyboard(db, msg.account, msg.chatId));
  if (!keyboard) return msg;
  const button = pickButton(keyboard.buttons, msg.text!);
  return button ? { ...msg, kind: 'button', button: { data: button.data, messageId: String(keyboard.messageId) } } : msg;
}
