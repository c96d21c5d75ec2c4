// What the admin's staff handlers share: who is asking, refusals in his words, the people
// records can go to, and the list of what someone still holds.
import type { Composer } from 'grammy';
import { and, arrayOverlaps, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { users } from '../../../db/schema/index.ts';
import { refusalText } from '../../../flows/refusals.ts';
import { type Outcome, settle } from '../../../flows/staff.ts';
import { type Actor, userActor } from '../../../src/crm/actor.ts';
import { openRecordsOf } from '../../../src/crm/open-records.ts';
import { getUser } from '../../../src/crm/users.ts';
import { openRecordsMessage } from '../cards/staff-card.ts';
import type { BotContext } from '../context.ts';
import type { Lang, Translate } from '../i18n.ts';

export interface StaffAdminDeps {
  db: Db;
  t: Translate;
  timeZone: string;
  telegramAccount: string | null;
}

/** The admins' private chats with the bot. */
export type AdminChat = Composer<BotContext>;

export function me(ctx: BotContext): { actor: Actor; lang: Lang; userId: number } {
  const s = ctx.crm.sender;
  if (s.kind !== 'staff') throw new Error('a staff command reached for someone who is not staff');
  return { actor: userActor(s.user), lang: s.user.language, userId: s.user.id };
}

/** A refusal: the staff rules in words of their own, any other CRM refusal as the cards say it. */
export function refusal(t: Translate, lang: Lang, outcome: Outcome<unknown>): string {
  if (outcome.ok) return '';
  const e = outcome.error;
  if (e.name === 'StaffChangeRefusedError') return t(lang, `staff-refused-${String(e.details?.reason ?? 'conflict')}`);
  if (e.name === 'NotFoundError' && e.details?.entity === 'user') return t(lang, 'staff-not-found', { number: String(e.details.id ?? '?') });
  if (e.name === 'NotFoundError' && e.details?.entity === 'api_token') return t(lang, 'staff-token-not-found', { number: String(e.details.id ?? '?') });
  if (e.name === 'ValidationError') {
    const issues = (e.details?.issues as { field: string; message: string }[] | undefined) ?? [];
    return t(lang, 'staff-invalid', { issues: issues.map((i) => `${i.field}: ${i.message}`).join('; ') });
  }
  return refusalText(t, lang, e);
}

/** Active staff who can hold records, but `except`. */
export function receivers(db: Db, except: number) {
  return db
    .select({ id: users.id, name: users.name, roles: users.roles })
    .from(users)
    .where(and(eq(users.isActive, true), ne(users.id, except), arrayOverlaps(users.roles, ['manager', 'supervisor', 'admin'])))
    .orderBy(asc(users.name));
}

/** What the user still holds, with the buttons to hand it over. */
export async function showOpenRecords(deps: StaffAdminDeps, ctx: BotContext, userId: number): Promise<void> {
  const { actor, lang } = me(ctx);
  const found = await settle(Promise.all([getUser(deps.db, actor, userId), openRecordsOf(deps.db, actor, userId)]));
  if (!found.ok) return void (await ctx.reply(refusal(deps.t, lang, found)));
  const msg = openRecordsMessage(deps.t, lang, found.value[0], found.value[1]);
  await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
}
