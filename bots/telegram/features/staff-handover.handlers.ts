// Handing over what someone who left still holds, from the admin's chat: the list of his open
// records with "hand all to…" and a button per record, then the person they go to (who is told
// which, in his language).
import { eq } from 'drizzle-orm';
import { users } from '../../../db/schema/index.ts';
import { settle } from '../../../flows/staff.ts';
import { handOverRecords, type OpenRecordKind } from '../../../src/crm/open-records.ts';
import { enqueueStaffMessage, reachableStaff } from '../../../src/messaging/staff-messages.ts';
import { pickPersonMessage } from '../cards/staff-card.ts';
import type { BotContext } from '../context.ts';
import { type AdminChat, me, receivers, refusal, showOpenRecords, type StaffAdminDeps } from './staff-admin-shared.ts';

const KIND = '(lead|deal|task|contact|company)';

export function handOverHandlers(admin: AdminChat, deps: StaffAdminDeps): void {
  const { db, t } = deps;

  admin.callbackQuery(/^sa:u:(\d+):recs$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showOpenRecords(deps, ctx, Number(ctx.match[1]));
  });

  admin.callbackQuery(/^sa:h:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { lang } = me(ctx);
    const from = Number(ctx.match[1]);
    const msg = pickPersonMessage(t, lang, t(lang, 'staff-handover-ask-all'), await receivers(db, from), (id) => `sa:h:${from}:${id}`);
    await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
  });

  admin.callbackQuery(new RegExp(`^sa:r:(\\d+):${KIND}:(\\d+)$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const { lang } = me(ctx);
    const [from, kind, id] = [Number(ctx.match[1]), ctx.match[2]!, Number(ctx.match[3])];
    const what = `${t(lang, `staff-kind-${kind}`)} №${id}`;
    const msg = pickPersonMessage(t, lang, t(lang, 'staff-handover-ask-one', { what }), await receivers(db, from), (to) => `sa:r:${from}:${kind}:${id}:${to}`);
    await ctx.reply(msg.text, { reply_markup: msg.reply_markup });
  });

  const handOver = async (ctx: BotContext, from: number, to: number, only?: { kind: OpenRecordKind; id: number }[]) => {
    const { actor, lang } = me(ctx);
    const done = await settle(handOverRecords(db, actor, from, to, only));
    if (!done.ok) return void (await ctx.reply(refusal(t, lang, done)));
    const moved = done.value.moved;
    const receiver = await reachableStaff(db, to);
    const name = receiver?.name ?? (await db.select({ name: users.name }).from(users).where(eq(users.id, to)))[0]?.name ?? String(to);
    if (moved.length === 0) await ctx.reply(t(lang, 'staff-handover-nothing'));
    else await ctx.reply(t(lang, 'staff-handover-done', { name, count: moved.length }));
    // The one who gets them is told which, in his language.
    if (moved.length > 0 && receiver && deps.telegramAccount) {
      const l = receiver.language;
      const list = moved.slice(0, 30).map((r) => `${t(l, `staff-kind-${r.kind}`)} №${r.id} · ${r.title}`);
      await enqueueStaffMessage(db, deps.telegramAccount, receiver, { key: `handover:${ctx.crm.row.id}`, text: `${t(l, 'staff-handover-notice', { count: moved.length })}\n${list.join('\n')}` });
    }
    if (only) await showOpenRecords(deps, ctx, from);
  };

  admin.callbackQuery(/^sa:h:(\d+):(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await handOver(ctx, Number(ctx.match[1]), Number(ctx.match[2]));
  });

  admin.callbackQuery(new RegExp(`^sa:r:(\\d+):${KIND}:(\\d+):(\\d+)$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await handOver(ctx, Number(ctx.match[1]), Number(ctx.match[4]), [{ kind: ctx.match[2] as OpenRecordKind, id: Number(ctx.match[3]) }]);
  });
}
