// What a customer's message leaves on the CRM: an entry on the contact's timeline, files kept
// by their platform id, long texts whole (shortened only where shown). The entry is written by
// the inbox's store statement, with the message (see cardEntryOf); recordCustomerMessage writes
// it for the few messages stored otherwise.
import type { Db } from '../../db/client.ts';
import type { TimelineKind } from '../../db/schema/index.ts';
import { systemActor } from '../crm/actor.ts';
import { recordInboundTimelineEntry } from '../crm/timeline.ts';
import type { InboundMessage } from './message.ts';

/**
 * The entry a message gets on its sender's card when the sender is a contact writing in a
 * private chat; none for button presses (what they do is recorded where it is done) and for
 * groups. `data` lacks the message's id, known once it is stored.
 */
export function cardEntryOf(msg: InboundMessage): { kind: TimelineKind; data: Record<string, unknown> } | null {
  if (msg.kind === 'button' || msg.isGroup) return null;
  return {
    kind: msg.file ? 'file' : 'message',
    data: {
      direction: 'in',
      channel: msg.channel,
      kind: msg.kind,
      ...(msg.file ? { file: msg.file } : {}),
      ...(msg.location ? { location: msg.location } : {}),
      ...(msg.contact ? { sharedContact: msg.contact } : {}),
    },
  };
}

/** The entry of a contact's message stored earlier (once per card: a repeat adds nothing). */
export async function recordCustomerMessage(db: Db, contactId: number, msg: InboundMessage, inboundId: number): Promise<void> {
  const entry = cardEntryOf(msg);
  if (!entry) return;
  await recordInboundTimelineEntry(db, systemActor, { entityType: 'contact', entityId: contactId, kind: entry.kind, body: msg.text ?? null, data: { ...entry.data, inboundId } });
}

/** A text for a chat bubble or a card line: whole if short, else its start and its length. */
export function shorten(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}… (${text.length})`;
}
