// reply_markup checks Telegram makes before accepting a message. The 64-byte callback_data
// limit is the one bots trip over most (long ids, JSON in the button), so it is enforced
// with Telegram's BUTTON_DATA_INVALID.
import type { InlineKeyboardButton, ReplyMarkup } from './types.ts';
import { badRequest } from './errors.ts';

const INLINE_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
] as const;

export function validateReplyMarkup(markup: unknown): ReplyMarkup {
  if (typeof markup !== 'object' || markup === null || Array.isArray(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as Record<string, unknown>;
  if ('inline_keyboard' in m) {
    validateInlineKeyboard(m.inline_keyboard);
    return markup as ReplyMarkup;
  }
  if ('keyboard' in m) {
    const rows = m.keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw badRequest('field "keyboard" must be an Array of Array');
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        const text = typeof b === 'string' ? b : (b as { text?: unknown } | null)?.text;
        if (typeof text !== 'string' || text === '') throw badRequest('keyboard button text is empty');
      }
    }
    return markup as ReplyMarkup;
  }
  if (m.remove_keyboard === true || m.force_reply === true) return markup as ReplyMarkup;
  throw badRequest("can't parse reply keyboard markup JSON object");
}

export function validateInlineKeyboard(rows: unknown): void {
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw badRequest('field "inline_keyboard" must be an Array of Array');
  for (const row of rows as unknown[][]) {
    for (const raw of row) {
      const b = raw as Partial<InlineKeyboardButton> & Record<string, unknown>;
      if (typeof b !== 'object' || b === null || typeof b.text !== 'string') throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      const actions = INLINE_ACTIONS.filter((a) => b[a] !== undefined);
      if (actions.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if (b.text === '') throw badRequest('BUTTON_TEXT_INVALID');
      const data = b.callback_data;
      if (data !== undefined) {
        if (typeof data !== 'string') throw badRequest("can't parse inline keyboard button: Field \"callback_data\" must be of type String");
        const bytes = Buffer.byteLength(data, 'utf8');
        if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (b.url !== undefined && (typeof b.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(b.url))) throw badRequest('BUTTON_URL_INVALID');
    }
  }
}

/** Every callback_data an inline keyboard offers. */
export function callbackDataOf(markup: ReplyMarkup | undefined): string[] {
  if (!markup || !('inline_keyboard' in markup)) return [];
  return markup.inline_keyboard.flat().flatMap((b) => ('callback_data' in b && typeof b.callback_data === 'string' ? [b.callback_data] : []));
}
