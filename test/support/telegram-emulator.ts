// A local stand-in for Telegram's Bot API server and for the users on the other side of
// the chat. Bot code talks to it exactly as to api.telegram.org (point grammY's
// `client.apiRoot` / TELEGRAM_API_ROOT at `apiRoot`): `/bot<token>/<method>` with JSON,
// urlencoded, multipart or query parameters, `{"ok":...}` answers with Telegram's status
// codes and wording, files under `/file/bot<token>/<file_path>`, updates by long polling or
// by webhook POSTs with the secret-token header.
//
// Reproduced: getUpdates long polling with offset confirmation and the 409 conflicts,
// webhooks delivered in order and retried with backoff until 2xx (a method call in the
// webhook answer is executed), the flood limits (30 msg/s per bot, 1 msg/s per private
// chat, 20 msg/min per group) as 429 with retry_after, text and caption limits, parse_mode
// parsing with Telegram's "can't parse entities" errors, inline keyboard checks
// (callback_data ≤ 64 bytes), replies, edits ("message is not modified"), deletion,
// callback queries (answerable once), blocked users (403), uploads and file_ids.
// Simplified: webhooks may be plain HTTP on any port and get one update at a time (Telegram
// uses up to max_connections in parallel); the limits count sends only, not edits, and allow
// no burst; unknown chats are accepted unless `strictChats`; photos are not rescaled (every
// PhotoSize downloads the original bytes); no channels, inline mode, payments or media groups.
// See test/support/telegram-emulator/ for the parts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotState, type BotConfig, type CallbackQueryRecord, type SentMessage, type SentMessageMeta } from './telegram-emulator/bot-state.ts';
import { BotApiError, botApiErrors, type BotApiErrorBody } from './telegram-emulator/errors.ts';
import { imageSize, mimeTypeFor } from './telegram-emulator/files.ts';
import { detectEntities } from './telegram-emulator/formatting.ts';
import { Described, METHOD_BY_LOWER_NAME, METHODS, type MethodContext } from './telegram-emulator/methods.ts';
import { Params, readParams, type RawRequest, type Transport } from './telegram-emulator/params.ts';
import type { RateLimitOptions } from './telegram-emulator/rate-limits.ts';
import { callbackDataOf } from './telegram-emulator/reply-markup.ts';
import type { CallbackQuery, Chat, Message, MessageEntity, Update, User } from './telegram-emulator/types.ts';
import type { WebhookDelivery, WebhookRetryOptions } from './telegram-emulator/update-queue.ts';

export { BotApiError, type BotApiErrorBody } from './telegram-emulator/errors.ts';
export type { BotConfig, CallbackQueryRecord, SentMessage, SentMessageMeta } from './telegram-emulator/bot-state.ts';
export { TELEGRAM_RATE_LIMITS, type RateLimitOptions } from './telegram-emulator/rate-limits.ts';
export type { Transport } from './telegram-emulator/params.ts';
export type { WebhookDelivery, WebhookRetryOptions } from './telegram-emulator/update-queue.ts';
export { formatText } from './telegram-emulator/formatting.ts';

export interface TelegramEmulatorOptions {
  bots: BotConfig[];
  /** Flood limits; defaults are Telegram's. */
  limits?: RateLimitOptions;
  /** Webhook redelivery backoff; defaults: 100 ms doubling to 2 s, 10 s POST timeout. */
  webhookRetry?: WebhookRetryOptions;
  /** Refuse sends to chats no update has shown the bot (403 "bot can't initiate conversation"). */
  strictChats?: boolean;
  /** How long after a press answerCallbackQuery is still accepted. Default 15 s. */
  callbackQueryTtlMs?: number;
  /** Milliseconds since the epoch, for message dates and call times. */
  now?: () => number;
  /** Largest request body; Telegram takes uploads up to 50 MB. */
  maxBodyBytes?: number;
}

/** One request to the Bot API (or a file download, as method `download`). */
export interface ApiCall {
  seq: number;
  /** The token in the URL, known to the emulator or not. */
  token: string;
  /** Canonical method name when known (Telegram's are case-insensitive), else as requested. */
  method: string;
  /** As received: strings for form, multipart and query transports; uploads appear as `attach://…`. */
  params: Record<string, unknown>;
  files: { field: string; filename: string; contentType: string; size: number }[];
  transport: Transport;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** null while the call is pending (a held long poll); 0 when no answer reached the client. */
  status: number | null;
  ok?: boolean;
  result?: unknown;
  error?: BotApiErrorBody;
  /** A failure injected with `failNext`. */
  fault?: FailureKind;
  /** The client went away before the answer (an aborted long poll). */
  clientClosed?: boolean;
}

/**
 * `http500`: answered 500 without running the method. `network`: the connection is dropped
 * without running it. `lost-response`: the method runs (the message is sent) and then the
 * connection is dropped, so the client cannot know it succeeded.
 */
export type FailureKind = 'http500' | 'network' | 'lost-response';

export interface TestUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
}

export interface UserMessageOptions {
  from: TestUser;
  /** Defaults to the private chat with `from`. */
  chat?: Chat;
  /** message_id of a message in the same chat this one replies to. */
  replyTo?: number;
}

interface MessageWaiter {
  match: (m: SentMessage) => boolean;
  resolve: (m: SentMessage) => void;
}

interface CallWaiter {
  match: (c: ApiCall) => boolean;
  resolve: (c: ApiCall) => void;
}

interface PendingFailure {
  kind: FailureKind;
  methods: Set<string> | null;
  token: string | null;
}

interface Outcome {
  status: number;
  body: unknown;
  ok: boolean;
  result?: unknown;
  error?: BotApiErrorBody;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export class TelegramEmulator {
  readonly calls: ApiCall[] = [];

  private readonly bots = new Map<string, BotState>();
  private readonly now: () => number;
  private readonly settings: MethodContext['settings'];
  private readonly maxBodyBytes: number;
  private sent: SentMessage[] = [];
  private consumed = new WeakSet<SentMessage>();
  private messageWaiters: MessageWaiter[] = [];
  private callWaiters: CallWaiter[] = [];
  private failures: PendingFailure[] = [];
  private seq = 0;
  private callbackSeq = 0;
  private server: Server | null = null;
  private baseUrl = '';

  constructor(opts: TelegramEmulatorOptions) {
    if (opts.bots.length === 0) throw new Error('TelegramEmulator: at least one bot is needed');
    this.now = opts.now ?? Date.now;
    this.settings = { strictChats: opts.strictChats ?? false, callbackQueryTtlMs: opts.callbackQueryTtlMs ?? 15_000 };
    this.maxBodyBytes = opts.maxBodyBytes ?? 50 * 1024 * 1024;
    const webhookRetry = { initialDelayMs: 100, maxDelayMs: 2000, timeoutMs: 10_000, ...opts.webhookRetry };
    for (const config of opts.bots) {
      const bot: BotState = new BotState(config, {
        limits: opts.limits ?? {},
        webhookRetry,
        now: this.now,
        onWebhookReply: async (method, params) => {
          const call = this.newCall(bot.token, method, { params, transport: 'webhook-reply' });
          const outcome = await this.execute(bot, call.method, { params, files: new Map(), transport: 'webhook-reply' }, null);
          this.finish(call, outcome.status, outcome);
        },
      });
      this.bots.set(config.token, bot);
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  async start(): Promise<{ apiRoot: string; port: number }> {
    if (this.server) throw new Error('TelegramEmulator already started');
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
        res.end(JSON.stringify(botApiErrors.internal().body));
        console.error('TelegramEmulator: request failed', err);
      });
    });
    // Clients keep sockets alive between calls; a server that drops idle sockets first makes
    // a reused one fail now and then with ECONNRESET, which Telegram's servers do not do.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return { apiRoot: this.baseUrl, port };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.bots.values()].map((b) => b.updates.stop()));
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get apiRoot(): string {
    if (!this.baseUrl) throw new Error('TelegramEmulator not started');
    return this.baseUrl;
  }

  /**
   * Forgets calls, messages, chats, files, pending updates, webhooks, blocks, injected
   * failures and limit windows; keeps the bots and the limit settings. update_id keeps
   * increasing, since a running bot confirms by it.
   */
  reset(): void {
    this.calls.length = 0;
    this.sent = [];
    this.consumed = new WeakSet();
    this.failures = [];
    for (const bot of this.bots.values()) bot.reset();
  }

  // ---- configuration and fault injection ---------------------------------------------------

  /** The user blocked the bot (private chat) or removed it (group): sends and edits answer 403. */
  blockChat(chatId: number, token?: string): void {
    for (const bot of this.botsFor(token)) bot.blocked.add(chatId);
  }

  unblockChat(chatId: number, token?: string): void {
    for (const bot of this.botsFor(token)) bot.blocked.delete(chatId);
  }

  /**
   * The next `n` matching requests fail. Narrow it with `method` (a polling bot is almost
   * always holding a getUpdates, which would otherwise take the failure) and `token`.
   * File downloads count as method `download`.
   */
  failNext(n: number, kind: FailureKind = 'http500', opts: { method?: string | string[]; token?: string } = {}): void {
    const methods = opts.method === undefined ? null : new Set((Array.isArray(opts.method) ? opts.method : [opts.method]).map((m) => m.toLowerCase()));
    for (let i = 0; i < n; i++) this.failures.push({ kind, methods, token: opts.token ?? null });
  }

  configureLimits(opts: RateLimitOptions, token?: string): void {
    for (const bot of this.botsFor(token)) bot.limiter.configure(opts);
  }

  // ---- the users' side: updates ------------------------------------------------------------

  /** Queues any update for the bot; update_id is assigned. Messages in it become known to the bot. */
  pushUpdate(token: string, partial: Omit<Update, 'update_id'>): Update {
    const bot = this.bot(token);
    const message = partial.message ?? partial.edited_message ?? partial.callback_query?.message;
    if (message && 'chat' in message) bot.rememberChat(message.chat);
    if (partial.message) bot.storeMessage(partial.message, false);
    return bot.updates.push(partial);
  }

  /**
   * A user blocks the bot in his private chat: from now on sends to him answer 403, and the
   * bot gets the my_chat_member update Telegram sends (member → kicked).
   */
  userBlocksBot(token: string, user: TestUser): Update {
    this.bot(token).blocked.add(user.id);
    return this.privateMemberChange(token, user, 'member', 'kicked');
  }

  /** He unblocks it (restarts the bot): sends go again, and the update says kicked → member. */
  userUnblocksBot(token: string, user: TestUser): Update {
    this.bot(token).blocked.delete(user.id);
    return this.privateMemberChange(token, user, 'kicked', 'member');
  }

  private privateMemberChange(token: string, user: TestUser, was: 'member' | 'kicked', is: 'member' | 'kicked'): Update {
    const bot = this.bot(token);
    const from: User = { is_bot: false, ...user };
    const chat = { id: from.id, type: 'private', first_name: from.first_name, ...(from.username !== undefined ? { username: from.username } : {}) } as Chat;
    bot.rememberChat(chat);
    const member = (status: 'member' | 'kicked') => (status === 'kicked' ? { status, user: bot.user, until_date: 0 } : { status, user: bot.user });
    return this.pushUpdate(token, { my_chat_member: { chat, from, date: Math.floor(this.now() / 1000), old_chat_member: member(was), new_chat_member: member(is) } as Update['my_chat_member'] });
  }

  /** A user writes text; `/commands` get their bot_command entity as from a real client. */
  userSends(token: string, opts: UserMessageOptions & { text: string; entities?: MessageEntity[] }): Update {
    const entities = opts.entities ?? detectEntities(opts.text);
    return this.userMessage(token, opts, { text: opts.text, ...(entities.length > 0 ? { entities } : {}) });
  }

  userSendsDocument(
    token: string,
    opts: UserMessageOptions & { bytes: Buffer | Uint8Array | string; fileName: string; mimeType?: string; caption?: string },
  ): Update {
    const bot = this.bot(token);
    const bytes = typeof opts.bytes === 'string' ? Buffer.from(opts.bytes, 'utf8') : Buffer.from(opts.bytes);
    const mimeType = opts.mimeType ?? mimeTypeFor(opts.fileName);
    const file = bot.files.add(bytes, 'document', { fileName: opts.fileName, ...(mimeType ? { mimeType } : {}) });
    return this.userMessage(token, opts, { document: bot.files.document(file), ...captionOf(opts.caption) });
  }

  /** Dimensions come from the bytes when they are a PNG, JPEG or GIF, else from `width`/`height` (default 800×600). */
  userSendsPhoto(
    token: string,
    opts: UserMessageOptions & { bytes: Buffer | Uint8Array; caption?: string; width?: number; height?: number },
  ): Update {
    const bot = this.bot(token);
    const bytes = Buffer.from(opts.bytes);
    const size = imageSize(bytes) ?? { width: opts.width ?? 800, height: opts.height ?? 600 };
    const file = bot.files.add(bytes, 'photo', size);
    return this.userMessage(token, opts, { photo: bot.files.photoSizes(file), ...captionOf(opts.caption) });
  }

  /**
   * A user presses an inline button of a message the bot sent. Throws when that message
   * carries no button with this callback_data (a real user could not press it), unless
   * `unchecked` (a stale button on an old client, or a forged query).
   */
  userPresses(token: string, opts: { from: TestUser; message_id: number; chat_id?: number; data: string; unchecked?: boolean }): Update {
    const bot = this.bot(token);
    const chatId = opts.chat_id ?? opts.from.id;
    const stored = bot.message(chatId, opts.message_id);
    if (!opts.unchecked) {
      if (!stored?.fromBot) throw new Error(`TelegramEmulator: the bot sent no message ${opts.message_id} to chat ${chatId}`);
      const offered = callbackDataOf(stored.message.reply_markup);
      if (!offered.includes(opts.data)) {
        throw new Error(`TelegramEmulator: message ${opts.message_id} in chat ${chatId} has no button ${JSON.stringify(opts.data)}; it offers ${JSON.stringify(offered)}`);
      }
    }
    this.callbackSeq += 1;
    const query: CallbackQuery = {
      id: `${bot.user.id}${String(this.callbackSeq).padStart(9, '0')}`,
      from: { is_bot: false, ...opts.from },
      ...(stored ? { message: stored.message } : {}),
      chat_instance: String(BigInt(chatId) * 7919n + BigInt(bot.user.id)),
      data: opts.data,
    } as CallbackQuery;
    const record: CallbackQueryRecord = { query, at: this.now(), answer: null };
    bot.callbackQueries.set(query.id, record);
    return bot.updates.push({ callback_query: query });
  }

  /** Delivers an already pushed update again, same update_id, as Telegram does after a lost confirmation. */
  redeliver(token: string, updateId: number): Update {
    return this.bot(token).updates.redeliver(updateId);
  }

  /** What the bot answered to a callback query: null while unanswered. */
  callbackAnswer(token: string, queryId: string): CallbackQueryRecord['answer'] {
    const record = this.bot(token).callbackQueries.get(queryId);
    if (!record) throw new Error(`TelegramEmulator: no callback query ${queryId}`);
    return record.answer;
  }

  /** Every webhook POST attempt for this bot, failed ones included. */
  webhookDeliveries(token: string): WebhookDelivery[] {
    return [...this.bot(token).updates.deliveries];
  }

  /** Resolves once the bot's webhook has accepted every pending update (or was deleted). */
  async waitForWebhookIdle(token: string, timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`TelegramEmulator: webhook of ${token} still delivering after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.bot(token).updates.idle(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Updates neither confirmed by getUpdates nor accepted by the webhook. */
  pendingUpdateCount(token: string): number {
    return this.bot(token).updates.pendingCount;
  }

  /** The bytes behind a file_id the bot can use. */
  fileBytes(token: string, fileId: string): Buffer | undefined {
    return this.bot(token).files.get(fileId)?.bytes;
  }

  // ---- what the bot did --------------------------------------------------------------------

  /** Messages bots sent (to `chatId` when given), oldest first, as they now stand. */
  sentMessages(chatId?: number): SentMessage[] {
    return chatId === undefined ? [...this.sent] : this.sent.filter((m) => m.chat.id === chatId);
  }

  /**
   * The earliest message to `chatId` (matching `pred`) that no earlier `waitForMessage`
   * returned, already sent or arriving within `timeoutMs`. Each message is handed out once,
   * so consecutive waits walk a conversation in order.
   */
  waitForMessage(chatId: number, pred: (m: SentMessage) => boolean = () => true, timeoutMs = 5000): Promise<SentMessage> {
    const match = (m: SentMessage) => m.chat.id === chatId && !this.consumed.has(m) && pred(m);
    const found = this.sent.find(match);
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter: MessageWaiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          this.consumed.add(m);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.messageWaiters = this.messageWaiters.filter((w) => w !== waiter);
        const seen = this.sentMessages(chatId).map((m) => m.text ?? m.caption ?? `[${m.method}]`);
        reject(new Error(`TelegramEmulator: no message to chat ${chatId} within ${timeoutMs} ms; sent to it so far: ${JSON.stringify(seen)}`));
      }, timeoutMs);
      this.messageWaiters.push(waiter);
    });
  }

  /** The first answered call matching `pred`, among those already made or arriving within `timeoutMs`. */
  waitForCall(pred: (c: ApiCall) => boolean, timeoutMs = 5000): Promise<ApiCall> {
    const found = this.calls.find((c) => c.status !== null && pred(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: CallWaiter = {
        match: pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.callWaiters = this.callWaiters.filter((w) => w !== waiter);
        const recent = this.calls.slice(-10).map((c) => `${c.method} → ${c.status}`);
        reject(new Error(`TelegramEmulator: no matching call within ${timeoutMs} ms; last calls: ${JSON.stringify(recent)}`));
      }, timeoutMs);
      this.callWaiters.push(waiter);
    });
  }

  // ---- internals: users' messages ----------------------------------------------------------

  private userMessage(token: string, opts: UserMessageOptions, content: Partial<Message>): Update {
    const bot = this.bot(token);
    const from: User = { is_bot: false, ...opts.from };
    const chat: Chat =
      opts.chat ??
      ({
        id: from.id,
        type: 'private',
        first_name: from.first_name,
        ...(from.last_name !== undefined ? { last_name: from.last_name } : {}),
        ...(from.username !== undefined ? { username: from.username } : {}),
      } as Chat);
    bot.rememberChat(chat);
    let replyTo: Message | undefined;
    if (opts.replyTo !== undefined) {
      const found = bot.message(chat.id, opts.replyTo);
      if (!found) throw new Error(`TelegramEmulator: no message ${opts.replyTo} in chat ${chat.id} to reply to`);
      const { reply_to_message: _nested, ...replied } = found.message;
      replyTo = replied as Message;
    }
    const message = {
      message_id: bot.nextMessageId(chat.id),
      from,
      chat,
      date: Math.floor(this.now() / 1000),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...content,
    } as Message;
    bot.storeMessage(message, false);
    return bot.updates.push({ message } as Omit<Update, 'update_id'>);
  }

  private bot(token: string): BotState {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`TelegramEmulator: no bot with token ${token}`);
    return bot;
  }

  private botsFor(token: string | undefined): BotState[] {
    return token === undefined ? [...this.bots.values()] : [this.bot(token)];
  }

  private recordSent(message: Message, meta: Omit<SentMessageMeta, 'seq'>): SentMessage {
    const sent = { ...message, ...meta, seq: this.sent.length + 1 } as SentMessage;
    this.sent.push(sent);
    const waiter = this.messageWaiters.find((w) => w.match(sent));
    if (waiter) {
      this.messageWaiters = this.messageWaiters.filter((w) => w !== waiter);
      waiter.resolve(sent);
    }
    return sent;
  }

  // ---- internals: HTTP -----------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const api = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (api) return this.handleApi(req, res, decodeURIComponent(api[1] ?? ''), api[2] ?? '', url.searchParams);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.handleDownload(req, res, decodeURIComponent(file[1] ?? ''), decodeURIComponent(file[2] ?? ''));
    req.resume();
    reply(res, 404, botApiErrors.notFound().body);
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, token: string, requested: string, query: URLSearchParams): Promise<void> {
    const call = this.newCall(token, requested);
    const failure = this.takeFailure(token, call.method);
    if (failure?.kind === 'network') return this.drop(req, call, failure.kind);

    let body: Buffer;
    try {
      body = await readBody(req, this.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) return this.answer(res, call, new BotApiError(413, 'Request Entity Too Large'));
      return this.finish(call, 0, { clientClosed: true });
    }
    if (failure?.kind === 'http500') return this.answer(res, call, botApiErrors.internal(), failure.kind);

    let raw: RawRequest | undefined;
    let unreadable: unknown;
    try {
      raw = readParams(req.headers['content-type'] ?? '', body, query);
      call.params = raw.params;
      call.transport = raw.transport;
      call.files = [...raw.files.values()].map((f) => ({ field: f.field, filename: f.filename, contentType: f.contentType, size: f.bytes.length }));
    } catch (err) {
      unreadable = err;
    }
    const bot = this.bots.get(token);
    if (!bot) return this.answer(res, call, botApiErrors.unauthorized());
    if (!raw) return this.answer(res, call, unreadable);
    const outcome = await this.execute(bot, call.method, raw, res);
    if (res.writableEnded || res.destroyed) {
      if (call.status === null) this.finish(call, 0, { clientClosed: true, ...outcome });
      return;
    }
    if (failure?.kind === 'lost-response') {
      res.socket?.destroy();
      return this.finish(call, 0, { fault: failure.kind, ...outcome });
    }
    reply(res, outcome.status, outcome.body);
    this.finish(call, outcome.status, outcome);
  }

  private newCall(token: string, requested: string, extra: Partial<ApiCall> = {}): ApiCall {
    const call: ApiCall = {
      seq: ++this.seq,
      token,
      method: METHOD_BY_LOWER_NAME.get(requested.toLowerCase()) ?? requested,
      params: {},
      files: [],
      transport: 'query',
      at: this.now(),
      status: null,
      ...extra,
    };
    this.calls.push(call);
    return call;
  }

  /** Runs one method for `bot`. With `res`, the client's going away ends a long poll early. */
  private async execute(bot: BotState, method: string, raw: RawRequest, res: ServerResponse | null): Promise<Outcome> {
    const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    let outcome: Outcome;
    if (!handler) {
      const e = botApiErrors.methodNotFound();
      outcome = { status: e.status, body: e.body, ok: false, error: e.body };
    } else {
      try {
        const ctx: MethodContext = {
          bot,
          p: new Params(raw.params, raw.files),
          now: this.now,
          onClose: (cb) => res?.on('close', () => !res.writableFinished && cb()),
          recordSent: (message, meta) => this.recordSent(message, meta),
          settings: this.settings,
        };
        const value = await handler(ctx);
        const result = value instanceof Described ? value.result : value;
        const body = value instanceof Described ? { ok: true, result, description: value.description } : { ok: true, result };
        outcome = { status: 200, body, ok: true, result };
      } catch (err) {
        const e = err instanceof BotApiError ? err : botApiErrors.internal();
        if (!(err instanceof BotApiError)) console.error(`TelegramEmulator: ${method} failed`, err);
        outcome = { status: e.status, body: e.body, ok: false, error: e.body };
      }
    }
    return outcome;
  }

  private async handleDownload(req: IncomingMessage, res: ServerResponse, token: string, filePath: string): Promise<void> {
    const call = this.newCall(token, 'download', { params: { file_path: filePath } });
    const failure = this.takeFailure(token, 'download');
    if (failure?.kind === 'network') return this.drop(req, call, failure.kind);
    req.resume();
    if (failure?.kind === 'http500') return this.answer(res, call, botApiErrors.internal(), failure.kind);
    const bot = this.bots.get(token);
    if (!bot) return this.answer(res, call, botApiErrors.unauthorized());
    const file = bot.files.atPath(filePath);
    if (!file) return this.answer(res, call, botApiErrors.notFound());
    if (failure?.kind === 'lost-response') {
      req.socket.destroy();
      return this.finish(call, 0, { fault: failure.kind, ok: true });
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
    this.finish(call, 200, { ok: true, result: { bytes: file.bytes.length } });
  }

  private takeFailure(token: string, method: string): PendingFailure | undefined {
    const i = this.failures.findIndex((f) => (f.token === null || f.token === token) && (f.methods === null || f.methods.has(method.toLowerCase())));
    if (i < 0) return undefined;
    return this.failures.splice(i, 1)[0];
  }

  private drop(req: IncomingMessage, call: ApiCall, fault: FailureKind): void {
    req.socket.destroy();
    this.finish(call, 0, { fault });
  }

  private answer(res: ServerResponse, call: ApiCall, err: unknown, fault?: FailureKind): void {
    const e = err instanceof BotApiError ? err : botApiErrors.internal();
    reply(res, e.status, e.body);
    this.finish(call, e.status, { ok: false, error: e.body, ...(fault ? { fault } : {}) });
  }

  private finish(call: ApiCall, status: number, details: Partial<Pick<ApiCall, 'ok' | 'result' | 'error' | 'fault' | 'clientClosed'>>): void {
    call.status = status;
    if (details.ok !== undefined) call.ok = details.ok;
    if ('result' in details) call.result = details.result;
    if (details.error) call.error = details.error;
    if (details.fault) call.fault = details.fault;
    if (details.clientClosed) call.clientClosed = true;
    const waiter = this.callWaiters.find((w) => w.match(call));
    if (waiter) {
      this.callWaiters = this.callWaiters.filter((w) => w !== waiter);
      waiter.resolve(call);
    }
  }
}

function captionOf(caption: string | undefined): Partial<Message> {
  if (caption === undefined || caption === '') return {};
  const entities = detectEntities(caption);
  return { caption, ...(entities.length > 0 ? { caption_entities: entities } : {}) };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, JSON_HEADERS);
  res.end(JSON.stringify(body));
}

class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('client aborted')));
  });
}
