// The whole messenger side of the CRM for end-to-end tests: a company (preset) on a fresh
// Postgres database, the Telegram bot (long polling) against the Bot API emulator, WhatsApp on
// the Cloud API emulator, both deliverers running, staff users linked to Telegram. Platform
// send limits are lifted (they are tested on their own), so flows run at the speed of code.
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { RunnerHandle } from '@grammyjs/runner';
import { pino } from 'pino';
import { createTelegramBot } from '../../bots/telegram/create-telegram-bot.ts';
import { createI18n, translatorOf } from '../../bots/telegram/i18n.ts';
import { createStaffNotices, type StaffNotices } from '../../bots/telegram/staff-notices.ts';
import { startPolling } from '../../bots/telegram/polling.ts';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { createCloudChannel } from '../../bots/whatsapp/cloud-channel.ts';
import type { Update } from 'grammy/types';
import type { User, UserRole } from '../../db/schema/index.ts';
import { outboxMessages, users } from '../../db/schema/index.ts';
import { systemActor } from '../../src/crm/actor.ts';
import { createDeliverer, type Deliverer } from '../../src/messaging/deliverer.ts';
import type { RateLimits } from '../../src/messaging/rate-limiter.ts';
import { applyPreset } from '../../src/presets/apply-preset.ts';
import { loadPreset } from '../../src/presets/load-preset.ts';
import { serveApp } from '../integration/whatsapp/helpers.ts';
import { TelegramEmulator, type TestUser } from './telegram-emulator.ts';
import { createTestPostgres, type TestDb } from './test-db.ts';
import { waitFor } from './wait-for.ts';
import { WhatsAppCloudEmulator, type WhatsAppCloudEmulatorOptions } from './whatsapp-cloud-emulator.ts';

export const BOT_TOKEN = '555001:SALES-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
export const TELEGRAM_ACCOUNT = '555001';
const silent = pino({ level: process.env.TEST_LOG ?? 'silent' });

const NO_LIMITS: RateLimits = { perAccount: { max: 1_000_000, windowMs: 1000 }, perChatGapMs: 0, perGroup: { max: 1_000_000, windowMs: 1000 }, isGroup: (c) => c.startsWith('-') };

export interface SalesStack {
  db: TestDb;
  telegram: TelegramEmulator;
  whatsapp: WhatsAppCloudEmulator;
  /** The Telegram bot, to hand it stored updates again (as the recovery sweep does). */
  bot: ReturnType<typeof createTelegramBot>;
  /** What the system tells staff by itself, as the running process builds it. */
  notices: StaffNotices;
  /** A staff member with a linked Telegram (his private chat id is his Telegram id). */
  staff(name: string, roles: UserRole[], opts?: { language?: 'ru' | 'en'; supervisorId?: number }): Promise<{ user: User; tg: TestUser }>;
  /** A Telegram user writes to the bot. */
  send(from: TestUser, text: string, opts?: { replyTo?: number }): void;
  sendDocument(from: TestUser, fileName: string, bytes?: string): void;
  sendPhoto(from: TestUser): void;
  /**
   * A customer on Telegram makes a request: his first message, then one answer to each intake
   * question as it is asked; resolves with the request number once it is accepted.
   */
  request(customer: TestUser, first: string, answers: string[]): Promise<number>;
  /**
   * A press with this callback data on the newest message the bot sent to `from` (as an old
   * button, or a forged query, would arrive); when there is none yet, `/help` makes one.
   */
  pressData(from: TestUser, data: string): Promise<void>;
  /** Presses a button of the newest message to `from` that has one with this text. */
  press(from: TestUser, buttonText: string | RegExp): Update;
  /** What the bot answered to a press (the toast), waiting for it a little. */
  pressAnswer(press: Update): Promise<{ text?: string } | null>;
  /**
   * Waits until a message the bot sent to `to` is recorded as sent with its message id. A
   * reply to it finds what it answers by that id; a person replies seconds later, a test at once.
   */
  recorded(to: TestUser, message: { message_id: number }): Promise<void>;
  stop(): Promise<void>;
}

let nextTelegramId = 700_000;
// 1×1 transparent PNG.
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export async function startSalesStack(
  preset: string,
  label = preset,
  opts: { whatsapp?: WhatsAppCloudEmulatorOptions; /** The bots' clock (reminders, /tasks); default the system's. */ now?: () => Date } = {},
): Promise<SalesStack> {
  const db = await createTestPostgres(`sales_${label}`);
  await applyPreset(db.db, await loadPreset(preset), systemActor);
  const telegram = new TelegramEmulator({ bots: [{ token: BOT_TOKEN, username: 'chatcrm_sales_bot' }], limits: { enabled: false } });
  const { apiRoot } = await telegram.start();
  const whatsapp = new WhatsAppCloudEmulator(opts.whatsapp);
  const wa = await whatsapp.start();

  // As the Telegram runtime does: an answer given up on is told to its author (notices: below).
  const tgDeliverer: Deliverer = createDeliverer({
    db: db.db,
    sender: createTelegramSender({ token: BOT_TOKEN, apiRoot, limits: NO_LIMITS }),
    logger: silent,
    pollMs: 30,
    onFailed: (row) => notices.undelivered(row),
  });
  await tgDeliverer.start();
  const features = { timeZone: 'Europe/Moscow', jobs: null, ...(opts.now ? { now: opts.now } : {}) };
  const bot = createTelegramBot({ db: db.db, token: BOT_TOKEN, apiRoot, deliverer: tgDeliverer, logger: silent, mode: 'polling', features });
  const runner: RunnerHandle = await startPolling(bot);

  const cloud = createCloudChannel({
    db: db.db,
    apiRoot: wa.apiRoot,
    token: whatsapp.token,
    phoneId: whatsapp.phoneNumberId,
    appSecret: whatsapp.appSecret,
    verifyToken: 'verify',
    logger: silent,
    deliverer: { pollMs: 30 },
    features: { ...features, telegramAccount: TELEGRAM_ACCOUNT, wakeTelegram: () => tgDeliverer.wake() },
  });
  await cloud.deliverer.start();
  const app = new Hono();
  app.route('/webhooks/whatsapp', cloud.webhook);
  const server = await serveApp(app);
  whatsapp.setWebhook(`${server.url}/webhooks/whatsapp`);

  const notices = createStaffNotices({ db: db.db, t: translatorOf(createI18n()), telegramAccount: TELEGRAM_ACCOUNT, logger: silent, wake: () => tgDeliverer.wake() });
  return {
    db,
    telegram,
    whatsapp,
    notices,
    bot,
    async staff(name, roles, opts = {}) {
      const id = nextTelegramId++;
      const [user] = await db.db
        .insert(users)
        .values({ name, roles, telegramUserId: id, language: opts.language ?? 'ru', ...(opts.supervisorId ? { supervisorId: opts.supervisorId } : {}) })
        .returning();
      return { user: user!, tg: { id, first_name: name.split(' ')[0]!, ...(opts.language === 'en' ? { language_code: 'en' } : { language_code: 'ru' }) } };
    },
    send(from, text, opts = {}) {
      telegram.userSends(BOT_TOKEN, { from, text, ...(opts.replyTo ? { replyTo: opts.replyTo } : {}) });
    },
    sendDocument(from, fileName, bytes = `%PDF-1.4 ${fileName}`) {
      telegram.userSendsDocument(BOT_TOKEN, { from, bytes, fileName, mimeType: 'application/pdf' });
    },
    sendPhoto(from) {
      telegram.userSendsPhoto(BOT_TOKEN, { from, bytes: TINY_PNG });
    },
    async request(customer, first, answers) {
      telegram.userSends(BOT_TOKEN, { from: customer, text: first });
      const number = Number(/№ (\d+)/.exec((await telegram.waitForMessage(customer.id)).text ?? '')?.[1]);
      for (const answer of answers) {
        await telegram.waitForMessage(customer.id);
        telegram.userSends(BOT_TOKEN, { from: customer, text: answer });
      }
      await telegram.waitForMessage(customer.id, (m) => /принята|accepted/.test(m.text ?? ''));
      return number;
    },
    async pressData(from, data) {
      let carrier = telegram.sentMessages(from.id).at(-1);
      if (!carrier) {
        telegram.userSends(BOT_TOKEN, { from, text: '/help' });
        carrier = await telegram.waitForMessage(from.id);
      }
      telegram.userPresses(BOT_TOKEN, { from, message_id: carrier.message_id, data, unchecked: true });
    },
    press(from, buttonText) {
      const messages = telegram.sentMessages(from.id).reverse();
      for (const m of messages) {
        const rows = (m.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
        const button = rows.flat().find((b) => (typeof buttonText === 'string' ? b.text === buttonText : buttonText.test(b.text)));
        if (button?.callback_data) return telegram.userPresses(BOT_TOKEN, { from, message_id: m.message_id, data: button.callback_data });
      }
      throw new Error(`no button "${String(buttonText)}" in the messages to ${from.id}: ${JSON.stringify(messages.map((m) => m.text))}`);
    },
    async recorded(to, message) {
      await waitFor(
        async () => (await db.db.select({ status: outboxMessages.status }).from(outboxMessages).where(and(eq(outboxMessages.chatId, String(to.id)), eq(outboxMessages.platformMessageId, String(message.message_id))))).some((r) => r.status === 'sent'),
        5000,
        `message ${message.message_id} to ${to.id} recorded as sent`,
      );
    },
    async pressAnswer(press) {
      for (let i = 0; i < 250; i++) {
        const answer = telegram.callbackAnswer(BOT_TOKEN, press.callback_query!.id);
        if (answer) return answer;
        await new Promise((r) => setTimeout(r, 20));
      }
      return null;
    },
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await server.close();
      await cloud.deliverer.stop();
      await tgDeliverer.stop();
      await whatsapp.stop();
      await telegram.stop();
      await db.drop();
    },
  };
}
