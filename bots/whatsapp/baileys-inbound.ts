// WhatsApp Web messages (Baileys) → InboundMessage. A person's chat is known by their phone
// number wherever WhatsApp gives it (LID-addressed chats carry it in remoteJidAlt); the jid to
// answer on is remembered per chat, since a LID-only chat cannot be reached by phone.
import {
  BufferJSON,
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidDecode,
  normalizeMessageContent,
  toNumber,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { InboundMessage } from '../../src/messaging/message.ts';
import { messageIdOf } from './message-id.ts';

/** chat id (digits) → the jid replies go to. */
export class JidBook {
  private readonly jids = new Map<string, string>();

  remember(chatId: string, jid: string): void {
    if (this.jids.size > 100_000) this.jids.clear();
    this.jids.set(chatId, jid);
  }

  jidOf(chatId: string): string {
    return this.jids.get(chatId) ?? `${chatId.replace(/\D/g, '')}@s.whatsapp.net`;
  }
}

/** The person's own jid: phone-number based when WhatsApp tells it, else the LID. */
function personJid(msg: WAMessage): string | null {
  const { remoteJid, remoteJidAlt } = msg.key;
  if (!remoteJid) return null;
  if (isPnUser(remoteJid)) return remoteJid;
  if (isLidUser(remoteJid)) return remoteJidAlt && isPnUser(remoteJidAlt) ? remoteJidAlt : remoteJid;
  return null;
}

/** null for what is not a person's message to us: our own, groups, statuses, protocol noise. */
export function baileysToInbound(msg: WAMessage, account: string, book?: JidBook): InboundMessage | null {
  const { remoteJid, fromMe, id } = msg.key;
  if (fromMe || !id || !remoteJid) return null;
  if (isJidGroup(remoteJid) || isJidBroadcast(remoteJid) || isJidStatusBroadcast(remoteJid) || isJidNewsletter(remoteJid)) return null;
  const jid = personJid(msg);
  const user = jid ? jidDecode(jid)?.user : undefined;
  if (!jid || !user || !/^\d+$/.test(user)) return null;
  const content = normalizeMessageContent(msg.message);
  const type = getContentType(content);
  if (!content || !type || type === 'protocolMessage' || type === 'reactionMessage' || type === 'pollUpdateMessage') return null;
  book?.remember(user, jid);

  const contextInfo = (content[type] as { contextInfo?: { stanzaId?: string | null } } | null | undefined)?.contextInfo;
  const base = {
    channel: 'whatsapp' as const,
    account,
    externalId: id,
    chatId: user,
    isGroup: false,
    sender: { externalId: user, ...(msg.pushName ? { name: msg.pushName } : {}), ...(isPnUser(jid) ? { phone: `+${user}` } : {}) },
    sentAt: msg.messageTimestamp ? new Date(toNumber(msg.messageTimestamp) * 1000) : new Date(),
    ...(contextInfo?.stanzaId ? { replyToMessageId: contextInfo.stanzaId } : {}),
  };
  const pressedOn = contextInfo?.stanzaId ? { messageId: String(messageIdOf(contextInfo.stanzaId)) } : {};

  if (content.conversation != null) return { ...base, kind: 'text', text: content.conversation };
  if (content.extendedTextMessage) return { ...base, kind: 'text', text: content.extendedTextMessage.text ?? '' };
  if (content.documentMessage) {
    const d = content.documentMessage;
    // Media is fetched later from the stored message (mediaKey, directPath): its id names it.
    const file = { fileId: id, ...(d.fileName ? { name: d.fileName } : {}), ...(d.mimetype ? { mime: d.mimetype } : {}), ...(d.fileLength ? { size: toNumber(d.fileLength) } : {}) };
    return { ...base, kind: 'document', file, ...(d.caption ? { text: d.caption } : {}) };
  }
  if (content.imageMessage) {
    const p = content.imageMessage;
    const file = { fileId: id, mime: p.mimetype ?? 'image/jpeg', ...(p.fileLength ? { size: toNumber(p.fileLength) } : {}) };
    return { ...base, kind: 'photo', file, ...(p.caption ? { text: p.caption } : {}) };
  }
  if (content.locationMessage) {
    const l = content.locationMessage;
    return { ...base, kind: 'location', location: { latitude: l.degreesLatitude ?? 0, longitude: l.degreesLongitude ?? 0 } };
  }
  if (content.contactMessage) {
    const phone = /waid=(\d+)/.exec(content.contactMessage.vcard ?? '')?.[1];
    if (phone) return { ...base, kind: 'contact', contact: { phone: `+${phone}`, ...(content.contactMessage.displayName ? { name: content.contactMessage.displayName } : {}) } };
  }
  const pressed =
    content.buttonsResponseMessage?.selectedButtonId ?? content.listResponseMessage?.singleSelectReply?.selectedRowId ?? content.templateButtonReplyMessage?.selectedId;
  if (pressed) return { ...base, kind: 'button', button: { data: pressed, ...pressedOn } };
  return { ...base, kind: 'other' };
}

/** The message as JSON that round-trips its binary fields (media keys) through jsonb. */
export function baileysRaw(msg: WAMessage): unknown {
  return JSON.parse(JSON.stringify(msg, BufferJSON.replacer));
}
