// The Bot API's own object types (from grammY's @grammyjs/types), so what the emulator
// produces is checked against the same definitions the bot code consumes.
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  Document,
  File,
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  Message,
  MessageEntity,
  PhotoSize,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  User,
  WebhookInfo,
} from 'grammy/types';

export type {
  BotCommand,
  CallbackQuery,
  Chat,
  Document,
  File,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  Message,
  MessageEntity,
  PhotoSize,
  Update,
  User,
  WebhookInfo,
};

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** The update kinds Telegram sends when `allowed_updates` is empty or not given. */
export const DEFAULT_ALLOWED_UPDATES_EXCLUDED = ['chat_member', 'message_reaction', 'message_reaction_count'] as const;

export type UpdateKind = Exclude<keyof Update, 'update_id'>;

export function updateKind(update: Update): UpdateKind | undefined {
  return (Object.keys(update) as (keyof Update)[]).find((k): k is UpdateKind => k !== 'update_id');
}
