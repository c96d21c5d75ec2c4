// What a customer's message leaves on the CRM: an entry on the contact's timeline, files kept
// by their platform id, long texts whole (shortened only where shown).
import type { Db } from '../../db/client.ts';
import { systemActor } from '../crm/actor.ts';
import { recordInboundTimelineEntry } from '../crm/timeline.ts';
import type { InboundMessage } from './message.ts';

export async function recordCustomerMessage(db: Db, contactId: number, msg: InboundMessage, inboundId: number): Promise<void> {
  await recordInboundTimelineEntry(db, systemActor, {
    entityType: 'contact',
    entityId: contactId,
    kind: msg.file ? 'file' : 'message',
    body: msg.text ?? null,
    data: {
      direction: 'in',
      channel: msg.channel,
      inboundId,
      kind: msg.kind,
      ...(msg.file ? { file: msg.file } : {}),
      ...(msg.location ? { location: msg.location } : {}),
      ...(msg.contact ? { sharedContact: msg.contact } : {}),
    },
  });
}

/** A text for a chat bubble or a card line: whole if short, else its start and its length. */
export function shorten(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}… (${text.length})`;
}
