// "Remind me": a day, a time and what to do; a task on the card whose reminder comes to the
// manager in the messenger when it falls due.
import { remindAboutCard, type CardEntity } from '../src/sales/card-actions.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { settle, staffSession } from './staff.ts';
import { parseTimeOfDay, zonedInstant } from './when.ts';

export const REMIND_FLOW = 'remind';

export function remindFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function remind(conversation: FlowConversation, ctx: FlowContext, args: { entity: CardEntity; id: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const day = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'remind-ask-day'), type: 'date', lang, controls: true });
    if (day.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    let time = '10:00';
    for (;;) {
      const typed = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'remind-ask-time'), type: 'string', optional: true, lang, controls: true });
      if (typed.kind === 'cancel') return void (await ctx.reply(t(lang, 'flow-cancelled')));
      if (typed.kind === 'skip') break;
      const parsed = parseTimeOfDay(String(typed.value));
      if (parsed) {
        time = parsed;
        break;
      }
      await ctx.reply(t(lang, 'remind-bad-time'));
    }
    const dueAt = zonedInstant(String(day.value), time, deps.timeZone);
    const now = await conversation.now();
    if (dueAt.getTime() <= now) {
      await ctx.reply(t(lang, 'remind-in-past'));
      return;
    }
    const what = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'remind-ask-what'), type: 'string', optional: true, lang, controls: true });
    if (what.kind === 'cancel') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const title = what.kind === 'value' ? String(what.value).slice(0, 500) : t(lang, 'remind-default-title');
    const task = await conversation.external(() => settle(remindAboutCard(deps.db, deps.jobs, actor, args.entity, args.id, { title, dueAt }).then((x) => ({ id: x.id }))));
    if (!task.ok) return void (await ctx.reply(refusalText(t, lang, task.error)));
    const [y, m, d] = String(day.value).split('-');
    await ctx.reply(t(lang, 'remind-set', { when: `${d}.${m}.${y} ${time}`, title, number: task.value.id }));
  };
}

