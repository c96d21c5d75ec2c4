// Baileys asks for a message again when a recipient's device could not decrypt it. The outbox
// holds what was sent under that id; texts and locations are rebuilt from it. Media is not:
// its upload keys are not kept, and a resend of other bytes would not match.
import type { proto, WAMessageKey } from '@whiskeysockets/baileys';
import type { Db } from '../../db/client.ts';
import { sentRowByPlatformId } from './outbox-queries.ts';
import { renderBotApiCall } from './render-bot-api-call.ts';

export async function messageFromOutbox(db: Db, account: string, key: WAMessageKey): Promise<proto.IMessage | undefined> {
  if (!key.id) return undefined;
  const row = await sentRowByPlatformId(db, account, key.id);
  if (!row) return undefined;
  const rendered = renderBotApiCall(row.method, row.params);
  if (rendered.kind !== 'send') return undefined;
  const send = rendered.send;
  // The shapes Baileys' generateWAMessageContent gives these sends.
  if (send.type === 'text') return { extendedTextMessage: { text: send.text } };
  if (send.type === 'location') return { locationMessage: { degreesLatitude: send.latitude, degreesLongitude: send.longitude } };
  return undefined;
}
