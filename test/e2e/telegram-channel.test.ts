// The Telegram channel end to end: the real bot code over HTTP against the Bot API emulator,
// on the real Postgres. Polling and webhook; stored once, answered once; secrets; a database
// that goes away during a webhook.
import { serve, type ServerType } from '@hono/node-server';
import type { RunnerHandle } from '@grammyjs/runner';
import { and, count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../bots/telegram/create-telegram-bot.ts';
import { startPolling } from '../../bots/telegram/polling.ts';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { createDb, type DbHandle } from '../../db/client.ts';
import { contactIdentities, inboundMessages, outboxMessages, timelineEntries, users } from '../../db/schema/index.ts';
import { systemActor } from '../../src/crm/actor.ts';
import { createStaffInvite } from '../../src/crm/invites.ts';
import { createUser } from '../../src/crm/users.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createHttpMetrics } from '../../src/http/metrics.ts';
import { createInProcessJobs } from '../../src/jobs/in-process-driver.ts';
import { createDeliverer, type Deliverer } from '../../src/messaging/deliverer.ts';
import { freePort } from '../support/spawn-chatcrm.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { waitFor } from '../support/wait-for.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const TOKEN = '777001:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const WEBHOOK_TOKEN = '777002:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const SECRET = 'webhook-secret-123';
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const until = <T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000) => waitFor(probe, timeoutMs);

describe('Telegram channel through the Bot API emulator', () => {
  let t: TestDb;
  let emu: TelegramEmulator;
  let apiRoot: string;

  beforeAll(async () => {
    t = await createTestPostgres('telegram');
    emu = new TelegramEmulator({
      bots: [
        { token: TOKEN, username: 'chatcrm_polling_bot' },
        { token: WEBHOOK_TOKEN, username: 'chatcrm_webhook_bot' },
      ],
    });
    ({ apiRoot } = await emu.start());
  }, 60_000);
  afterAll(async () => {
    await emu?.stop();
    await t?.drop();
  });

  const inboundCount = async (account: string) =>
    (await t.db.select({ n: count() }).from(inboundMessages).where(eq(inboundMessages.account, account)))[0]!.n;

  describe('polling', () => {
    let runner: RunnerHandle;
    let deliverer: Deliverer;

    beforeAll(async () => {
      deliverer = createDeliverer({ db: t.db, sender: createTelegramSender({ token: TOKEN, apiRoot }), logger: silent, pollMs: 50 });
      await deliverer.start();
      const bot = createTelegramBot({ db: t.db, token: TOKEN, apiRoot, deliverer, logger: silent, mode: 'polling' });
      runner = await startPolling(bot);
    }, 30_000);
    afterAll(async () => {
      if (runner?.isRunning()) await runner.stop();
      await deliverer?.stop();
    });

    it('a customer message is stored once, becomes a contact, and is answered in Russian', async () => {
      await emu.userSends(TOKEN, { from: { id: 5001, first_name: 'Пётр', last_name: 'Сидоров' }, text: 'Нужен трактор МТЗ-82' });
      const reply = await emu.waitForMessage(5001, undefined, 10_000);
      expect(reply.text).toBe('Спасибо, сообщение получено. Менеджер скоро ответит.');
      const [identity] = await t.db.select().from(contactIdentities).where(and(eq(contactIdentities.channel, 'telegram'), eq(contactIdentities.externalId, '5001')));
      expect(identity).toBeDefined();
      const stored = await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '5001'));
      expect(stored).toHaveLength(1);
      expect(stored[0]!.contactId).toBe(identity!.contactId);
      expect(stored[0]!.text).toBe('Нужен трактор МТЗ-82');
      await until(async () => (await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '5001')))[0]?.processedAt);
      const [out] = await t.db.select().from(outboxMessages).where(eq(outboxMessages.chatId, '5001'));
      expect(out!.status).toBe('sent');
      expect(out!.platformMessageId).toBe(String(reply.message_id));
      const timeline = await t.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'contact'), eq(timelineEntries.entityId, identity!.contactId)));
      expect(timeline.map((e) => e.kind)).toContain('message');
    });

    it('an English-speaking customer is answered in English', async () => {
      await emu.userSends(TOKEN, { from: { id: 5002, first_name: 'John', language_code: 'en' }, text: 'Hello, I need a truck' });
      const reply = await emu.waitForMessage(5002, undefined, 10_000);
      expect(reply.text).toBe('Thank you, your message is received. A manager will answer soon.');
    });

    it('an update delivered three times is stored once and answered once', async () => {
      const update = emu.userSends(TOKEN, { from: { id: 5003, first_name: 'Анна' }, text: 'Сколько стоит доставка?' });
      await emu.waitForMessage(5003, undefined, 10_000);
      await emu.redeliver(TOKEN, update.update_id);
      await emu.redeliver(TOKEN, update.update_id);
      await sleep(1500);
      expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '5003'))).toHaveLength(1);
      expect(emu.sentMessages(5003)).toHaveLength(1);
    });

    it('a document is recorded with its file id, name, size and type, and acknowledged', async () => {
      await emu.userSendsDocument(TOKEN, { from: { id: 5004, first_name: 'Олег' }, fileName: 'Реквизиты.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 test') });
      const reply = await emu.waitForMessage(5004, undefined, 10_000);
      expect(reply.text).toBe('Файл «Реквизиты.pdf» получен, спасибо.');
      const [row] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '5004'));
      expect(row!.kind).toBe('document');
      const file = (row!.payload as { message: { file: { fileId: string; name: string; size: number; mime: string } } }).message.file;
      expect(file).toMatchObject({ name: 'Реквизиты.pdf', size: 13, mime: 'application/pdf' });
      expect(file.fileId.length).toBeGreaterThan(5);
    });

    it('a 10,000-character message is stored whole', async () => {
      const text = 'Груз: '.concat('паллеты, '.repeat(1200)).slice(0, 10_000);
      await emu.userSends(TOKEN, { from: { id: 5005, first_name: 'Ира' }, text });
      await emu.waitForMessage(5005, undefined, 10_000);
      const [row] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '5005'));
      expect(row!.text).toHaveLength(10_000);
      expect(row!.text).toBe(text);
    });

    it('staff link their Telegram with an invite code; a wrong code and an unknown command get clear answers', async () => {
      const manager = await createUser(t.db, systemActor, { name: 'Мария Менеджер', roles: ['manager'] });
      const { code } = await createStaffInvite(t.db, systemActor, manager.id);
      await emu.userSends(TOKEN, { from: { id: 5006, first_name: 'Мария' }, text: '/start wrong-code' });
      expect((await emu.waitForMessage(5006, undefined, 10_000)).text).toMatch(/^Код приглашения не подошел/);
      await emu.userSends(TOKEN, { from: { id: 5006, first_name: 'Мария' }, text: `/start ${code}` });
      expect((await emu.waitForMessage(5006, undefined, 10_000)).text).toMatch(/^Готово, Мария Менеджер/);
      const [linked] = await t.db.select().from(users).where(eq(users.id, manager.id));
      expect(linked!.telegramUserId).toBe(5006);
      await emu.userSends(TOKEN, { from: { id: 5006, first_name: 'Мария' }, text: '/teleport' });
      expect((await emu.waitForMessage(5006, undefined, 10_000)).text).toMatch(/^Такой команды нет/);
      await emu.userSends(TOKEN, { from: { id: 5006, first_name: 'Мария' }, text: `/start ${code}` });
      expect((await emu.waitForMessage(5006, undefined, 10_000)).text).toMatch(/^Мария Менеджер, вы в системе/);
    });
  });

  describe('webhook', () => {
    let server: ServerType;
    let port: number;
    let proxy: TcpProxy;
    let viaProxy: DbHandle;
    let deliverer: Deliverer;

    beforeAll(async () => {
      // The bot's database goes through a proxy the test can cut, as if Postgres stopped.
      proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
      const url = new URL(t.url!);
      url.port = String(proxy.port);
      viaProxy = await createDb({ DATABASE_URL: url.toString(), DATA_DIR: '', poolSize: 4 });
      deliverer = createDeliverer({ db: viaProxy.db, sender: createTelegramSender({ token: WEBHOOK_TOKEN, apiRoot }), logger: silent, pollMs: 50 });
      const bot = createTelegramBot({ db: viaProxy.db, token: WEBHOOK_TOKEN, apiRoot, deliverer, logger: silent, mode: 'webhook' });
      await bot.init();
      const app = createHttpApp({
        dbHandle: viaProxy,
        jobs: createInProcessJobs({ logger: silent }),
        config: { ADMIN_TOKEN: undefined },
        logger: silent,
        metrics: createHttpMetrics(),
        webhooks: { telegram: { bot, secretToken: SECRET } },
      });
      port = await freePort();
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
      });
      await bot.api.setWebhook(`http://127.0.0.1:${port}/webhooks/telegram`, { secret_token: SECRET });
    }, 30_000);
    afterAll(async () => {
      await new Promise<void>((r) => server?.close(() => r()));
      await viaProxy?.close();
      await proxy?.close();
    });

    it('a webhook update is stored once and answered on Telegram', async () => {
      const update = emu.userSends(WEBHOOK_TOKEN, { from: { id: 6001, first_name: 'Семён' }, text: 'Добрый день' });
      // 2xx once the update is stored: by then its row is there.
      await until(async () => emu.webhookDeliveries(WEBHOOK_TOKEN).some((d) => d.updateId === update.update_id && d.status === 200));
      expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '6001'))).toHaveLength(1);
      expect((await emu.waitForMessage(6001, undefined, 10_000)).text).toBe('Спасибо, сообщение получено. Менеджер скоро ответит.');
      // Marked processed once the reply is recorded.
      const row = await until(async () => (await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '6001'))).find((r) => r.processedAt));
      expect(row.contactId).not.toBeNull();
    });

    it('the same update posted three times at once is stored once and answered once', async () => {
      const update = { update_id: 990101, message: { message_id: 7, date: Math.floor(Date.now() / 1000), chat: { id: 6011, type: 'private', first_name: 'Ян' }, from: { id: 6011, is_bot: false, first_name: 'Ян' }, text: 'Нужен кран' } };
      const post = () =>
        fetch(`http://127.0.0.1:${port}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
      const statuses = (await Promise.all([post(), post(), post()])).map((r) => r.status);
      expect(statuses).toEqual([200, 200, 200]);
      await emu.waitForMessage(6011, undefined, 10_000);
      await until(async () => (await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '6011'))).find((r) => r.processedAt));
      await sleep(300);
      expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '6011'))).toHaveLength(1);
      expect(emu.sentMessages(6011)).toHaveLength(1);
      expect(await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, '6011'))).toHaveLength(1);
    });

    it('a malformed body gets 400 and nothing is stored', async () => {
      const before = await inboundCount('777002');
      const post = (body: string) =>
        fetch(`http://127.0.0.1:${port}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body });
      expect((await post('{"update_id": 5, "message": {')).status).toBe(400);
      expect((await post('{"hello": "world"}')).status).toBe(400);
      expect(await inboundCount('777002')).toBe(before);
    });

    it('a missing or wrong secret gets 401 and nothing is stored', async () => {
      const before = await inboundCount('777002');
      const update = { update_id: 990001, message: { message_id: 1, date: 1_795_000_000, chat: { id: 6002, type: 'private', first_name: 'X' }, from: { id: 6002, is_bot: false, first_name: 'X' }, text: 'hi' } };
      const post = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${port}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'guess' })).status).toBe(401);
      expect(await inboundCount('777002')).toBe(before);
      expect(emu.sentMessages(6002)).toHaveLength(0);
    });

    it('Postgres unreachable during a webhook: 5xx; once it is back, the redelivered update is processed', async () => {
      proxy.cut();
      const update = emu.userSends(WEBHOOK_TOKEN, { from: { id: 6003, first_name: 'Яков' }, text: 'заявка на перевозку' });
      const failed = await until(async () => emu.webhookDeliveries(WEBHOOK_TOKEN).find((d) => d.updateId === update.update_id && d.status >= 500), 10_000);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '6003'))).toHaveLength(0);
      proxy.restore();
      expect((await emu.waitForMessage(6003, undefined, 15_000)).text).toBe('Спасибо, сообщение получено. Менеджер скоро ответит.');
      expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '6003'))).toHaveLength(1);
      // The reply goes out while the webhook request is still being handled; its 200 follows.
      await until(async () => emu.webhookDeliveries(WEBHOOK_TOKEN).some((d) => d.updateId === update.update_id && d.status === 200));
      expect(emu.webhookDeliveries(WEBHOOK_TOKEN).filter((d) => d.updateId === update.update_id && d.status === 200)).toHaveLength(1);
    }, 30_000);
  });
});
