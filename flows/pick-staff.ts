// Choosing staff in a flow: a list of people with marks, pressed to toggle (several) or to pick
// (one); "Done" and "Cancel" below.
import { InlineKeyboard } from 'grammy';
import type { Lang, Translate } from '../bots/telegram/i18n.ts';
import { nextQuestionPrefix, readPress } from './ask.ts';
import type { FlowContext, FlowConversation } from './flow-types.ts';

export interface StaffOption {
  id: number;
  name: string;
}

export async function pickStaff(
  conversation: FlowConversation,
  ctx: FlowContext,
  t: Translate,
  lang: Lang,
  opts: { text: string; people: StaffOption[]; selected: number[]; many: boolean },
): Promise<number[] | null> {
  const chosen = new Set(opts.selected);
  const prefix = nextQuestionPrefix(conversation);
  const keyboard = () => {
    const kb = new InlineKeyboard();
    opts.people.forEach((p, i) => kb.text(`${chosen.has(p.id) ? '✅ ' : ''}${p.name}`, `${prefix}o:${i}`).row());
    if (opts.many) kb.text(t(lang, 'btn-done'), `${prefix}done`);
    kb.text(t(lang, 'ask-cancel'), `${prefix}cancel`);
    return kb;
  };
  const shown = await ctx.reply(opts.text, { reply_markup: keyboard() });
  for (;;) {
    const c = await conversation.wait();
    const data = c.callbackQuery?.data;
    if (data === undefined) {
      if (c.message?.text?.startsWith('/')) await conversation.halt({ next: true });
      await c.reply(t(lang, 'pick-use-buttons'));
      continue;
    }
    const press = readPress(data, prefix);
    if (press === 'outside') await conversation.halt({ next: true });
    if (press === 'stale') {
      await c.answerCallbackQuery({ text: t(lang, 'button-stale') });
      continue;
    }
    await c.answerCallbackQuery();
    const action = (press as { action: string }).action;
    if (action === 'cancel') return null;
    if (action === 'done') return [...chosen];
    const i = /^o:(\d+)$/.exec(action);
    const person = i ? opts.people[Number(i[1])] : undefined;
    if (!person) continue;
    if (!opts.many) return [person.id];
    if (chosen.has(person.id)) chosen.delete(person.id);
    else chosen.add(person.id);
    await c.api.editMessageReplyMarkup(shown.chat.id, shown.message_id, { reply_markup: keyboard() });
  }
}
