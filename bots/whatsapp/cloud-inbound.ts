// Cloud API webhook bodies → InboundMessages and delivery statuses. Only the shapes Meta
// documents for the `messages` field are read; anything else is skipped, not guessed at.
import type { InboundMessage } from '../../src/messaging/message.ts';
import { messageIdOf } from './message-id.ts';

interface CloudMedia {
  id?: string;
  caption?: string;
  filename?: string;
  mime_type?: string;
}

export interface CloudMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  context?: { from?: string; id?: string };
  text?: { body?: string };
  image?: CloudMedia;
  document?: CloudMedia;
  location?: { latitude?: number; longitude?: number };
  contacts?: { name?: { formatted_name?: string }; phones?: { phone?: string; wa_id?: string }[] }[];
  interactive?: { type?: string; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string } };
  button?: { text?: string; payload?: string };
}

export interface CloudStatusUpdate {
  id?: string;
  status?: string;
  recipient_id?: string;
  /** Unix seconds, as a string. */
  timestamp?: string;
  errors?: { code?: number; title?: string; message?: string }[];
}

interface CloudValue {
  metadata?: { phone_number_id?: string };
  contacts?: { profile?: { name?: string }; wa_id?: string }[];
  messages?: CloudMessage[];
  statuses?: CloudStatusUpdate[];
}

export interface CloudWebhookContent {
  messages: { inbound: InboundMessage; raw: unknown }[];
  statuses: CloudStatusUpdate[];
  /** Changes for phone numbers other than ours (a shared app webhook): skipped. */
  foreign: number;
}

export function readCloudWebhook(body: unknown, account: string): CloudWebhookContent {
  const out: CloudWebhookContent = { messages: [], statuses: [], foreign: 0 };
  const entries = (body as { entry?: { changes?: { field?: string; value?: CloudValue }[] }[] } | null)?.entry;
  for (const entry of Array.isArray(entries) ? entries : []) {
    for (const change of Array.isArray(entry.changes) ? entry.changes : []) {
      const value = change.value;
      if (change.field !== 'messages' || !value) continue;
      if (value.metadata?.phone_number_id !== account) {
        out.foreign += 1;
        continue;
      }
      for (const m of value.messages ?? []) {
        const inbound = cloudMessageToInbound(m, value.contacts ?? [], account);
        if (inbound) out.messages.push({ inbound, raw: { message: m, contacts: value.contacts ?? [], metadata: value.metadata } });
      }
      out.statuses.push(...(value.statuses ?? []));
    }
  }
  return out;
}

export function cloudMessageToInbound(m: CloudMessage, contacts: NonNullable<CloudValue['contacts']>, account: string): InboundMessage | null {
  if (!m.id || !m.from) return null;
  const waId = m.from.replace(/\D/g, '');
  const name = contacts.find((c) => c.wa_id === waId)?.profile?.name;
  const base = {
    channel: 'whatsapp' as const,
    account,
    externalId: m.id,
    chatId: waId,
    isGroup: false,
    sender: { externalId: waId, phone: `+${waId}`, ...(name ? { name } : {}) },
    sentAt: m.timestamp ? new Date(Number(m.timestamp) * 1000) : new Date(),
    ...(m.context?.id ? { replyToMessageId: m.context.id } : {}),
  };
  switch (m.type) {
    // A reaction, or a message Meta could not read: nothing a person asked for.
    case 'reaction':
    case 'unsupported':
    case 'system':
      return null;
    case 'text':
      return { ...base, kind: 'text', text: m.text?.body ?? '' };
    case 'image':
    case 'document': {
      const media = m[m.type];
      if (!media?.id) return { ...base, kind: 'other' };
      const file = { fileId: media.id, ...(media.filename ? { name: media.filename } : {}), ...(media.mime_type ? { mime: media.mime_type } : {}) };
      return { ...base, kind: m.type === 'image' ? 'photo' : 'document', file, ...(media.caption ? { text: media.caption } : {}) };
    }
    case 'location':
      if (typeof m.location?.latitude !== 'number' || typeof m.location.longitude !== 'number') return { ...base, kind: 'other' };
      return { ...base, kind: 'location', location: { latitude: m.location.latitude, longitude: m.location.longitude } };
    case 'contacts': {
      const c = m.contacts?.[0];
      const phone = c?.phones?.[0]?.phone ?? c?.phones?.[0]?.wa_id;
      if (!phone) return { ...base, kind: 'other' };
      return { ...base, kind: 'contact', contact: { phone, ...(c?.name?.formatted_name ? { name: c.name.formatted_name } : {}) } };
    }
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (!reply?.id) return { ...base, kind: 'other' };
      return { ...base, kind: 'button', text: reply.title ?? '', button: { data: reply.id, ...pressedOn(m) } };
    }
    case 'button':
      // A quick-reply button of a template message: its payload is the data.
      return { ...base, kind: 'button', text: m.button?.text ?? '', button: { data: m.button?.payload ?? m.button?.text ?? '', ...pressedOn(m) } };
    default:
      return { ...base, kind: 'other' };
  }
}

/** The message the button belonged to, as the Bot API id the bot got for it when it was sent. */
function pressedOn(m: CloudMessage): { messageId?: string } {
  return m.context?.id ? { messageId: String(messageIdOf(m.context.id)) } : {};
}
