// Telegram in a running process: the deliverer drains the outbox where the bot role runs;
// polling runs there too; in webhook mode the web process answers the webhook and registers it.
import type { RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { Config } from '../../src/config.ts';
import { createDeliverer, type Deliverer } from '../../src/messaging/deliverer.ts';
import { startInboundRecovery } from '../../src/messaging/inbound-recovery.ts';
import type { BotContext } from './context.ts';
import { createTelegramBot } from './create-telegram-bot.ts';
import { startPolling } from './polling.ts';
import { botIdOf, createTelegramSender } from './telegram-sender.ts';
import { createI18n, translatorOf } from './i18n.ts';
import { createStaffNotices, type StaffNotices } from './staff-notices.ts';
import { trackUpdatesInFlight } from './updates-in-flight.ts';
import type { Jobs } from '../../src/jobs/job-queue.ts';

export interface TelegramRuntime {
  bot: Bot<BotContext>;
  deliverer: Deliverer;
  /** What the system tells staff by itself (new leads, reminders), from any role. */
  notices: StaffNotices;
  /** For the web process in webhook mode. */
  webhook: { bot: Bot<BotContext>; secretToken: string } | null;
  /** Updates being handled now. */
  handling(): number;
  /** Stops taking updates, waits for those being handled, then stops the deliverer. */
  stop(): Promise<void>;
}

type TelegramConfig = Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT' | 'TELEGRAM_MODE' | 'TELEGRAM_WEBHOOK_SECRET' | 'TELEGRAM_WEBHOOK_URL' | 'TZ_COMPANY'>;

export async function startTelegram(deps: { db: Db; config: TelegramConfig; logger: Logger; web: boolean; bot: boolean; jobs: Jobs | null }): Promise<TelegramRuntime | null> {
  const { config } = deps;
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  const token = config.TELEGRAM_BOT_TOKEN;
  const log = deps.logger.child({ channel: 'telegram' });
  const sender = createTelegramSender({ token, apiRoot: config.TELEGRAM_API_ROOT });
  // A customer's answer given up on is told to its author (notices: below, before any send).
  const deliverer = createDeliverer({ db: deps.db, sender, logger: log, onFailed: (row) => notices.undelivered(row) });
  const bot = createTelegramBot({
    db: deps.db,
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    deliverer,
    logger: log,
    mode: config.TELEGRAM_MODE,
    features: { timeZone: config.TZ_COMPANY, jobs: deps.jobs },
  });
  const notices = createStaffNotices({ db: deps.db, t: translatorOf(createI18n()), telegramAccount: botIdOf(token), logger: log, wake: () => deliverer.wake() });
  const updates = trackUpdatesInFlight(bot);
  const stops: (() => Promise<void>)[] = [];

  if (deps.bot) {
    await deliverer.start();
    stops.push(() => deliverer.stop());
  }
  // Stops run in reverse: intake first, then the updates being handled (their replies still
  // go out through the deliverer), then the deliverer.
  stops.push(() => updates.drained());
  let runner: RunnerHandle | null = null;
  if (config.TELEGRAM_MODE === 'polling' && deps.bot) {
    runner = await startPolling(bot);
    stops.push(async () => {
      if (runner?.isRunning()) await runner.stop();
    });
    log.info({ username: bot.botInfo.username }, 'telegram polling');
  }
  let webhook: TelegramRuntime['webhook'] = null;
  if (config.TELEGRAM_MODE === 'webhook' && deps.web) {
    await bot.init();
    webhook = { bot, secretToken: config.TELEGRAM_WEBHOOK_SECRET! };
    if (config.TELEGRAM_WEBHOOK_URL) {
      await bot.api.setWebhook(config.TELEGRAM_WEBHOOK_URL, { secret_token: config.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: ['message', 'callback_query', 'my_chat_member'] });
      log.info({ url: config.TELEGRAM_WEBHOOK_URL }, 'telegram webhook registered');
    }
  }
  // Stored updates whose handling never committed are run again where updates are handled.
  if ((config.TELEGRAM_MODE === 'polling' && deps.bot) || (config.TELEGRAM_MODE === 'webhook' && deps.web)) {
    const recovery = startInboundRecovery({
      db: deps.db,
      channel: 'telegram',
      account: botIdOf(token),
      logger: log,
      redispatch: (row) => bot.handleUpdate(row.payload.raw as Update),
    });
    stops.push(() => recovery.stop());
  }
  return {
    bot,
    deliverer,
    notices,
    webhook,
    handling: () => updates.count(),
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  };
}
