// The Bot API methods the emulator answers. Each takes the request's parameters and either
// returns the `result` Telegram would return or throws the BotApiError it would answer.
// Checks run in Telegram's order as far as it is observable: parameters, then the chat
// (blocked, unknown), then the flood limits, then the send itself.
import { syncSentMessage, type BotState, type SentMessage, type SentMessageMeta } from './bot-state.ts';
import { badRequest, BotApiError, botApiErrors } from './errors.ts';
import { imageSize, MAX_DOWNLOAD_BYTES, mimeTypeFor, type StoredFile } from './files.ts';
import { formatText } from './formatting.ts';
import type { Params } from './params.ts';
import { validateReplyMarkup } from './reply-markup.ts';
import type { BotCommand, Chat, Message, MessageEntity, ReplyMarkup } from './types.ts';

export interface MethodContext {
  bot: BotState;
  p: Params;
  /** Milliseconds since the epoch; message dates are derived from it. */
  now: () => number;
  /** Called when the client goes away before the answer (long polls stop waiting). */
  onClose: (cb: () => void) => void;
  /** Records a message the bot sent and assigns its place in the send order. */
  recordSent: (message: Message, meta: Omit<SentMessageMeta, 'seq'>) => SentMessage;
  settings: {
    /** Sends to chats the bot has never seen are refused, as Telegram refuses them. */
    strictChats: boolean;
    /** A callback query can be answered this long after the press; Telegram's window is short. */
    callbackQueryTtlMs: number;
  };
}

/** A successful answer that also carries Telegram's `description` (setWebhook, deleteWebhook). */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export type MethodHandler = (ctx: MethodContext) => unknown;

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

const unixSeconds = (ms: number) => Math.floor(ms / 1000);

export const METHODS: Record<string, MethodHandler> = {
  getMe: ({ bot }) => bot.user,

  getUpdates: ({ bot, p, onClose }) =>
    bot.updates.getUpdates(
      {
        ...optional('offset', p.int('offset')),
        ...optional('limit', p.int('limit')),
        ...optional('timeoutSeconds', p.int('timeout')),
        ...optional('allowedUpdates', p.json<string[]>('allowed_updates')),
      },
      onClose,
    ),

  setWebhook: ({ bot, p }) => {
    const url = p.str('url') ?? '';
    const drop = p.bool('drop_pending_updates') ?? false;
    if (url === '') {
      const outcome = bot.updates.deleteWebhook(drop);
      return new Described(true, outcome === 'deleted' ? 'Webhook was deleted' : 'Webhook is already deleted');
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    }
    // Telegram insists on HTTPS; a local test endpoint is plain HTTP, so both are taken.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = p.str('secret_token');
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters');
    const maxConnections = p.int('max_connections') ?? 40;
    if (maxConnections < 1 || maxConnections > 100) throw badRequest('bad webhook: max_connections must be between 1 and 100');
    const outcome = bot.updates.setWebhook(
      { url, ...optional('secretToken', secret), maxConnections, allowedUpdates: p.json<string[]>('allowed_updates') ?? [] },
      drop,
    );
    return new Described(true, outcome === 'set' ? 'Webhook was set' : 'Webhook is already set');
  },

  deleteWebhook: ({ bot, p }) => {
    const outcome = bot.updates.deleteWebhook(p.bool('drop_pending_updates') ?? false);
    return new Described(true, outcome === 'deleted' ? 'Webhook was deleted' : 'Webhook is already deleted');
  },

  getWebhookInfo: ({ bot }) => bot.updates.webhookInfo(),

  sendMessage: (ctx) => {
    const { p } = ctx;
    const chatId = targetChat(ctx);
    const raw = p.str('text');
    if (raw === undefined || raw === '') throw botApiErrors.textEmpty();
    const { text, entities } = formatText(raw, p.str('parse_mode'), p.json<MessageEntity[]>('entities'));
    if (text === '') throw botApiErrors.textEmpty();
    if (text.length > MAX_TEXT) throw botApiErrors.textTooLong();
    const markup = readMarkup(p);
    const replyTo = readReplyTo(ctx, chatId);
    const linkPreview = p.json<Record<string, unknown>>('link_preview_options');
    return send(ctx, 'sendMessage', chatId, markup, replyTo, {
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(linkPreview ? { link_preview_options: linkPreview } : {}),
    });
  },

  sendDocument: async (ctx) => {
    const { p, bot } = ctx;
    const chatId = targetChat(ctx);
    const caption = readCaption(p);
    const markup = readMarkup(p);
    const replyTo = readReplyTo(ctx, chatId);
    const file = await readFile(ctx, 'document', 'document');
    return send(ctx, 'sendDocument', chatId, markup, replyTo, { document: bot.files.document(file), ...caption });
  },

  sendPhoto: async (ctx) => {
    const { p, bot } = ctx;
    const chatId = targetChat(ctx);
    const caption = readCaption(p);
    const markup = readMarkup(p);
    const replyTo = readReplyTo(ctx, chatId);
    const file = await readFile(ctx, 'photo', 'photo');
    return send(ctx, 'sendPhoto', chatId, markup, replyTo, { photo: bot.files.photoSizes(file), ...caption });
  },

  sendChatAction: (ctx) => {
    targetChat(ctx);
    if (!ctx.p.str('action')) throw badRequest('action is empty');
    return true;
  },

  editMessageText: (ctx) => {
    const { p } = ctx;
    const { stored, sent } = editable(ctx);
    if (stored.text === undefined) throw badRequest('there is no text in the message to edit');
    const raw = p.str('text');
    if (raw === undefined || raw === '') throw botApiErrors.textEmpty();
    const { text, entities } = formatText(raw, p.str('parse_mode'), p.json<MessageEntity[]>('entities'));
    if (text === '') throw botApiErrors.textEmpty();
    if (text.length > MAX_TEXT) throw botApiErrors.textTooLong();
    const { text: _t, entities: _e, ...rest } = stored;
    return applyEdit(ctx, 'editMessageText', stored, sent, { ...rest, text, ...(entities.length > 0 ? { entities } : {}) }, readInlineMarkup(p));
  },

  editMessageCaption: (ctx) => {
    const { p } = ctx;
    const { stored, sent } = editable(ctx);
    if (!stored.document && !stored.photo) throw badRequest('there is no caption in the message to edit');
    const caption = readCaption(p);
    const { caption: _c, caption_entities: _e, ...rest } = stored;
    return applyEdit(ctx, 'editMessageCaption', stored, sent, { ...rest, ...caption }, readInlineMarkup(p));
  },

  editMessageReplyMarkup: (ctx) => {
    const { stored, sent } = editable(ctx);
    return applyEdit(ctx, 'editMessageReplyMarkup', stored, sent, { ...stored }, readInlineMarkup(ctx.p));
  },

  deleteMessage: (ctx) => {
    const chatId = targetChat(ctx, { forSend: false });
    const messageId = ctx.p.int('message_id');
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    if (!ctx.bot.deleteMessage(chatId, messageId)) throw botApiErrors.messageToDeleteNotFound();
    return true;
  },

  answerCallbackQuery: ({ bot, p, now, settings }) => {
    const id = p.str('callback_query_id');
    const record = id === undefined ? undefined : bot.callbackQueries.get(id);
    if (!record || record.answer !== null || now() - record.at > settings.callbackQueryTtlMs) throw botApiErrors.queryTooOld();
    const text = p.str('text');
    if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
    record.answer = {
      ...optional('text', text),
      ...optional('show_alert', p.bool('show_alert')),
      ...optional('url', p.str('url')),
      ...optional('cache_time', p.int('cache_time')),
    };
    return true;
  },

  getFile: ({ bot, p }) => {
    const id = p.str('file_id');
    const file = id ? bot.files.get(id) : undefined;
    if (!file) throw id ? botApiErrors.wrongFileId() : badRequest('file_id is empty');
    if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw botApiErrors.fileTooBig();
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath };
  },

  setMyCommands: ({ bot, p }) => {
    const commands = p.json<BotCommand[]>('commands');
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
    if (commands.length > 100) throw badRequest('too many commands');
    for (const c of commands) {
      if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    bot.commands.set(commandsKey(p), commands.map((c) => ({ command: c.command, description: c.description })));
    return true;
  },

  getMyCommands: ({ bot, p }) => bot.commands.get(commandsKey(p)) ?? [],

  deleteMyCommands: ({ bot, p }) => {
    bot.commands.delete(commandsKey(p));
    return true;
  },

  getChat: ({ bot, p }) => {
    const chat = bot.chats.get(bot.resolveChatId(p.chatId()));
    if (!chat) throw botApiErrors.chatNotFound();
    return {
      ...chat,
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false },
    };
  },
};

/** Method names are case-insensitive on Telegram (`/SENDMESSAGE` works). */
export const METHOD_BY_LOWER_NAME = new Map(Object.keys(METHODS).map((name) => [name.toLowerCase(), name]));

// ---- helpers -----------------------------------------------------------------------------

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function targetChat({ bot, p, settings }: MethodContext, { forSend = true } = {}): number {
  const chatId = bot.resolveChatId(p.chatId());
  const chat = bot.chat(chatId);
  if (bot.blocked.has(chatId)) throw chat.type === 'private' ? botApiErrors.blockedByUser() : botApiErrors.kickedFromGroup(chat.type === 'supergroup');
  if (forSend && settings.strictChats && !bot.chats.has(chatId)) {
    throw chatId > 0 ? new BotApiError(403, "Forbidden: bot can't initiate conversation with a user") : botApiErrors.chatNotFound();
  }
  return chatId;
}

function readMarkup(p: Params): ReplyMarkup | undefined {
  const raw = p.json<unknown>('reply_markup', 'reply keyboard markup JSON object');
  return raw === undefined ? undefined : validateReplyMarkup(raw);
}

/** Edits take inline keyboards only; leaving reply_markup out removes the keyboard, as on Telegram. */
function readInlineMarkup(p: Params): ReplyMarkup | undefined {
  const markup = readMarkup(p);
  if (markup && !('inline_keyboard' in markup)) throw badRequest('inline keyboard expected');
  return markup;
}

function readCaption(p: Params): { caption?: string; caption_entities?: MessageEntity[] } {
  const raw = p.str('caption');
  if (raw === undefined || raw === '') return {};
  const { text, entities } = formatText(raw, p.str('parse_mode'), p.json<MessageEntity[]>('caption_entities'));
  if (text.length > MAX_CAPTION) throw botApiErrors.captionTooLong();
  if (text === '') return {};
  return { caption: text, ...(entities.length > 0 ? { caption_entities: entities } : {}) };
}

function readReplyTo({ bot, p }: MethodContext, chatId: number): Message | undefined {
  const params = p.json<{ message_id?: number; chat_id?: number | string; allow_sending_without_reply?: boolean }>('reply_parameters');
  const messageId = params?.message_id ?? p.int('reply_to_message_id');
  if (messageId === undefined) return undefined;
  const allowWithout = params?.allow_sending_without_reply ?? p.bool('allow_sending_without_reply') ?? false;
  const inChat = params?.chat_id !== undefined ? bot.resolveChatId(params.chat_id) : chatId;
  const found = bot.message(inChat, messageId);
  if (!found) {
    if (allowWithout) return undefined;
    throw botApiErrors.replyNotFound();
  }
  const { reply_to_message: _nested, ...replied } = found.message;
  return replied as Message;
}

async function readFile({ bot, p }: MethodContext, param: 'document' | 'photo', kind: StoredFile['kind']): Promise<StoredFile> {
  const ref = p.inputFile(param);
  if (!ref) throw param === 'photo' ? botApiErrors.photoMissing() : botApiErrors.documentMissing();
  if (ref.kind === 'file_id') {
    const file = bot.files.get(ref.fileId);
    if (!file) throw ref.fileId.length < 20 ? botApiErrors.wrongRemoteFileId() : botApiErrors.wrongFileId();
    if (file.kind !== kind) throw badRequest('type of file mismatch');
    return file;
  }
  let bytes: Buffer;
  let fileName: string | undefined;
  let declared: string | undefined;
  if (ref.kind === 'upload') {
    bytes = ref.file.bytes;
    fileName = ref.file.filename;
    declared = ref.file.contentType;
  } else {
    // Telegram downloads URLs itself; a test may point at a local server.
    try {
      const res = await fetch(ref.url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      bytes = Buffer.from(await res.arrayBuffer());
      declared = res.headers.get('content-type') ?? undefined;
    } catch {
      throw botApiErrors.urlContentFailed();
    }
    fileName = decodeURIComponent(new URL(ref.url).pathname.split('/').pop() ?? '') || undefined;
  }
  if (bytes.length === 0) throw badRequest('file must be non-empty');
  if (kind === 'photo') {
    const size = imageSize(bytes);
    if (!size) throw botApiErrors.imageProcessFailed();
    return bot.files.add(bytes, 'photo', size);
  }
  const mimeType = mimeTypeFor(fileName, declared);
  return bot.files.add(bytes, 'document', { ...optional('fileName', fileName), ...optional('mimeType', mimeType) });
}

function send(
  ctx: MethodContext,
  method: string,
  chatId: number,
  markup: ReplyMarkup | undefined,
  replyTo: Message | undefined,
  content: Partial<Message>,
): Message {
  const { bot, now } = ctx;
  const slot = bot.limiter.take(chatId);
  if (!slot.ok) throw botApiErrors.tooManyRequests(slot.retryAfter);
  const at = now();
  const chat = bot.chat(chatId);
  const message = {
    message_id: bot.nextMessageId(chatId),
    from: bot.user,
    chat: chat as Chat,
    date: unixSeconds(at),
    ...(replyTo ? { reply_to_message: replyTo } : {}),
    ...content,
    ...(markup && 'inline_keyboard' in markup ? { reply_markup: markup } : {}),
  } as Message;
  const sent = ctx.recordSent(message, {
    token: bot.token,
    method,
    params: ctx.p.raw,
    ...(markup ? { keyboard: markup } : {}),
    sentAt: at,
    edits: [],
    deleted: false,
  });
  bot.storeMessage(message, true, sent);
  return message;
}

function editable(ctx: MethodContext): { stored: Message; sent: SentMessage | undefined } {
  const { bot, p } = ctx;
  if (p.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID');
  const chatId = targetChat(ctx, { forSend: false });
  const messageId = p.int('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const found = bot.message(chatId, messageId);
  if (!found) throw botApiErrors.messageToEditNotFound();
  if (!found.fromBot) throw botApiErrors.messageCantBeEdited();
  return { stored: found.message, sent: found.sent };
}

function applyEdit(
  ctx: MethodContext,
  method: string,
  before: Message,
  sent: SentMessage | undefined,
  next: Message,
  markup: ReplyMarkup | undefined,
): Message {
  const { reply_markup: _old, edit_date: _d, ...withoutMarkup } = next;
  const candidate = { ...withoutMarkup, ...(markup ? { reply_markup: markup } : {}) } as Message;
  if (sameContent(before, candidate)) throw botApiErrors.messageNotModified();
  const at = ctx.now();
  const edited = { ...candidate, edit_date: unixSeconds(at) } as Message;
  ctx.bot.replaceMessage(edited);
  if (sent) {
    syncSentMessage(sent, edited);
    if (markup) sent.keyboard = markup;
    else delete sent.keyboard;
    sent.edits.push({ method, params: ctx.p.raw, at });
  }
  return edited;
}

function sameContent(a: Message, b: Message): boolean {
  const pick = (m: Message) =>
    JSON.stringify([m.text ?? null, m.entities ?? [], m.caption ?? null, m.caption_entities ?? [], m.reply_markup ?? null]);
  return pick(a) === pick(b);
}

function commandsKey(p: Params): string {
  return `${JSON.stringify(p.json<unknown>('scope') ?? { type: 'default' })}|${p.str('language_code') ?? ''}`;
}
