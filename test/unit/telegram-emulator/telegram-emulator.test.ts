// The Telegram Bot API emulator driven by real grammY over HTTP: if grammY, which is
// written against api.telegram.org, works unchanged against it, the protocol holds.
import { serve, type ServerType } from '@hono/node-server';
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile, webhookCallback } from 'grammy';
import type { Update } from 'grammy/types';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';

const TOKEN = '123456:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const OTHER_TOKEN = '654321:TEST-TOKEN-ZYXWVUTSRQPONMLKJIHGF';
const SECRET = 'hook-secret_42';
const alice = { id: 1001, first_name: 'Alice', language_code: 'en' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** A 2×1 PNG: enough for Telegram (and the emulator) to read dimensions from. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000002000000010806000000f478d4fa0000000d49444154789c63f8cfc0f01f0005000201e6d6c1c00000000049454e44ae426082',
  'hex',
);

let emu: TelegramEmulator;
let apiRoot: string;
const bots: Bot[] = [];

function newBot(token = TOKEN): Bot {
  const bot = new Bot(token, { client: { apiRoot } });
  bots.push(bot);
  return bot;
}

/** Starts grammY's built-in long polling and resolves once it is receiving. */
async function startPolling(bot: Bot): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    bot.start({ onStart: () => resolve() }).catch(reject);
  });
}

async function apiError(p: Promise<unknown>): Promise<GrammyError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  emu = new TelegramEmulator({
    bots: [
      { token: TOKEN, username: 'chatcrm_test_bot', firstName: 'ChatCRM' },
      { token: OTHER_TOKEN, username: 'chatcrm_other_bot' },
    ],
    webhookRetry: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  ({ apiRoot } = await emu.start());
});

afterAll(async () => {
  await emu.stop();
});

beforeEach(() => emu.reset());

afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => (b.isRunning() ? b.stop() : undefined)));
});

describe('identity and errors', () => {
  it('getMe describes the bot the token belongs to', async () => {
    const me = await newBot().api.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, first_name: 'ChatCRM', username: 'chatcrm_test_bot' });
    expect(emu.calls.at(-1)).toMatchObject({ method: 'getMe', status: 200, ok: true, transport: 'json' });
  });

  it('a wrong token is 401 Unauthorized', async () => {
    const err = await apiError(new Bot('999999:WRONG-TOKEN', { client: { apiRoot } }).api.getMe());
    expect(err.error_code).toBe(401);
    expect(err.description).toBe('Unauthorized');
  });

  it('an unknown method is 404, with Telegram body; method names are case-insensitive', async () => {
    const res = await fetch(`${apiRoot}/bot${TOKEN}/sendTelepathy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    expect((await fetch(`${apiRoot}/bot${TOKEN}/constructor`)).status).toBe(404);
    const me = await fetch(`${apiRoot}/bot${TOKEN}/GETME`);
    expect(((await me.json()) as { result: { username: string } }).result.username).toBe('chatcrm_test_bot');
  });

  it('takes parameters as a query string and as a urlencoded form, JSON-valued ones as text', async () => {
    const viaQuery = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage?chat_id=77&text=${encodeURIComponent('from the query')}`);
    expect(((await viaQuery.json()) as { result: { text: string; chat: { id: number } } }).result).toMatchObject({ text: 'from the query', chat: { id: 77 } });
    await sleep(1000); // one message per second to a private chat
    const form = new URLSearchParams({ chat_id: '77', text: 'from a form', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] }) });
    const viaForm = await fetch(`${apiRoot}/bot${TOKEN}/sendMessage`, { method: 'POST', body: form });
    const body = (await viaForm.json()) as { ok: boolean; result: { message_id: number; reply_markup: unknown } };
    expect(body.ok).toBe(true);
    expect(body.result.message_id).toBe(2);
    expect(body.result.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] });
    expect(emu.calls.filter((c) => c.method === 'sendMessage').map((c) => c.transport)).toEqual(['query', 'form']);
  });
});

describe('long polling', () => {
  it('bot.start() receives a pushed text update and its reply is recorded', async () => {
    const bot = newBot();
    const seen: Update[] = [];
    bot.command('start', (ctx) => ctx.reply(`Welcome, ${ctx.from?.first_name}! Payload: ${ctx.match}`));
    bot.on('message:text', (ctx) => {
      seen.push(ctx.update);
      return ctx.reply(`echo: ${ctx.message.text}`, { reply_parameters: { message_id: ctx.message.message_id } });
    });
    await startPolling(bot);

    const first = emu.userSends(TOKEN, { from: alice, text: '/start ref-7' });
    expect(first.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const welcome = await emu.waitForMessage(alice.id);
    expect(welcome.text).toBe('Welcome, Alice! Payload: ref-7');

    await sleep(1000); // the bot may send one message per second to this chat
    const second = emu.userSends(TOKEN, { from: alice, text: 'hello there' });
    expect(second.update_id).toBe(first.update_id + 1);
    const echo = await emu.waitForMessage(alice.id);
    expect(echo).toMatchObject({
      message_id: 4,
      text: 'echo: hello there',
      from: { id: 123456, is_bot: true, username: 'chatcrm_test_bot' },
      chat: { id: 1001, type: 'private', first_name: 'Alice' },
      reply_to_message: { message_id: 3, text: 'hello there' },
    });
    expect(seen.map((u) => u.update_id)).toEqual([second.update_id]);
    const call = await emu.waitForCall((c) => c.method === 'sendMessage' && c.params.text === 'echo: hello there');
    expect(call).toMatchObject({ status: 200, ok: true, params: { chat_id: 1001, reply_parameters: { message_id: 3 } } });

    await bot.stop();
    expect(emu.pendingUpdateCount(TOKEN)).toBe(0);
  });

  it('redeliver hands the same update_id to the bot again', async () => {
    const bot = newBot();
    const ids: number[] = [];
    bot.on('message', (ctx) => {
      ids.push(ctx.update.update_id);
    });
    await startPolling(bot);
    const u = emu.userSends(TOKEN, { from: alice, text: 'once' });
    await emu.waitForCall((c) => c.method === 'getUpdates' && Array.isArray(c.result) && c.result.length === 1);
    emu.redeliver(TOKEN, u.update_id);
    const later = emu.userSends(TOKEN, { from: alice, text: 'later' });
    await until(() => ids.length === 3);
    expect(ids).toEqual([u.update_id, u.update_id, later.update_id]);
    await bot.stop();
    expect(emu.pendingUpdateCount(TOKEN)).toBe(0);
  });

  it('offset confirms updates, negative offset keeps the newest, a second poller ends the first with 409', async () => {
    const bot = newBot();
    const a = emu.userSends(TOKEN, { from: alice, text: 'a' });
    const b = emu.userSends(TOKEN, { from: alice, text: 'b' });
    const c = emu.userSends(TOKEN, { from: alice, text: 'c' });
    expect((await bot.api.getUpdates({ limit: 2 })).map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);
    expect((await bot.api.getUpdates({ offset: b.update_id + 1 })).map((u) => u.update_id)).toEqual([c.update_id]);
    const d = emu.userSends(TOKEN, { from: alice, text: 'd' });
    expect((await bot.api.getUpdates({ offset: -1 })).map((u) => u.update_id)).toEqual([d.update_id]);
    expect(emu.pendingUpdateCount(TOKEN)).toBe(1);

    const held = bot.api.getUpdates({ offset: d.update_id + 1, timeout: 10 });
    await until(() => emu.calls.some((x) => x.method === 'getUpdates' && x.status === null));
    const second = bot.api.getUpdates({ offset: d.update_id + 1, timeout: 0 });
    const conflict = await apiError(held);
    expect(conflict.error_code).toBe(409);
    expect(conflict.description).toBe('Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    expect(await second).toEqual([]);
  });

  it('a long poll is held until an update arrives', async () => {
    const bot = newBot();
    const started = Date.now();
    const poll = bot.api.getUpdates({ timeout: 5 });
    await sleep(300);
    const u = emu.userSends(TOKEN, { from: alice, text: 'wake up' });
    const got = await poll;
    expect(got.map((x) => x.update_id)).toEqual([u.update_id]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('webhook', () => {
  let server: ServerType;
  let hookUrl: string;
  let attempts: { secret: string | undefined; updateId: number }[];
  let failFirst: number;
  let hookBot: Bot;

  beforeAll(async () => {
    hookBot = new Bot(TOKEN, { client: { apiRoot } });
    hookBot.on('message:text', (ctx) => ctx.reply(`hooked: ${ctx.message.text}`));
    await hookBot.init();
    const handle = webhookCallback(hookBot, 'hono', { secretToken: SECRET });
    const app = new Hono();
    app.post('/hook', async (c) => {
      const update = (await c.req.raw.clone().json()) as Update;
      attempts.push({ secret: c.req.header('x-telegram-bot-api-secret-token'), updateId: update.update_id });
      if (failFirst > 0) {
        failFirst -= 1;
        return c.text('database is down', 500);
      }
      return handle(c);
    });
    app.post('/reply-hook', async (c) => {
      const update = (await c.req.json()) as Update;
      return c.json({ method: 'sendMessage', chat_id: update.message?.chat.id, text: 'answered in the webhook reply' });
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  beforeEach(() => {
    attempts = [];
    failFirst = 0;
  });

  it('posts updates with the secret header, redelivers after a 500, and the bot answers', async () => {
    const api = newBot().api;
    expect(await api.setWebhook(`${hookUrl}/hook`, { secret_token: SECRET })).toBe(true);
    const conflict = await apiError(api.getUpdates());
    expect(conflict.error_code).toBe(409);
    expect(conflict.description).toBe("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");

    failFirst = 1;
    const u = emu.userSends(TOKEN, { from: alice, text: 'via webhook' });
    const answer = await emu.waitForMessage(alice.id);
    expect(answer.text).toBe('hooked: via webhook');
    await emu.waitForWebhookIdle(TOKEN);
    expect(attempts).toEqual([
      { secret: SECRET, updateId: u.update_id },
      { secret: SECRET, updateId: u.update_id },
    ]);
    expect(emu.webhookDeliveries(TOKEN).map((d) => d.status)).toEqual([500, 200]);
    const info = await api.getWebhookInfo();
    expect(info).toMatchObject({ url: `${hookUrl}/hook`, pending_update_count: 0, has_custom_certificate: false, max_connections: 40 });

    expect(await api.deleteWebhook()).toBe(true);
    expect(await api.getUpdates({ timeout: 0 })).toEqual([]);
  });

  it('a wrong secret is turned away by the app and the update is retried until the secret is fixed', async () => {
    const api = newBot().api;
    await api.setWebhook(`${hookUrl}/hook`, { secret_token: 'not-the-secret' });
    const u = emu.userSends(TOKEN, { from: alice, text: 'knock knock' });
    await until(() => emu.webhookDeliveries(TOKEN).filter((d) => d.done).length >= 2);
    expect(emu.webhookDeliveries(TOKEN).slice(0, 2).map((d) => [d.updateId, d.status, d.secretToken])).toEqual([
      [u.update_id, 401, 'not-the-secret'],
      [u.update_id, 401, 'not-the-secret'],
    ]);
    expect((await api.getWebhookInfo()).last_error_message).toBe('Wrong response from the webhook: 401 Unauthorized');
    expect(emu.pendingUpdateCount(TOKEN)).toBe(1);

    await api.setWebhook(`${hookUrl}/hook`, { secret_token: SECRET });
    expect((await emu.waitForMessage(alice.id)).text).toBe('hooked: knock knock');
    await emu.waitForWebhookIdle(TOKEN);
    expect(emu.webhookDeliveries(TOKEN).at(-1)).toMatchObject({ updateId: u.update_id, status: 200, secretToken: SECRET });
    expect(emu.pendingUpdateCount(TOKEN)).toBe(0);
  });

  it('keeps order: a later update waits until the failing one is accepted', async () => {
    const api = newBot().api;
    await api.setWebhook(`${hookUrl}/hook`, { secret_token: SECRET });
    failFirst = 3;
    const first = emu.userSends(TOKEN, { from: alice, text: 'first' });
    const second = emu.userSends(TOKEN, { from: { id: 1002, first_name: 'Bob' }, text: 'second' });
    await emu.waitForMessage(1002);
    expect(attempts.map((a) => a.updateId)).toEqual([first.update_id, first.update_id, first.update_id, first.update_id, second.update_id]);
    expect(emu.sentMessages().map((m) => m.text)).toEqual(['hooked: first', 'hooked: second']);
  });

  it('executes a method call returned in the webhook answer', async () => {
    const api = newBot().api;
    await api.setWebhook(`${hookUrl}/reply-hook`);
    emu.userSends(TOKEN, { from: alice, text: 'hi' });
    const msg = await emu.waitForMessage(alice.id);
    expect(msg.text).toBe('answered in the webhook reply');
    expect(await emu.waitForCall((c) => c.method === 'sendMessage')).toMatchObject({ transport: 'webhook-reply', status: 200, params: { chat_id: alice.id } });
    expect(emu.webhookDeliveries(TOKEN)[0]?.secretToken).toBeNull();
  });
});

describe('flood limits', () => {
  it('more than 30 messages a second: 429 with retry_after; with auto-retry every message gets through', async () => {
    const api = newBot().api;
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api.sendMessage(2000 + i, `broadcast ${i}`).then(
          () => 'ok' as const,
          (e: unknown) => e,
        ),
      ),
    );
    const refused = outcomes.filter((o): o is GrammyError => o instanceof GrammyError);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(30);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length + outcomes.filter((o) => o === 'ok').length).toBe(40);
    expect(refused[0]).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const raw429 = emu.calls.find((c) => c.status === 429);
    expect(raw429?.error).toEqual({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });

    const patient = newBot();
    patient.api.config.use(autoRetry());
    const before = emu.calls.filter((c) => c.status === 429).length;
    const sent = await Promise.all(Array.from({ length: 40 }, (_, i) => patient.api.sendMessage(3000 + i, `retry ${i}`)));
    expect(sent.map((m) => m.chat.id)).toEqual(Array.from({ length: 40 }, (_, i) => 3000 + i));
    expect(emu.calls.filter((c) => c.status === 429).length).toBeGreaterThan(before);
    expect(emu.sentMessages().filter((m) => m.text?.startsWith('retry ')).length).toBe(40);
  });

  it('one message per second to a private chat', async () => {
    const api = newBot().api;
    await api.sendMessage(55, 'one');
    const err = await apiError(api.sendMessage(55, 'two'));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(1);
    await api.sendMessage(56, 'another chat is fine');
    await sleep(1000);
    expect((await api.sendMessage(55, 'three')).message_id).toBe(2);
    expect(emu.sentMessages(55).map((m) => m.text)).toEqual(['one', 'three']);
  });

  it('twenty messages a minute to a group', async () => {
    const api = newBot().api;
    for (let i = 1; i <= 20; i++) await api.sendMessage(-1001234567890, `group ${i}`);
    const err = await apiError(api.sendMessage(-1001234567890, 'group 21'));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBe(60);
    expect(emu.sentMessages(-1001234567890)).toHaveLength(20);
    expect(emu.sentMessages(-1001234567890)[0]?.chat).toEqual({ id: -1001234567890, type: 'supergroup', title: 'Group -1001234567890' });
  });

  it('limits are per bot and configurable', async () => {
    const a = newBot().api;
    const b = newBot(OTHER_TOKEN).api;
    await a.sendMessage(70, 'from a');
    await b.sendMessage(70, 'from b');
    emu.configureLimits({ enabled: false }, TOKEN);
    await a.sendMessage(70, 'no limit now');
    expect(emu.sentMessages(70).map((m) => [m.token, m.text])).toEqual([
      [TOKEN, 'from a'],
      [OTHER_TOKEN, 'from b'],
      [TOKEN, 'no limit now'],
    ]);
    emu.configureLimits({ enabled: true }, TOKEN);
  });
});

describe('messages', () => {
  it('4096 characters pass, 4097 are refused', async () => {
    const api = newBot().api;
    expect((await api.sendMessage(80, 'x'.repeat(4096))).text).toHaveLength(4096);
    const err = await apiError(api.sendMessage(81, 'x'.repeat(4097)));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe('Bad Request: message is too long');
    expect(await apiError(api.sendMessage(82, '   '))).toMatchObject({ error_code: 400, description: 'Bad Request: message text is empty' });
  });

  it('a blocked user: 403, nothing sent', async () => {
    const api = newBot().api;
    emu.blockChat(90);
    const err = await apiError(api.sendMessage(90, 'are you there?'));
    expect(err.error_code).toBe(403);
    expect(err.description).toBe('Forbidden: bot was blocked by the user');
    expect(emu.sentMessages(90)).toEqual([]);
    emu.unblockChat(90);
    expect((await api.sendMessage(90, 'back')).text).toBe('back');
  });

  it('a user who blocks the bot: 403 from then on, and the bot gets my_chat_member member → kicked; unblocking reverses both', async () => {
    const bot = newBot();
    const user = { id: 91, first_name: 'Ира' };
    const blocked = emu.userBlocksBot(TOKEN, user);
    expect(blocked.my_chat_member).toMatchObject({
      chat: { id: 91, type: 'private' },
      from: { id: 91, is_bot: false },
      old_chat_member: { status: 'member', user: { is_bot: true } },
      new_chat_member: { status: 'kicked', until_date: 0, user: { is_bot: true } },
    });
    expect((await apiError(bot.api.sendMessage(91, 'x'))).error_code).toBe(403);
    const unblocked = emu.userUnblocksBot(TOKEN, user);
    expect(unblocked.my_chat_member).toMatchObject({ old_chat_member: { status: 'kicked' }, new_chat_member: { status: 'member' } });
    expect((await bot.api.getUpdates({ allowed_updates: ['my_chat_member'] })).map((u) => u.update_id)).toEqual([blocked.update_id, unblocked.update_id]);
    expect((await bot.api.sendMessage(91, 'back')).text).toBe('back');
  });

  it('parse_mode: HTML and MarkdownV2 become text and entities; bad markup is refused', async () => {
    const api = newBot().api;
    const html = await api.sendMessage(100, '<b>Deal</b> #42 &amp; <a href="https://example.com/d/42">card</a>', { parse_mode: 'HTML' });
    expect(html.text).toBe('Deal #42 & card');
    expect(html.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'text_link', offset: 11, length: 4, url: 'https://example.com/d/42' },
    ]);
    const md = await api.sendMessage(101, '*Price* 1\\.5 _mln_', { parse_mode: 'MarkdownV2' });
    expect(md.text).toBe('Price 1.5 mln');
    expect(md.entities).toEqual([
      { type: 'bold', offset: 0, length: 5 },
      { type: 'italic', offset: 10, length: 3 },
    ]);
    const err = await apiError(api.sendMessage(102, 'Price 1.5', { parse_mode: 'MarkdownV2' }));
    expect(err.description).toBe("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    expect((await apiError(api.sendMessage(103, '<b>open', { parse_mode: 'HTML' }))).description).toMatch(/^Bad Request: can't parse entities: /);
  });

  it('keyboards: callback_data over 64 bytes is refused; replies need the replied message', async () => {
    const api = newBot().api;
    const long = new InlineKeyboard().text('Too long', 'x'.repeat(65));
    expect((await apiError(api.sendMessage(110, 'pick', { reply_markup: long }))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const missing = await apiError(api.sendMessage(111, 'reply', { reply_parameters: { message_id: 999 } }));
    expect(missing.description).toBe('Bad Request: message to be replied not found');
    const lenient = await api.sendMessage(111, 'reply anyway', { reply_parameters: { message_id: 999, allow_sending_without_reply: true } });
    expect(lenient.reply_to_message).toBeUndefined();
    const replyKeyboard = await api.sendMessage(112, 'share your phone', { reply_markup: { keyboard: [[{ text: 'Share', request_contact: true }]], one_time_keyboard: true } });
    expect(replyKeyboard.reply_markup).toBeUndefined();
    expect(emu.sentMessages(112)[0]?.keyboard).toEqual({ keyboard: [[{ text: 'Share', request_contact: true }]], one_time_keyboard: true });
  });

  it('editMessageText, editMessageReplyMarkup and deleteMessage', async () => {
    const api = newBot().api;
    const msg = await api.sendMessage(120, 'Stage: new', { reply_markup: new InlineKeyboard().text('Advance', 'advance') });
    const edited = await api.editMessageText(120, msg.message_id, 'Stage: qualified', { reply_markup: new InlineKeyboard().text('Advance', 'advance') });
    expect(edited).toMatchObject({ message_id: msg.message_id, text: 'Stage: qualified', reply_markup: { inline_keyboard: [[{ text: 'Advance', callback_data: 'advance' }]] } });
    expect(typeof (edited as { edit_date?: number }).edit_date).toBe('number');
    const same = await apiError(api.editMessageText(120, msg.message_id, 'Stage: qualified', { reply_markup: new InlineKeyboard().text('Advance', 'advance') }));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    await api.editMessageReplyMarkup(120, msg.message_id);
    const record = emu.sentMessages(120)[0];
    expect(record).toMatchObject({ text: 'Stage: qualified', deleted: false });
    expect(record?.reply_markup).toBeUndefined();
    expect(record?.edits.map((e) => e.method)).toEqual(['editMessageText', 'editMessageReplyMarkup']);
    expect((await apiError(api.editMessageText(120, 999, 'x'))).description).toBe('Bad Request: message to edit not found');
    expect(await api.deleteMessage(120, msg.message_id)).toBe(true);
    expect(emu.sentMessages(120)[0]?.deleted).toBe(true);
    expect((await apiError(api.deleteMessage(120, msg.message_id))).description).toBe('Bad Request: message to delete not found');
  });

  it('setMyCommands / getMyCommands per scope, getChat for known chats', async () => {
    const api = newBot().api;
    await api.setMyCommands([{ command: 'deals', description: 'My deals' }]);
    await api.setMyCommands([{ command: 'report', description: 'Отчёт' }], { language_code: 'ru' });
    expect(await api.getMyCommands()).toEqual([{ command: 'deals', description: 'My deals' }]);
    expect(await api.getMyCommands({ language_code: 'ru' })).toEqual([{ command: 'report', description: 'Отчёт' }]);
    expect((await apiError(api.setMyCommands([{ command: 'Bad Command', description: 'x' }]))).description).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect((await apiError(api.getChat(4242))).description).toBe('Bad Request: chat not found');
    emu.userSends(TOKEN, { from: { id: 4242, first_name: 'Dana', username: 'dana_k' }, text: 'hi' });
    expect(await api.getChat(4242)).toMatchObject({ id: 4242, type: 'private', first_name: 'Dana', username: 'dana_k' });
    expect((await api.getChat('@dana_k')).id).toBe(4242);
  });
});

describe('files', () => {
  it('sendDocument uploads multipart; getFile and the download return the same bytes; file_id resends', async () => {
    const api = newBot().api;
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 254, 255]), Buffer.from('\r\n--not-a-boundary\r\n')]);
    const msg = await api.sendDocument(130, new InputFile(bytes, 'Счёт 17.pdf'), { caption: 'Invoice <b>17</b>', parse_mode: 'HTML' });
    expect(msg.document).toMatchObject({ file_name: 'Счёт 17.pdf', mime_type: 'application/pdf', file_size: bytes.length });
    expect(msg.caption).toBe('Invoice 17');
    expect(msg.caption_entities).toEqual([{ type: 'bold', offset: 8, length: 2 }]);
    const call = emu.calls.find((c) => c.method === 'sendDocument');
    expect(call).toMatchObject({ transport: 'multipart', params: { chat_id: '130' } });
    expect(call?.files).toEqual([expect.objectContaining({ filename: 'Счёт 17.pdf', size: bytes.length })]);

    const file = await api.getFile(msg.document!.file_id);
    expect(file).toMatchObject({ file_id: msg.document!.file_id, file_size: bytes.length });
    const res = await fetch(`${apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${apiRoot}/file/bot${OTHER_TOKEN}/${file.file_path}`)).status).toBe(404);

    const again = await api.sendDocument(131, msg.document!.file_id);
    expect(again.document?.file_unique_id).toBe(msg.document!.file_unique_id);
    expect((await apiError(api.sendDocument(132, 'BQACAgIAAxkBAAnonexistent0000000000000000'))).description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
  });

  it('sendPhoto reads the image size and refuses what is not an image', async () => {
    const api = newBot().api;
    const msg = await api.sendPhoto(140, new InputFile(PNG, 'dot.png'));
    expect(msg.photo).toEqual([expect.objectContaining({ width: 2, height: 1, file_size: PNG.length })]);
    const err = await apiError(api.sendPhoto(141, new InputFile(Buffer.from('not an image'), 'x.png')));
    expect(err.description).toBe('Bad Request: IMAGE_PROCESS_FAILED');
  });

  it('a user document reaches the bot, which can download it', async () => {
    const bot = newBot();
    const got: string[] = [];
    bot.on('message:document', async (ctx) => {
      const f = await ctx.getFile();
      const res = await fetch(`${apiRoot}/file/bot${TOKEN}/${f.file_path}`);
      got.push(`${ctx.message.document.file_name}|${ctx.message.document.mime_type}|${await res.text()}|${ctx.message.caption}`);
    });
    await startPolling(bot);
    emu.userSendsDocument(TOKEN, { from: alice, bytes: 'name;inn\nAcme;7701234567\n', fileName: 'carriers.csv', caption: 'import please' });
    await emu.waitForCall((c) => c.method === 'download' && c.status === 200);
    await sleep(20);
    expect(got).toEqual(['carriers.csv|text/csv|name;inn\nAcme;7701234567\n|import please']);
  });
});

describe('callback queries', () => {
  it('a press reaches the bot, which answers it and edits the message', async () => {
    const bot = newBot();
    bot.command('menu', (ctx) => ctx.reply('Choose a stage', { reply_markup: new InlineKeyboard().text('Won', 'stage:won').text('Lost', 'stage:lost') }));
    bot.callbackQuery(/^stage:(.+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: `Saved: ${ctx.match[1]}` });
      await ctx.editMessageText(`Stage set to ${ctx.match[1]}`);
    });
    await startPolling(bot);
    emu.userSends(TOKEN, { from: alice, text: '/menu' });
    const menu = await emu.waitForMessage(alice.id);
    expect(() => emu.userPresses(TOKEN, { from: alice, message_id: menu.message_id, data: 'stage:maybe' })).toThrow(/has no button "stage:maybe"/);

    const press = emu.userPresses(TOKEN, { from: alice, message_id: menu.message_id, data: 'stage:won' });
    expect(press.callback_query?.message?.message_id).toBe(menu.message_id);
    const queryId = press.callback_query!.id;
    await emu.waitForCall((c) => c.method === 'editMessageText');
    expect(emu.callbackAnswer(TOKEN, queryId)).toEqual({ text: 'Saved: won' });
    expect(emu.sentMessages(alice.id)[0]).toMatchObject({ message_id: menu.message_id, text: 'Stage set to won' });
    expect(emu.sentMessages(alice.id)[0]?.reply_markup).toBeUndefined();

    const twice = await apiError(bot.api.answerCallbackQuery(queryId));
    expect(twice.description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');
  });
});

describe('injected failures', () => {
  it('http500, network and lost-response failures reach grammY as Telegram outages do', async () => {
    const api = newBot().api;
    emu.failNext(1, 'http500', { method: 'sendMessage' });
    const err = await apiError(api.sendMessage(150, 'first try'));
    expect(err.error_code).toBe(500);
    expect(emu.sentMessages(150)).toEqual([]);

    emu.failNext(1, 'network', { method: 'sendMessage' });
    await expect(api.sendMessage(150, 'second try')).rejects.toBeInstanceOf(HttpError);
    expect(emu.sentMessages(150)).toEqual([]);

    emu.failNext(1, 'lost-response', { method: 'sendMessage' });
    await expect(api.sendMessage(150, 'third try')).rejects.toBeInstanceOf(HttpError);
    expect(emu.sentMessages(150).map((m) => m.text)).toEqual(['third try']);
    expect(emu.calls.filter((c) => c.method === 'sendMessage').map((c) => [c.status, c.fault])).toEqual([
      [500, 'http500'],
      [0, 'network'],
      [0, 'lost-response'],
    ]);
    expect((await api.getMe()).id).toBe(123456);
  });
});
