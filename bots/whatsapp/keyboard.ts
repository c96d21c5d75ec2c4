// Inline keyboards on a channel without them: callback buttons become numbered options under
// the text, and a reply with the number (or the button's title) is taken as the press.
import { type WaLang, waText } from './texts.ts';

export interface CallbackButton {
  text: string;
  data: string;
}

interface ButtonLike {
  text?: unknown;
  callback_data?: unknown;
  url?: unknown;
}

function buttonsOf(replyMarkup: unknown): ButtonLike[] {
  const rows = (replyMarkup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row) => (Array.isArray(row) ? (row as ButtonLike[]) : [])).filter((b) => typeof b === 'object' && b !== null);
}

/** The pressable buttons of a Bot API reply_markup, in reading order. */
export function callbackButtons(replyMarkup: unknown): CallbackButton[] {
  return buttonsOf(replyMarkup)
    .filter((b) => typeof b.text === 'string' && typeof b.callback_data === 'string')
    .map((b) => ({ text: b.text as string, data: b.callback_data as string }));
}

/** The options block appended to a message; '' when the markup has nothing to show. */
export function renderKeyboard(replyMarkup: unknown, lang: WaLang): string {
  const buttons = buttonsOf(replyMarkup);
  const choices = callbackButtons(replyMarkup);
  const links = buttons.filter((b) => typeof b.text === 'string' && typeof b.url === 'string').map((b) => `${b.text as string}: ${b.url as string}`);
  const parts: string[] = [];
  if (choices.length >= 2) {
    parts.push(choices.map((c, i) => `${i + 1}. ${c.text}`).join('\n'));
    parts.push(waText(lang, 'choose-number', { n: choices.length }));
  } else if (choices.length === 1) {
    // A lone "1." would read like a list with a part missing; the title itself is the answer.
    parts.push(waText(lang, 'choose-single', { title: choices[0]!.text }));
  }
  if (links.length) parts.push(links.join('\n'));
  return parts.join('\n\n');
}

const NUMBER_REPLY = /^\s*(\d{1,3})\s*[.)]?\s*$/;

/** Whether a text could be a choice at all; saves the keyboard lookup for ordinary messages. */
export function mayBeChoice(text: string | undefined): boolean {
  return text !== undefined && text.trim().length > 0 && text.trim().length <= 64;
}

/**
 * The button a reply picks: its number when the keyboard offered at least two, or its title
 * (any case). null when the reply is not a choice.
 */
export function pickButton(buttons: CallbackButton[], reply: string): CallbackButton | null {
  const n = NUMBER_REPLY.exec(reply);
  if (n) return buttons.length >= 2 ? (buttons[Number(n[1]) - 1] ?? null) : null;
  const wanted = normalize(reply);
  return buttons.find((b) => normalize(b.text) === wanted) ?? null;
}

function normalize(s: string): string {
  return s.trim().replace(/[.!]+$/, '').replace(/\s+/g, ' ').toLocaleLowerCase('ru');
}
