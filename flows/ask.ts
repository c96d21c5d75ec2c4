// Asking one value in a flow and reading the answer: a prompt, then updates until one is a
// valid answer (a wrong one is asked again with a hint), a skip or a cancel. Buttons carry
// `ask:` data; another button or a command leaves the flow and is handled as usual.
import { InlineKeyboard } from 'grammy';
import type { FieldType } from '../db/schema/index.ts';
import type { FileValue } from '../src/crm/custom-fields.ts';
import { localDate } from '../src/crm/durations.ts';
import type { Lang, Translate } from '../bots/telegram/i18n.ts';
import type { FlowContext, FlowConversation } from './flow-types.ts';
import { parseAnswer } from './parse-answer.ts';

export interface Question {
  text: string;
  type: FieldType;
  options?: readonly string[];
  optional?: boolean;
  lang: Lang;
  /**
   * Buttons for skip and cancel (staff). Without them (customers, and WhatsApp where buttons
   * are numbered options a typed number could be taken for) skip is a typed "-".
   */
  controls: boolean;
  /** An enum answered by free text too (a loss reason from the list or in own words). */
  otherText?: boolean;
  /** Attached to the prompt, e.g. the field's label. */
  extra?: InlineKeyboard;
  /** A text question a document or a photo answers too: the value is then `{ file, caption? }` (see FileAnswer). */
  withFile?: boolean;
}

/** The value of a `withFile` question answered with a file. */
export interface FileAnswer {
  file: FileValue & { kind: 'document' | 'photo' };
  caption?: string;
}

/** `updateId`: the update that answered, for keys of what the answer causes. */
export type Answer = { kind: 'value'; value: unknown; updateId: number } | { kind: 'skip' } | { kind: 'cancel' };

const SKIP_WORDS = new Set(['-', '—', 'пропустить', 'skip', 'нет', 'no']);

// Buttons carry the number of their question in the run of the flow (`ask:<n>:<what>`), so a
// button of an earlier question pressed later is not taken as an answer to the current one.
// A replay of the flow asks the same questions in the same order: the numbers repeat.
const asked = new WeakMap<object, number>();

/** The data prefix of the next question's buttons in this run of the flow. */
export function nextQuestionPrefix(conversation: FlowConversation): string {
  const n = (asked.get(conversation) ?? 0) + 1;
  asked.set(conversation, n);
  return `ask:${n}:`;
}

/**
 * What a button press means for the current question: its action, 'stale' for a button of
 * another question of the flow, 'outside' for a button that is not the flow's at all.
 */
export function readPress(data: string, prefix: string): { action: string } | 'stale' | 'outside' {
  if (!data.startsWith('ask:')) return 'outside';
  return data.startsWith(prefix) ? { action: data.slice(prefix.length) } : 'stale';
}

export function fileOf(ctx: FlowContext): FileValue | undefined {
  const m = ctx.message;
  if (!m) return undefined;
  if (m.document) {
    const d = m.document;
    return { fileId: d.file_id, ...(d.file_name ? { name: d.file_name } : {}), ...(d.file_size ? { size: d.file_size } : {}), ...(d.mime_type ? { mime: d.mime_type } : {}) };
  }
  if (m.photo?.length) {
    const p = m.photo[m.photo.length - 1]!;
    return { fileId: p.file_id, name: 'photo.jpg', ...(p.file_size ? { size: p.file_size } : {}), mime: 'image/jpeg' };
  }
  return undefined;
}

/** Today in the company's time zone, as the conversation replays it. */
export async function todayIn(conversation: FlowConversation, timeZone: string): Promise<string> {
  const now = await conversation.now();
  return localDate(new Date(now), timeZone);
}

function keyboardFor(q: Question, t: Translate, prefix: string): InlineKeyboard | undefined {
  const kb = new InlineKeyboard();
  let any = false;
  if (q.type === 'enum') {
    (q.options ?? []).forEach((o, i) => {
      kb.text(o, `${prefix}o:${i}`).row();
      any = true;
    });
  }
  if (q.type === 'boolean') {
    kb.text(t(q.lang, 'ask-yes'), `${prefix}yes`).text(t(q.lang, 'ask-no'), `${prefix}no`).row();
    any = true;
  }
  if (q.controls) {
    if (q.optional) kb.text(t(q.lang, 'ask-skip'), `${prefix}skip`);
    kb.text(t(q.lang, 'ask-cancel'), `${prefix}cancel`);
    any = true;
  }
  return any ? kb : undefined;
}

function hintFor(q: Question, t: Translate): string {
  if (q.type === 'enum' && q.otherText) return t(q.lang, 'ask-hint-enum-or-text');
  return t(q.lang, `ask-hint-${q.type}`);
}

export async function ask(conversation: FlowConversation, ctx: FlowContext, t: Translate, timeZone: string, q: Question): Promise<Answer> {
  const prefix = nextQuestionPrefix(conversation);
  const kb = keyboardFor(q, t, prefix);
  const prompt = q.optional && !q.controls ? `${q.text}\n${t(q.lang, 'ask-skip-by-dash')}` : q.text;
  await ctx.reply(prompt, kb ? { reply_markup: kb } : {});
  const today = await todayIn(conversation, timeZone);
  for (;;) {
    const c = await conversation.wait();
    const data = c.callbackQuery?.data;
    if (data !== undefined) {
      const press = readPress(data, prefix);
      if (press === 'outside') await conversation.halt({ next: true });
      if (press === 'stale') {
        await c.answerCallbackQuery({ text: t(q.lang, 'button-stale') });
        continue;
      }
      await c.answerCallbackQuery();
      const action = (press as { action: string }).action;
      if (action === 'cancel') return { kind: 'cancel' };
      if (action === 'skip' && q.optional) return { kind: 'skip' };
      if (action === 'yes' && q.type === 'boolean') return { kind: 'value', value: true, updateId: c.update.update_id };
      if (action === 'no' && q.type === 'boolean') return { kind: 'value', value: false, updateId: c.update.update_id };
      const option = /^o:(\d+)$/.exec(action);
      if (option && q.type === 'enum' && q.options?.[Number(option[1])] !== undefined) return { kind: 'value', value: q.options[Number(option[1])], updateId: c.update.update_id };
      continue;
    }
    const text = c.message?.text ?? c.message?.caption;
    if (c.message?.text?.startsWith('/')) {
      if (/^\/cancel(@\w+)?$/i.test(c.message.text.trim())) return { kind: 'cancel' };
      await conversation.halt({ next: true });
    }
    if (q.optional && text !== undefined && SKIP_WORDS.has(text.trim().toLowerCase())) return { kind: 'skip' };
    const file = fileOf(c);
    if (q.withFile && file) {
      const caption = text?.trim();
      const value: FileAnswer = { file: { ...file, kind: c.message?.document ? 'document' : 'photo' }, ...(caption ? { caption } : {}) };
      return { kind: 'value', value, updateId: c.update.update_id };
    }
    const parsed = parseAnswer(q.type, q.options ?? [], { ...(text !== undefined ? { text } : {}), ...(file ? { file } : {}) }, today);
    if (parsed.ok) return { kind: 'value', value: parsed.value, updateId: c.update.update_id };
    if (q.type === 'enum' && q.otherText && text?.trim()) return { kind: 'value', value: text.trim().slice(0, 2000), updateId: c.update.update_id };
    await c.reply(`${hintFor(q, t)}\n\n${q.text}`, kb ? { reply_markup: kb } : {});
  }
}
