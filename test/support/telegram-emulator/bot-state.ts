// Everything Telegram keeps for one bot: its chats and their message ids, the messages in
// them (both sides), its files, pending updates, callback queries, commands and limits.
import { FileStore } from './files.ts';
import { SendRateLimiter, type RateLimitOptions } from './rate-limits.ts';
import type { BotCommand, CallbackQuery, Chat, Message, ReplyMarkup, User } from './types.ts';
import { UpdateQueue, type WebhookRetryOptions } from './update-queue.ts';
import { botApiErrors } from './errors.ts';

export interface BotConfig {
  /** `<digits>:<secret>`, as BotFather issues them; the digits are the bot's user id. */
  token: string;
  username: string;
  firstName?: string;
}

/**
 * A message the bot sent: the Message object as Telegram now holds it (kept current
 * through edits), plus what the emulator knows about how it got there.
 */
export type SentMessage = Message & SentMessageMeta;

export interface SentMessageMeta {
  /** The bot that sent it. */
  token: string;
  /** The method that created it: sendMessage, sendDocument, sendPhoto. */
  method: string;
  /** The parameters of the sending call, as received. */
  params: Record<string, unknown>;
  /** The keyboard shown with it; unlike `reply_markup` this includes reply keyboards. */
  keyboard?: ReplyMarkup;
  /** Milliseconds since the epoch. */
  sentAt: number;
  edits: { method: string; params: Record<string, unknown>; at: number }[];
  deleted: boolean;
  /** Position in the emulator-wide send order. */
  seq: number;
}

const META_KEYS = new Set<string>(['token', 'method', 'params', 'keyboard', 'sentAt', 'edits', 'deleted', 'seq']);

/** Makes `record` show `message` (after an edit) without touching its emulator fields. */
export function syncSentMessage(record: SentMessage, message: Message): void {
  const target = record as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!META_KEYS.has(key)) delete target[key];
  Object.assign(target, message);
}

export interface CallbackQueryRecord {
  query: CallbackQuery;
  at: number;
  answer: { text?: string; show_alert?: boolean; url?: string; cache_time?: number } | null;
}

interface StoredMessage {
  message: Message;
  fromBot: boolean;
  sent?: SentMessage;
}

export class BotState {
  readonly token: string;
  readonly user: User & { is_bot: true };
  readonly files = new FileStore();
  readonly updates: UpdateQueue;
  readonly limiter: SendRateLimiter;
  readonly chats = new Map<number, Chat>();
  readonly blocked = new Set<number>();
  readonly callbackQueries = new Map<string, CallbackQueryRecord>();
  readonly commands = new Map<string, BotCommand[]>();
  private readonly messages = new Map<number, Map<number, StoredMessage>>();
  private readonly lastMessageId = new Map<number, number>();

  constructor(
    config: BotConfig,
    opts: {
      limits: RateLimitOptions;
      webhookRetry: Required<WebhookRetryOptions>;
      now: () => number;
      onWebhookReply: (method: string, params: Record<string, unknown>) => Promise<void>;
    },
  ) {
    const id = Number(config.token.split(':')[0]);
    if (!/^\d+:[\w-]+$/.test(config.token) || !Number.isSafeInteger(id)) {
      throw new Error(`TelegramEmulator: token ${JSON.stringify(config.token)} is not shaped like <bot id>:<secret>`);
    }
    this.token = config.token;
    this.user = {
      id,
      is_bot: true,
      first_name: config.firstName ?? config.username,
      username: config.username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as User & { is_bot: true };
    this.limiter = new SendRateLimiter(opts.limits);
    this.updates = new UpdateQueue(opts.webhookRetry, opts.now, opts.onWebhookReply);
  }

  rememberChat(chat: Chat): void {
    this.chats.set(chat.id, { ...this.chats.get(chat.id), ...chat } as Chat);
  }

  /** `@username` of a known chat, or the numeric id as given. */
  resolveChatId(id: number | string): number {
    if (typeof id === 'number') return id;
    const name = id.slice(1).toLowerCase();
    for (const chat of this.chats.values()) {
      if ('username' in chat && chat.username?.toLowerCase() === name) return chat.id;
    }
    throw botApiErrors.chatNotFound();
  }

  /** The chat as Telegram would describe it; unknown ids get a plausible stand-in. */
  chat(id: number): Chat {
    const known = this.chats.get(id);
    if (known) return known;
    if (id > 0) return { id, type: 'private', first_name: `User ${id}` };
    if (id < -1_000_000_000_000) return { id, type: 'supergroup', title: `Group ${id}` };
    return { id, type: 'group', title: `Group ${id}` };
  }

  /** Message ids grow per chat and are shared by both sides of the conversation. */
  nextMessageId(chatId: number): number {
    const next = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, next);
    return next;
  }

  storeMessage(message: Message, fromBot: boolean, sent?: SentMessage): void {
    let inChat = this.messages.get(message.chat.id);
    if (!inChat) {
      inChat = new Map();
      this.messages.set(message.chat.id, inChat);
    }
    inChat.set(message.message_id, { message, fromBot, ...(sent ? { sent } : {}) });
  }

  message(chatId: number, messageId: number): { message: Message; fromBot: boolean; sent?: SentMessage } | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  replaceMessage(message: Message): void {
    const stored = this.messages.get(message.chat.id)?.get(message.message_id);
    if (stored) stored.message = message;
  }

  deleteMessage(chatId: number, messageId: number): boolean {
    const stored = this.messages.get(chatId)?.get(messageId);
    if (!stored) return false;
    this.messages.get(chatId)?.delete(messageId);
    if (stored.sent) stored.sent.deleted = true;
    return true;
  }

  reset(): void {
    this.files.clear();
    this.updates.clear();
    this.limiter.reset();
    this.chats.clear();
    this.blocked.clear();
    this.callbackQueries.clear();
    this.commands.clear();
    this.messages.clear();
    this.lastMessageId.clear();
  }
}
