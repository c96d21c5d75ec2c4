// "Remind me": `/remind завтра в 10 перезвонить Иванову`, `/remind` alone (asked what and
// when), or the card's ⏰ (a reminder about that card): one free-text answer read in the
// company's zone. The task is made for the sender at once and the answer shows its time in
// words and digits with buttons to change it (reminders.feature.ts handles them). "Another
// time" from those buttons, or from a reminder that has come, asks a time the same way.
import type { Actor } from '../src/crm/actor.ts';
import { getTask } from '../src/crm/tasks.ts';
import { createChatReminder, REMINDER_TITLE_MAX } from '../src/automation/chat-reminder.ts';
import { rescheduleReminder, type ShownDue } from '../src/automation/snooze.ts';
import type { CardEntity } from '../src/sales/card-actions.ts';
import { isStorableText } from '../src/crm/record-input.ts';
import type { Lang } from '../bots/telegram/i18n.ts';
import { echoMessage, formatWhen } from '../bots/telegram/reminder-texts.ts';
import { nextQuestionPrefix } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { settle, staffSession } from './staff.ts';
import { askWhen, cancelKeyboard, waitText } from './when-answer.ts';
import { reminderRefusal } from './reminder-refusals.ts';

export const REMIND_FLOW = 'remind';
export const REMIND_AT_FLOW = 'remind-at';

export interface RemindArgs {
  /** What followed /remind; absent: asked. */
  text?: string;
  /** Set from a card's ⏰: the reminder is about that card. */
  entity?: CardEntity;
  id?: number;
}

/** A title typed on its own (when the time came without one): storable and not too long. */
function titleOf(text: string): string | null {
  const title = text.replace(/\s+/g, ' ').trim();
  if (!title || [...title].length > REMINDER_TITLE_MAX || !isStorableText(title) || /[\u0000-\u001f\u007f]/.test(title)) return null;
  return title[0]!.toLocaleUpperCase('ru') + title.slice(1);
}

export function remindFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function remind(conversation: FlowConversation, ctx: FlowContext, args: RemindArgs = {}) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const card = args.entity && args.id ? { entity: args.entity, id: args.id } : undefined;
    let said: string | undefined;
    const when = await askWhen(conversation, ctx, deps, lang, t(lang, card ? 'remind-ask-card' : 'remind-ask'), {
      first: args.text?.trim() ? args.text : undefined,
      onRefused: (text) => {
        said ??= titleOf(text.replace(/^\s*(?:напомни(?:\s+мне)?|remind\s+me(?:\s+to)?)\s+/iu, '')) ?? undefined;
      },
    });
    if (!when) return void (await ctx.reply(t(lang, 'flow-cancelled')));
    let title = when.title || said || (card ? t(lang, 'remind-default-title') : '');
    while (!title) {
      const prefix = nextQuestionPrefix(conversation);
      await ctx.reply(t(lang, 'remind-ask-what', { when: formatWhen(when.at, lang, deps.timeZone, new Date(when.now)) }), { reply_markup: cancelKeyboard(deps, lang, prefix) });
      const typed = await waitText(conversation, deps, lang, prefix);
      if (typed === null) return void (await ctx.reply(t(lang, 'flow-cancelled')));
      title = titleOf(typed) ?? '';
      if (!title) await ctx.reply(t(lang, 'remind-bad-title', { max: String(REMINDER_TITLE_MAX) }));
    }
    // The title may have taken a while: the time must still be ahead.
    const now = await conversation.external(() => deps.now().getTime());
    if (when.at.getTime() <= now) return void (await ctx.reply(t(lang, 'remind-passed-meanwhile', { when: formatWhen(when.at, lang, deps.timeZone, new Date(now)) })));
    const made = await conversation.external(() => settle(createChatReminder(deps.db, deps.jobs, actor, { title, dueAt: when.at, ...(card ? { card } : {}) }).then((x) => ({ id: x.id }))));
    if (!made.ok) return void (await ctx.reply(refusalText(t, lang, made.error)));
    await replyEcho(conversation, ctx, deps, lang, actor, made.value.id);
  };
}

/** The echo of a task as it now stands (read again: the flow keeps plain data only). */
async function replyEcho(conversation: FlowConversation, ctx: FlowContext, deps: FlowDeps, lang: Lang, actor: Actor, taskId: number) {
  const shown = await conversation.external(async () => echoMessage(deps.t, lang, await getTask(deps.db, actor, taskId), deps.timeZone, deps.now()));
  await ctx.reply(shown.text, { reply_markup: { inline_keyboard: shown.buttons } });
}

/** "Another time": a time typed for a task already set; the echo shows the new one. */
export function remindAtFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function remindAt(conversation: FlowConversation, ctx: FlowContext, args: { taskId: number; shown: ShownDue }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const when = await askWhen(conversation, ctx, deps, lang, t(lang, 'remind-ask-time', { number: args.taskId }));
    if (!when) return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const moved = await conversation.external(() =>
      settle(rescheduleReminder(deps.db, deps.jobs, actor, args.taskId, { dueAt: when.at, shown: args.shown, now: new Date(when.now) }).then((x) => x.id)),
    );
    if (!moved.ok) return void (await ctx.reply(reminderRefusal(deps, lang, moved.error, new Date(when.now))));
    await replyEcho(conversation, ctx, deps, lang, actor, moved.value);
  };
}
