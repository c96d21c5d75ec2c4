// Admins manage staff from the chat: /staff lists everyone (roles, active, linked messengers,
// supervisor) with a card per person — roles, supervisor, language, an invite code, API tokens
// (revoke), deactivate (after a confirmation) or reactivate — and the records someone who left
// still holds, handed to another person all at once or one by one. /adduser, /invite, /rename
// and /department do the rest by text. Everything is delegated to src/crm; refusals (the last
// admin, oneself) are said in the admin's language.
import { Composer } from 'grammy';
import { eq } from 'drizzle-orm';
import { type UserRole, userRoles, users } from '../../../db/schema/index.ts';
import { type Outcome, settle } from '../../../flows/staff.ts';
import { type Actor, hasRole, userActor } from '../../../src/crm/actor.ts';
import { listApiTokens, revokeApiToken } from '../../../src/crm/api-tokens.ts';
import { createStaffInvite } from '../../../src/crm/invites.ts';
import { openRecordsOf } from '../../../src/crm/open-records.ts';
import { deactivateUser, reactivateUser } from '../../../src/crm/staff-lifecycle.ts';
import { createUser, getUser, listStaff, type StaffEntry, updateUser, type UserPatch } from '../../../src/crm/users.ts';
import { openRecordsMessage, pickPersonMessage, rolesKeyboard, rolesText, staffCardMessage, staffListMessage } from '../cards/staff-card.ts';
import type { BotContext } from '../context.ts';
import type { Lang, Translate } from '../i18n.ts';
import { me, receivers, refusal, type StaffAdminDeps } from './staff-admin-shared.ts';
import { handOverHandlers } from './staff-handover.handlers.ts';

const ADMIN_COMMANDS = ['staff', 'adduser', 'invite', 'rename', 'department'];
const isAdmin = (ctx: BotContext) => ctx.crm.sender.kind === 'staff' && hasRole(userActor(ctx.crm.sender.user), 'admin');

export function staffAdminFeature(deps: StaffAdminDeps) {
  const { db, t, timeZone } = deps;
  const feature = new Composer<BotContext>();
  const staffChat = feature.filter((ctx) => ctx.crm?.sender.kind === 'staff' && !ctx.crm.inbound.isGroup);
  const others = staffChat.filter((ctx) => !isAdmin(ctx));
  others.command(ADMIN_COMMANDS, (ctx) => ctx.reply(ctx.t('staff-admin-only')));
  others.callbackQuery(/^sa:/, (ctx) => ctx.answerCallbackQuery({ text: ctx.t('staff-admin-only') }));
  const admin = staffChat.filter(isAdmin);

  const say = (lang: Lang, outcome: Outcome<unknown>) => refusal(t, lang, outcome);
  const entryOf = async (actor: Actor, userId: number): Promise<StaffEntry> => {
    const user = await getUser(db, actor, userId);
    const boss = user.supervisorId === null ? [] : await db.select({ name: users.name }).from(users).where(eq(users.id, user.supervisorId));
    return { user, supervisorName: boss[0]?.name ?? null, telegramLinked: user.telegramUserId !== null, whatsappLinked: user.whatsappPhone !== null };
  };
  const showCard = async (ctx: BotContext, userId: number) => {
    const { actor, lang } = me(ctx);
    const card = await settle(Promise.all([entryOf(actor, userId), openRecordsOf(db, actor, userId)]));
    if (!card.ok) return void (await ctx.reply(say(lang, card)));
    const msg = staffCardMessage(t, lang, timeZone, card.value[0], card.value[1]);
    await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
  };
  const change = async (ctx: BotContext, userId: number, patch: UserPatch) => {
    const { actor, lang } = me(ctx);
    const done = await settle(updateUser(db, actor, userId, patch));
    if (!done.ok) await ctx.reply(say(lang, done));
    return done.ok;
  };

  admin.command('help', (ctx) => ctx.reply(`${ctx.t('staff-help')}\n\n${ctx.t('staff-admin-help')}`));

  admin.command('staff', async (ctx) => {
    const { actor, lang } = me(ctx);
    const msg = staffListMessage(t, lang, await listStaff(db, actor));
    await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
  });

  admin.command('adduser', async (ctx) => {
    const { actor, lang } = me(ctx);
    const m = /^\s*([a-z,]+)\s+(.+)$/i.exec(ctx.match);
    const roles = m?.[1]!.toLowerCase().split(',').filter(Boolean) ?? [];
    if (!m || roles.some((r) => !(userRoles as readonly string[]).includes(r))) return void (await ctx.reply(t(lang, 'staff-adduser-usage')));
    const made = await settle(createUser(db, actor, { name: m[2]!, roles: roles as UserRole[] }).then(async (user) => ({ user, invite: await createStaffInvite(db, actor, user.id) })));
    if (!made.ok) return void (await ctx.reply(say(lang, made)));
    const { user, invite } = made.value;
    await ctx.reply(`${t(lang, 'staff-added', { number: user.id, name: user.name, roles: rolesText(t, lang, user.roles) })}\n${inviteText(t, lang, timeZone, user.name, invite)}`);
  });

  admin.command('invite', async (ctx) => {
    const { lang } = me(ctx);
    const id = idArg(ctx.match);
    if (!id) return void (await ctx.reply(t(lang, 'staff-invite-usage')));
    await sendInvite(ctx, id);
  });
  const sendInvite = async (ctx: BotContext, userId: number) => {
    const { actor, lang } = me(ctx);
    const made = await settle(getUser(db, actor, userId).then(async (user) => ({ user, invite: await createStaffInvite(db, actor, userId) })));
    await ctx.reply(made.ok ? inviteText(t, lang, timeZone, made.value.user.name, made.value.invite) : say(lang, made));
  };

  admin.command('rename', async (ctx) => {
    const { lang } = me(ctx);
    const m = /^\s*(\d{1,15})\s+(.+)$/s.exec(ctx.match);
    if (!m) return void (await ctx.reply(t(lang, 'staff-rename-usage')));
    if (await change(ctx, Number(m[1]), { name: m[2]! })) await showCard(ctx, Number(m[1]));
  });

  admin.command('department', async (ctx) => {
    const { lang } = me(ctx);
    const m = /^\s*(\d{1,15})\s+(.+)$/s.exec(ctx.match);
    if (!m) return void (await ctx.reply(t(lang, 'staff-department-usage')));
    const value = m[2]!.trim();
    if (await change(ctx, Number(m[1]), { department: value === '-' ? null : value })) await showCard(ctx, Number(m[1]));
  });

  admin.callbackQuery(/^sa:u:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showCard(ctx, Number(ctx.match[1]));
  });

  admin.callbackQuery(/^sa:u:(\d+):roles$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const user = await settle(getUser(db, actor, Number(ctx.match[1])));
    if (!user.ok) return void (await ctx.reply(say(lang, user)));
    await ctx.reply(t(lang, 'staff-roles-ask', { name: user.value.name }), { reply_markup: rolesKeyboard(t, lang, user.value, userRoles) });
  });

  admin.callbackQuery(new RegExp(`^sa:u:(\\d+):role:(${userRoles.join('|')})$`), async (ctx) => {
    const { actor, lang } = me(ctx);
    const userId = Number(ctx.match[1]);
    const role = ctx.match[2] as UserRole;
    const current = await settle(getUser(db, actor, userId));
    if (!current.ok) return void (await ctx.answerCallbackQuery({ text: say(lang, current) }));
    const had = current.value.roles.includes(role);
    const roles = had ? current.value.roles.filter((r) => r !== role) : [...current.value.roles, role];
    if (roles.length === 0) return void (await ctx.answerCallbackQuery({ text: t(lang, 'staff-roles-one-needed') }));
    const done = await settle(updateUser(db, actor, userId, { roles }));
    if (!done.ok) return void (await ctx.answerCallbackQuery({ text: say(lang, done) }));
    await ctx.answerCallbackQuery({ text: t(lang, 'staff-roles-now', { roles: rolesText(t, lang, done.value.roles) }) });
    await ctx.editMessageReplyMarkup({ reply_markup: rolesKeyboard(t, lang, done.value, userRoles) });
  });

  admin.callbackQuery(/^sa:u:(\d+):lang$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const userId = Number(ctx.match[1]);
    const user = await settle(getUser(db, actor, userId));
    if (!user.ok) return void (await ctx.reply(say(lang, user)));
    if (await change(ctx, userId, { language: user.value.language === 'ru' ? 'en' : 'ru' })) await showCard(ctx, userId);
  });

  admin.callbackQuery(/^sa:u:(\d+):sup$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { lang } = me(ctx);
    const userId = Number(ctx.match[1]);
    const bosses = (await receivers(db, userId)).filter((p) => p.roles.includes('supervisor') || p.roles.includes('admin'));
    const msg = pickPersonMessage(t, lang, t(lang, 'staff-supervisor-ask'), bosses, (id) => `sa:u:${userId}:sup:${id}`);
    msg.reply_markup.inline_keyboard.unshift([{ text: t(lang, 'staff-supervisor-none'), callback_data: `sa:u:${userId}:sup:0` }]);
    await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
  });

  admin.callbackQuery(/^sa:u:(\d+):sup:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const userId = Number(ctx.match[1]);
    const boss = Number(ctx.match[2]);
    if (await change(ctx, userId, { supervisorId: boss === 0 ? null : boss })) await showCard(ctx, userId);
  });

  admin.callbackQuery(/^sa:u:(\d+):inv$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await sendInvite(ctx, Number(ctx.match[1]));
  });

  admin.callbackQuery(/^sa:u:(\d+):tok$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const tokens = await settle(listApiTokens(db, actor, Number(ctx.match[1])));
    if (!tokens.ok) return void (await ctx.reply(say(lang, tokens)));
    if (tokens.value.length === 0) return void (await ctx.reply(t(lang, 'staff-tokens-none')));
    const when = (d: Date) => d.toISOString().slice(0, 10);
    const lines = tokens.value.map((k) =>
      t(lang, k.revokedAt ? 'staff-token-revoked' : 'staff-token-active', { number: k.id, label: k.label ?? '—', created: when(k.createdAt), revoked: k.revokedAt ? when(k.revokedAt) : '' }),
    );
    const live = tokens.value.filter((k) => !k.revokedAt);
    await ctx.reply(`${t(lang, 'staff-tokens-head')}\n${lines.join('\n')}`, {
      reply_markup: { inline_keyboard: live.map((k) => [{ text: t(lang, 'staff-btn-revoke', { number: k.id }), callback_data: `sa:t:${k.id}:rev` }]) },
    });
  });

  admin.callbackQuery(/^sa:t:(\d+):rev$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const done = await settle(revokeApiToken(db, actor, Number(ctx.match[1])));
    await ctx.reply(done.ok ? t(lang, done.value.alreadyRevoked ? 'staff-token-was-revoked' : 'staff-token-now-revoked', { number: done.value.token.id }) : say(lang, done));
  });

  admin.callbackQuery(/^sa:u:(\d+):off$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const user = await settle(getUser(db, actor, Number(ctx.match[1])));
    if (!user.ok) return void (await ctx.reply(say(lang, user)));
    await ctx.reply(t(lang, 'staff-deactivate-confirm', { name: user.value.name }), {
      reply_markup: { inline_keyboard: [[{ text: t(lang, 'staff-btn-deactivate-yes'), callback_data: `sa:u:${user.value.id}:off!` }, { text: t(lang, 'ask-cancel'), callback_data: 'sa:x' }]] },
    });
  });

  admin.callbackQuery(/^sa:u:(\d+):off!$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const done = await settle(deactivateUser(db, actor, Number(ctx.match[1])));
    if (!done.ok) return void (await ctx.reply(say(lang, done)));
    const r = done.value;
    await ctx.reply(
      r.alreadyInactive
        ? t(lang, 'staff-already-inactive', { name: r.user.name })
        : t(lang, 'staff-deactivated', { name: r.user.name, tokens: r.revokedTokens, sessions: r.endedSessions, invites: r.droppedInvites }),
    );
    const msg = openRecordsMessage(t, lang, r.user, r.openRecords);
    await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
  });

  admin.callbackQuery(/^sa:u:(\d+):on$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = me(ctx);
    const done = await settle(reactivateUser(db, actor, Number(ctx.match[1])));
    if (!done.ok) return void (await ctx.reply(say(lang, done)));
    await ctx.reply(t(lang, 'staff-reactivated', { name: done.value.user.name }));
    await showCard(ctx, done.value.user.id);
  });


  handOverHandlers(admin, deps);

  admin.callbackQuery('sa:x', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('flow-cancelled'));
  });

  return feature;
}

const idArg = (text: string) => (/^\s*(\d{1,15})\s*$/.test(text) ? Number(text) : null);

function inviteText(t: Translate, lang: Lang, timeZone: string, name: string, invite: { code: string; expiresAt: Date }): string {
  const until = invite.expiresAt.toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return t(lang, 'staff-invite-code', { name, code: invite.code, until });
}
