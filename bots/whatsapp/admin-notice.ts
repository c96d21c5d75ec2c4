// Telling the admins on Telegram what happened to the WhatsApp Web session: one outbox row per
// active admin with a linked Telegram, in the admin's language, under a key that names the
// event, so a notice is sent once however often its handler runs.
import { and, arrayContains, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { enqueueOutbox } from '../../src/messaging/outbox.ts';
import { type WaLang, waText } from './texts.ts';

/** Queues `text` to every active admin with a Telegram account, keyed `key:user:ID`; answers how many rows are new. */
export async function notifyAdmins(db: Db, opts: { telegramAccount: string; key: string; text: (lang: WaLang) => string }): Promise<number> {
  const admins = await db
    .select({ id: users.id, telegramUserId: users.telegramUserId, language: users.language })
    .from(users)
    .where(and(eq(users.isActive, true), arrayContains(users.roles, ['admin']), isNotNull(users.telegramUserId)));
  let created = 0;
  for (const admin of admins) {
    const { created: isNew } = await enqueueOutbox(db, {
      idempotencyKey: `${opts.key}:user:${admin.id}`,
      channel: 'telegram',
      account: opts.telegramAccount,
      chatId: String(admin.telegramUserId),
      kind: 'text',
      method: 'sendMessage',
      params: { chat_id: admin.telegramUserId, text: opts.text(admin.language) },
    });
    if (isNew) created += 1;
  }
  return created;
}

const minuteUtc = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** The device was logged out: once per logout. */
export function notifyAdminsOfLogout(db: Db, opts: { whatsappAccount: string; telegramAccount: string; at: Date }): Promise<number> {
  const vars = { account: opts.whatsappAccount, time: minuteUtc(opts.at) };
  return notifyAdmins(db, {
    telegramAccount: opts.telegramAccount,
    key: `whatsapp:${opts.whatsappAccount}:logged-out:${opts.at.getTime()}`,
    text: (lang) => waText(lang, 'baileys-logged-out', vars),
  });
}

/**
 * WhatsApp refuses the number (see REFUSAL_CODES): once a day (UTC) per code while it lasts,
 * however often the reconnects get the same answer.
 */
export function notifyAdminsOfRefusal(db: Db, opts: { whatsappAccount: string; telegramAccount: string; code: number; at: Date }): Promise<number> {
  const vars = { account: opts.whatsappAccount, code: opts.code, time: minuteUtc(opts.at) };
  return notifyAdmins(db, {
    telegramAccount: opts.telegramAccount,
    key: `whatsapp:${opts.whatsappAccount}:refused:${opts.code}:${opts.at.toISOString().slice(0, 10)}`,
    text: (lang) => waText(lang, opts.code === 403 ? 'baileys-refused-forbidden' : 'baileys-refused-device', vars),
  });
}
