// Telling the admins on Telegram that the WhatsApp Web session is gone: one outbox row per
// active admin with a linked Telegram, keyed by the moment of the logout, so the notice is
// sent once however often the handler runs.
import { and, arrayContains, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { enqueueOutbox } from '../../src/messaging/outbox.ts';
import { waText } from './texts.ts';

export async function notifyAdminsOfLogout(
  db: Db,
  opts: { whatsappAccount: string; telegramAccount: string; at: Date },
): Promise<number> {
  const admins = await db
    .select({ id: users.id, telegramUserId: users.telegramUserId, language: users.language })
    .from(users)
    .where(and(eq(users.isActive, true), arrayContains(users.roles, ['admin']), isNotNull(users.telegramUserId)));
  let created = 0;
  const time = opts.at.toISOString().slice(0, 16).replace('T', ' ');
  for (const admin of admins) {
    const { created: isNew } = await enqueueOutbox(db, {
      idempotencyKey: `whatsapp:${opts.whatsappAccount}:logged-out:${opts.at.getTime()}:user:${admin.id}`,
      channel: 'telegram',
      account: opts.telegramAccount,
      chatId: String(admin.telegramUserId),
      kind: 'text',
      method: 'sendMessage',
      params: { chat_id: admin.telegramUserId, text: waText(admin.language, 'baileys-logged-out', { account: opts.whatsappAccount, time }) },
    });
    if (isNew) created += 1;
  }
  return created;
}
