// The webhook bodies Meta POSTs for the `messages` field of a WhatsApp Business Account,
// and the signature headers it puts on them.
import { createHmac } from 'node:crypto';
import type { StatusError } from './graph-errors.ts';

export interface WebhookMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

export interface InboundCloudMessage {
  from: string;
  id: string;
  timestamp: string;
  type: 'text' | 'image' | 'document' | 'interactive' | 'button';
  context?: { from: string; id: string };
  text?: { body: string };
  image?: { caption?: string; mime_type: string; sha256: string; id: string };
  document?: { caption?: string; filename: string; mime_type: string; sha256: string; id: string };
  interactive?:
    | { type: 'button_reply'; button_reply: { id: string; title: string } }
    | { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } };
}

export type CloudStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusUpdate {
  id: string;
  status: CloudStatus;
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string };
  errors?: StatusError[];
}

export interface WebhookValue {
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: { profile: { name: string }; wa_id: string }[];
  messages?: InboundCloudMessage[];
  statuses?: StatusUpdate[];
}

export interface WebhookPayload {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { value: WebhookValue; field: 'messages' }[] }[];
}

export function wrapValue(wabaId: string, value: WebhookValue): WebhookPayload {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, changes: [{ value, field: 'messages' }] }] };
}

/** `sha256=<hex>`: the value of `X-Hub-Signature-256` Meta sends for this exact body. */
export function hubSignature256(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Meta still sends the legacy SHA-1 header alongside; some apps check only that one. */
export function hubSignature1(rawBody: string, appSecret: string): string {
  return `sha1=${createHmac('sha1', appSecret).update(rawBody, 'utf8').digest('hex')}`;
}
