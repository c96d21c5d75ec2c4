// Bot API ids are numbers; WhatsApp's are strings. Both directions are derived, never stored
// apart: a message id from the platform id, a chat id from the wa_id's digits.
import { createHash } from 'node:crypto';

/**
 * 48 bits of the platform id's hash: a safe integer, the same for the same wamid / Baileys id
 * on every process, and (2^-48 per pair) unique among one chat's messages.
 */
export function messageIdOf(platformMessageId: string): number {
  return createHash('sha256').update(platformMessageId).digest().readUIntBE(0, 6) || 1;
}

/** A wa_id (a phone number in digits, at most 15) as a Bot API chat / user id. */
export function chatNumberOf(waId: string): number {
  const digits = waId.replace(/\D/g, '');
  const n = Number(digits);
  if (!digits || !Number.isSafeInteger(n)) throw new RangeError(`not a WhatsApp id: ${waId}`);
  return n;
}
