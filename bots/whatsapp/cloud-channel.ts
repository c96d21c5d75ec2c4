// The Cloud API channel assembled: sender and deliverer for the phone number, the bridge bot,
// and the webhook route. The web process answers the webhook (and sends the replies made while
// handling it); the bot process drains the rest of the outbox.
import type { Bot, Middleware } from 'grammy';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { createDeliverer, type Deliverer, type DelivererOptions } from '../../src/messaging/deliverer.ts';
import type { AppEnv } from '../../src/http/types.ts';
import type { BotContext } from '../telegram/context.ts';
import { createI18n, translatorOf } from '../telegram/i18n.ts';
import { createStaffNotices } from '../telegram/staff-notices.ts';
import type { FeatureOptions } from '../telegram/create-telegram-bot.ts';
import { createCloudSender } from './cloud-sender.ts';
import { cloudWebhookRoute } from './cloud-webhook.ts';
import { createWhatsAppBot, createWhatsAppBridge, type WhatsAppBridge } from './create-whatsapp-bot.ts';

export interface CloudChannelOptions {
  db: Db;
  apiRoot: string;
  token: string;
  phoneId: string;
  appSecret: string;
  verifyToken: string | undefined;
  throughputPerSecond?: number;
  logger: Logger;
  middleware?: Middleware<BotContext>[];
  /** Where staff notices go (the Telegram bot), the time zone, the queue. */
  features?: Partial<FeatureOptions>;
  deliverer?: Partial<Pick<DelivererOptions, 'pollMs' | 'concurrency' | 'backoffMs' | 'maxAttempts'>>;
  fetchImpl?: typeof fetch;
}

export interface CloudChannel {
  bot: Bot<BotContext>;
  bridge: WhatsAppBridge;
  deliverer: Deliverer;
  webhook: Hono<AppEnv>;
}

export function createCloudChannel(opts: CloudChannelOptions): CloudChannel {
  const logger = opts.logger.child({ channel: 'whatsapp', provider: 'cloud' });
  const sender = createCloudSender({
    apiRoot: opts.apiRoot,
    token: opts.token,
    phoneId: opts.phoneId,
    ...(opts.throughputPerSecond ? { throughputPerSecond: opts.throughputPerSecond } : {}),
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  });
  // An answer to a customer given up on (by the deliverer, or by Meta later) is told to its author, on Telegram.
  const notices = createStaffNotices({ db: opts.db, t: translatorOf(createI18n()), telegramAccount: opts.features?.telegramAccount ?? null, logger, ...(opts.features?.wakeTelegram ? { wake: opts.features.wakeTelegram } : {}) });
  const deliverer = createDeliverer({ db: opts.db, sender, logger, ...opts.deliverer, onFailed: (row) => notices.undelivered(row) });
  const bot = createWhatsAppBot({ db: opts.db, deliverer, account: opts.phoneId, logger, storeRetryMs: 0, ...(opts.middleware ? { middleware: opts.middleware } : {}), ...(opts.features ? { features: opts.features } : {}) });
  const bridge = createWhatsAppBridge({ db: opts.db, bot, account: opts.phoneId });
  const webhook = cloudWebhookRoute({ db: opts.db, bridge, appSecret: opts.appSecret, verifyToken: opts.verifyToken, logger, onFailed: (row) => notices.undelivered(row) });
  return { bot, bridge, deliverer, webhook };
}
