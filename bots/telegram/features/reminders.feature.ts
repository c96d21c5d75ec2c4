// Reminders in the chat: /remind (enters the flow that reads the time), /tasks (the day's
// list), and the buttons of reminders: on the answer to /remind (+1 h, tomorrow 09:00, another
// time, cancel) and on a reminder that has come or a task opened from the list (15 min, 1 h,
// tomorrow 09:00, another time, done). The decisions are src/automation/snooze.ts's; this
// translates the press and the outcome.
import { Composer } from 'grammy';
import type { Task } from '../../../db/schema/index.ts';
import type { FlowDeps } from '../../../flows/flow-types.ts';
import { REMIND_AT_FLOW, REMIND_FLOW } from '../../../flows/remind.flow.ts';
import { reminderRefusal } from '../../../flows/reminder-refusals.ts';
import { refusalText } from '../../../flows/refusals.ts';
import { type Outcome, settle } from '../../../flows/staff.ts';
import { refuseOutright } from '../../../src/automation/chat-reminder.ts';
import { cancelReminder, completeReminder, ownReminder, type SnoozeOption, snoozeReminder } from '../../../src/automation/snooze.ts';
import { type Actor, userActor } from '../../../src/crm/actor.ts';
import { taskAgenda } from '../../../src/crm/task-agenda.ts';
import { getTask } from '../../../src/crm/tasks.ts';
import { renderContactCard } from '../cards/contact-card.ts';
import { type CardMessage, renderDealCard, renderLeadCard } from '../cards/render-cards.ts';
import type { BotContext } from '../context.ts';
import type { Lang } from '../i18n.ts';
import { refusalOf } from '../../../flows/when-answer.ts';
import { echoMessage, formatWhen, REMINDER_BUTTON, reminderButtons, taskText } from '../reminder-texts.ts';
import { TASK_OPEN, taskListMessage } from '../task-list.ts';

function who(ctx: BotContext): { actor: Actor; lang: Lang } {
  const s = ctx.crm.sender;
  if (s.kind !== 'staff') throw new Error('a staff action reached for someone who is not staff');
  return { actor: userActor(s.user), lang: s.user.language };
}

const SNOOZE: Record<string, SnoozeOption> = { '15m': '15m', '1h': '1h', tm: 'tomorrow' };

export function remindersFeature(deps: FlowDeps) {
  const { db, t, timeZone } = deps;
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => ctx.crm?.sender.kind === 'staff' && !ctx.crm.inbound.isGroup);

  staff.command('remind', async (ctx) => {
    const { lang } = who(ctx);
    // A text no flow should keep (too long, NUL) is answered here and never stored as its state.
    const outright = refuseOutright(ctx.match);
    if (outright) return void (await ctx.reply(`${refusalOf(deps, lang, outright, deps.now())}\n\n${t(lang, 'remind-usage')}`));
    await ctx.conversation.enter(REMIND_FLOW, { text: ctx.match });
  });

  staff.command('tasks', async (ctx) => {
    const { actor, lang } = who(ctx);
    const now = deps.now();
    const agenda = await taskAgenda(db, actor, { now, timeZone });
    const list = taskListMessage(t, lang, agenda, timeZone, now);
    await ctx.reply(list.text, list.buttons.length ? { reply_markup: { inline_keyboard: list.buttons } } : {});
  });

  staff.callbackQuery(TASK_OPEN, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = who(ctx);
    const taskId = Number(ctx.match[1]);
    const found = await settle(getTask(db, actor, taskId));
    if (!found.ok) return void (await ctx.reply(refusalText(t, lang, found.error)));
    const task = found.value;
    if (task.status !== 'open') return void (await ctx.reply(t(lang, task.status === 'cancelled' ? 'remind-was-cancelled' : 'remind-was-done', { number: taskId })));
    const card = cardOf(task, actor, lang);
    if (card) {
      const shown = await settle(card);
      await ctx.reply(shown.ok ? shown.value.text : refusalText(t, lang, shown.error), shown.ok ? { reply_markup: shown.value.reply_markup } : {});
    }
    const buttons = reminderButtons(t, lang, task).map((row) => row.filter((b) => !b.callback_data.endsWith(':open'))).filter((row) => row.length > 0);
    await ctx.reply(taskText(t, lang, task, timeZone, deps.now()), { reply_markup: { inline_keyboard: buttons } });
  });

  const cardOf = (task: Task, actor: Actor, lang: Lang): Promise<CardMessage> | null => {
    if (!task.entityId) return null;
    if (task.entityType === 'deal') return renderDealCard(deps, actor, lang, task.entityId);
    if (task.entityType === 'lead') return renderLeadCard(deps, actor, lang, task.entityId);
    if (task.entityType === 'contact') return renderContactCard(deps, actor, lang, task.entityId);
    return null;
  };

  staff.callbackQuery(REMINDER_BUTTON, async (ctx) => {
    const { actor, lang } = who(ctx);
    const [, kind, id, seconds, action] = ctx.match;
    const taskId = Number(id);
    const shown = Number(seconds);
    const now = deps.now();
    const refuse = async (outcome: Extract<Outcome<unknown>, { ok: false }>) => {
      await ctx.answerCallbackQuery();
      await ctx.reply(reminderRefusal(deps, lang, outcome.error, now));
    };

    if (action === 'at') {
      // Checked before asking: a stale or foreign press is answered at once, not after the time is typed.
      const mine = await settle(ownReminder(db, actor, taskId, shown));
      if (!mine.ok) return refuse(mine);
      await ctx.answerCallbackQuery();
      return ctx.conversation.enter(REMIND_AT_FLOW, { taskId, shown });
    }

    if (action === 'ok') {
      const done = await settle(completeReminder(db, actor, taskId, shown));
      if (!done.ok) return refuse(done);
      await ctx.answerCallbackQuery({ text: t(lang, 'task-done-toast') });
      await ctx.reply(t(lang, 'task-done', { title: done.value.title }));
      // The pressed message keeps no buttons to press again.
      await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
      return;
    }

    if (action === 'x') {
      const cancelled = await settle(cancelReminder(db, actor, taskId, shown, now));
      if (!cancelled.ok) return refuse(cancelled);
      await ctx.answerCallbackQuery();
      return edit(ctx, t(lang, 'remind-cancelled', { title: cancelled.value.title, number: taskId }), []);
    }

    const option = SNOOZE[action!];
    if (!option) return void (await ctx.answerCallbackQuery({ text: t(lang, 'button-unknown') }));
    const moved = await settle(snoozeReminder(db, deps.jobs, actor, taskId, { option, shown, now, calendar: deps.calendar }));
    if (!moved.ok) return refuse(moved);
    const task = moved.value;
    const when = formatWhen(task.dueAt!, lang, timeZone, now);
    await ctx.answerCallbackQuery({ text: t(lang, 'remind-snoozed-toast', { when }) });
    if (kind === 're') {
      const echo = echoMessage(t, lang, task, timeZone, now);
      return edit(ctx, echo.text, echo.buttons);
    }
    return edit(ctx, t(lang, 'remind-snoozed', { title: task.title, number: taskId, when }), []);
  });

  return feature;
}

/** The pressed message, rewritten; when it can no longer be edited, the text comes as a new message. */
async function edit(ctx: BotContext, text: string, buttons: { text: string; callback_data: string }[][]) {
  const markup = { inline_keyboard: buttons };
  try {
    await ctx.editMessageText(text, { reply_markup: markup });
  } catch {
    await ctx.reply(text, buttons.length ? { reply_markup: markup } : {});
  }
}
