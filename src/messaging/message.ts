// One message model for every channel: adapters only convert platform payloads to these.
import type { InboundKind, MessagingChannel } from '../../db/schema/index.ts';

export interface MessageFile {
  fileId: string;
  name?: string;
  size?: number;
  mime?: string;
}

export interface InboundMessage {
  channel: MessagingChannel;
  /** The receiving account: bot id, Cloud phone number id, WhatsApp Web jid. */
  account: string;
  /** Unique per account: Telegram update_id, WhatsApp message id. */
  externalId: string;
  chatId: string;
  /** Whether the chat is a group (Telegram chat id < 0): staff groups, supervisors' chat. */
  isGroup: boolean;
  sender: {
    externalId: string;
    name?: string;
    username?: string;
    languageCode?: string;
    phone?: string;
  };
  kind: InboundKind;
  text?: string;
  file?: MessageFile;
  location?: { latitude: number; longitude: number };
  contact?: { phone: string; name?: string };
  /** A pressed button: its callback data, and the message it was attached to. */
  button?: { data: string; messageId?: string };
  replyToMessageId?: string;
  sentAt: Date;
}

export interface OutboundMessage {
  channel: MessagingChannel;
  account: string;
  chatId: string;
  text?: string;
  file?: MessageFile & { kind: 'document' | 'photo' };
  /** Inline buttons, rows of { text, data }; WhatsApp renders them as numbered options. */
  buttons?: { text: string; data: string }[][];
  replyToMessageId?: string;
}

/** Texts beyond this are stored whole but shown shortened. */
export const MAX_TEXT_STORED = 100_000;
