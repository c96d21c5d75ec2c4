// A time said in free text inside a flow ("завтра в 10 перезвонить Иванову"): read with
// readWhen in the company's zone; a text naming no time, a time gone by, a text too long or
// with characters nobody types gets a clear answer (what was understood, examples) and is
// asked again, with a button to cancel. Nothing is written here.
import { InlineKeyboard } from 'grammy';
import { readReminder, type ReminderReading } from '../src/automation/chat-reminder.ts';
import type { Lang } from '../bots/telegram/i18n.ts';
import { formatWhen } from '../bots/telegram/reminder-texts.ts';
import { nextQuestionPrefix, readPress } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';

export type WhenAnswer = Extract<ReminderReading, { kind: 'ok' }> & { now: number };

/** Why a text is not a reminder time, in the person's words; '' when it is one. */
export function refusalOf(deps: Pick<FlowDeps, 't' | 'timeZone'>, lang: Lang, r: ReminderReading, now: Date): string {
  const { t } = deps;
  switch (r.kind) {
    case 'ok':
      return '';
    case 'past':
      return t(lang, 'remind-past', { matched: r.matched, when: formatWhen(r.at, lang, deps.timeZone, now) });
    case 'no-time':
      return t(lang, 'remind-no-time', { text: r.text });
    case 'empty':
      return t(lang, 'remind-empty');
    case 'too-long':
      return t(lang, 'remind-too-long', { max: String(r.max) });
    case 'title-too-long':
      return t(lang, 'remind-title-too-long', { max: String(r.max) });
    case 'bad-characters':
      return t(lang, 'remind-bad-characters');
  }
}

/** The text of the next message: a string, null for cancel (the button, /cancel). */
export async function waitText(conversation: FlowConversation, deps: Pick<FlowDeps, 't'>, lang: Lang, prefix: string): Promise<string | null> {
  for (;;) {
    const c = await conversation.wait();
    const data = c.callbackQuery?.data;
    if (data !== undefined) {
      const press = readPress(data, prefix);
      if (press === 'outside') await conversation.halt({ next: true });
      if (press === 'stale') {
        await c.answerCallbackQuery({ text: deps.t(lang, 'button-stale') });
        continue;
      }
      await c.answerCallbackQuery();
      if ((press as { action: string }).action === 'cancel') return null;
      continue;
    }
    const text = c.message?.text;
    if (text?.startsWith('/')) {
      if (/^\/cancel(@\w+)?$/i.test(text.trim())) return null;
      // Another command leaves the flow and is handled as usual.
      await conversation.halt({ next: true });
    }
    if (text === undefined) {
      await c.reply(deps.t(lang, 'remind-text-only'));
      continue;
    }
    return text;
  }
}

export const cancelKeyboard = (deps: Pick<FlowDeps, 't'>, lang: Lang, prefix: string) => new InlineKeyboard().text(deps.t(lang, 'ask-cancel'), `${prefix}cancel`);

/**
 * Reads `first` (the text after /remind), else asks `prompt`, until a time ahead is named.
 * `onRefused`: what a refused text said besides a time (a text with no time: all of it), which
 * the caller may keep as the title when the time alone is said again.
 */
export async function askWhen(
  conversation: FlowConversation,
  ctx: FlowContext,
  deps: FlowDeps,
  lang: Lang,
  prompt: string,
  opts: { first?: string | undefined; onRefused?: (said: string) => void } = {},
): Promise<WhenAnswer | null> {
  let text = opts.first;
  let question = prompt;
  for (;;) {
    if (text === undefined) {
      const prefix = nextQuestionPrefix(conversation);
      await ctx.reply(question, { reply_markup: cancelKeyboard(deps, lang, prefix) });
      const typed = await waitText(conversation, deps, lang, prefix);
      if (typed === null) return null;
      text = typed;
    }
    const now = await conversation.external(() => deps.now().getTime());
    const reading = readReminder(text, { now: new Date(now), timeZone: deps.timeZone, calendar: deps.calendar });
    if (reading.kind === 'ok') return { ...reading, now };
    if (reading.kind === 'no-time') opts.onRefused?.(text);
    if (reading.kind === 'past' && reading.title) opts.onRefused?.(reading.title);
    question = `${refusalOf(deps, lang, reading, new Date(now))}\n\n${deps.t(lang, 'remind-again')}`;
    text = undefined;
  }
}
