// The Telegram bot: inbox first, then i18n, then the features inside an error boundary.
// It decides nothing itself: features translate and call src/.
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, Composer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { Deliverer } from '../../src/messaging/deliverer.ts';
import type { BotContext } from './context.ts';
import { customerFeature } from './features/customer.feature.ts';
import { staffFeature } from './features/staff.feature.ts';
import { startFeature } from './features/start.feature.ts';
import { createI18n } from './i18n.ts';
import { inboxMiddleware } from './inbox.middleware.ts';
import { createOutboxFetch } from './outbox-fetch.ts';
import { botIdOf } from './telegram-sender.ts';
import { telegramToInbound } from './to-inbound.ts';

export interface TelegramBotDeps {
  db: Db;
  token: string;
  apiRoot: string;
  deliverer: Deliverer;
  logger: Logger;
  mode: 'polling' | 'webhook';
  /** Known bot info saves the getMe call (tests, and the WhatsApp bridge). */
  botInfo?: UserFromGetMe;
}

export function createTelegramBot(deps: TelegramBotDeps): Bot<BotContext> {
  const account = botIdOf(deps.token);
  const log = deps.logger.child({ bot: 'telegram', account });
  const bot = new Bot<BotContext>(deps.token, {
    client: { apiRoot: deps.apiRoot, fetch: createOutboxFetch({ db: deps.db, deliverer: deps.deliverer, channel: 'telegram', account }) },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });
  // Calls that bypass the outbox (getUpdates, answerCallbackQuery, uploads) still honour 429s.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  bot.use(
    inboxMiddleware({ db: deps.db, channel: 'telegram', account, toInbound: telegramToInbound, logger: log, storeRetryMs: deps.mode === 'polling' ? 10 * 60_000 : 0, storeTimeoutMs: 5000 }),
  );
  installFeatures(bot, deps.db, log);
  return bot;
}

/**
 * i18n and the features inside an error boundary: shared by the Telegram bot and the WhatsApp
 * bridge bot, so one feature or flow serves both channels.
 */
export function installFeatures(bot: Bot<BotContext>, db: Db, log: Logger): void {
  bot.use(createI18n());
  const features = new Composer<BotContext>();
  features.use(startFeature(db), staffFeature(), customerFeature(db));
  bot.errorBoundary(async (err) => {
    const ctx = err.ctx;
    log.error({ err: err.error, update: ctx.update.update_id }, 'handler failed');
    if (ctx.crm) ctx.crm.failure = err.error instanceof Error ? `${err.error.name}: ${err.error.message}` : String(err.error);
    try {
      if (ctx.chat) await ctx.reply(ctx.t('error-generic'));
    } catch (replyErr) {
      log.warn({ err: replyErr }, 'could not tell the user about the error');
    }
  }, features);

  bot.catch((err) => {
    log.error({ err: err.error, update: err.ctx.update.update_id }, 'update not handled');
  });
}
