// Telegram update → InboundMessage. Updates that are not messages from a person
// (edits, chat member changes...) give null and are left to grammY alone.
import type { Update } from 'grammy/types';
import type { InboundMessage } from '../../src/messaging/message.ts';

export function telegramToInbound(update: Update, account: string): InboundMessage | null {
  const cq = update.callback_query;
  if (cq) {
    const chat = cq.message?.chat;
    return {
      channel: 'telegram',
      account,
      externalId: String(update.update_id),
      chatId: String(chat?.id ?? cq.from.id),
      isGroup: chat ? chat.type !== 'private' : false,
      sender: senderOf(cq.from),
      kind: 'button',
      button: { data: cq.data ?? '', ...(cq.message ? { messageId: String(cq.message.message_id) } : {}) },
      sentAt: new Date(),
    };
  }
  const m = update.message;
  if (!m || !m.from) return null;
  const base = {
    channel: 'telegram' as const,
    account,
    externalId: String(update.update_id),
    chatId: String(m.chat.id),
    isGroup: m.chat.type !== 'private',
    sender: senderOf(m.from),
    sentAt: new Date(m.date * 1000),
    ...(m.reply_to_message ? { replyToMessageId: String(m.reply_to_message.message_id) } : {}),
  };
  const text = m.text ?? m.caption;
  if (m.document) {
    const d = m.document;
    return { ...base, kind: 'document', text, file: { fileId: d.file_id, ...opt('name', d.file_name), ...opt('size', d.file_size), ...opt('mime', d.mime_type) } };
  }
  if (m.photo && m.photo.length) {
    const p = m.photo[m.photo.length - 1]!;
    return { ...base, kind: 'photo', text, file: { fileId: p.file_id, ...opt('size', p.file_size), mime: 'image/jpeg' } };
  }
  if (m.location) return { ...base, kind: 'location', text, location: { latitude: m.location.latitude, longitude: m.location.longitude } };
  if (m.contact) return { ...base, kind: 'contact', text, contact: { phone: m.contact.phone_number, ...opt('name', [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ')) } };
  if (m.text !== undefined) return { ...base, kind: 'text', text: m.text };
  return { ...base, kind: 'other', text };
}

function senderOf(from: { id: number; first_name: string; last_name?: string; username?: string; language_code?: string }): InboundMessage['sender'] {
  return {
    externalId: String(from.id),
    name: [from.first_name, from.last_name].filter(Boolean).join(' '),
    ...opt('username', from.username),
    ...opt('languageCode', from.language_code),
  };
}

function opt<K extends string, V>(key: K, value: V | undefined | null | ''): Partial<Record<K, V>> {
  return value === undefined || value === null || value === '' ? {} : ({ [key]: value } as Record<K, V>);
}
