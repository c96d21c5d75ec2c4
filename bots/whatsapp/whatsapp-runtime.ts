// WhatsApp in a running process. Cloud API: the web process answers /webhooks/whatsapp (and
// sends the replies made while handling it), the bot process drains the rest of the outbox.
// Baileys: the connection, its inbound handling and its deliverer all live where the bot role
// runs; the web process has nothing to do for it.
import type { Bot } from 'grammy';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { Config } from '../../src/config.ts';
import type { AppEnv } from '../../src/http/types.ts';
import type { Deliverer } from '../../src/messaging/deliverer.ts';
import type { Jobs } from '../../src/jobs/job-queue.ts';
import { startInboundRecovery, storedMessageOf } from '../../src/messaging/inbound-recovery.ts';
import type { BotContext } from '../telegram/context.ts';
import { botIdOf } from '../telegram/telegram-sender.ts';
import { trackUpdatesInFlight } from '../telegram/updates-in-flight.ts';
import type { BaileysSocketFactory, BaileysTransport } from './baileys-transport.ts';
import { createCloudChannel } from './cloud-channel.ts';
import type { WhatsAppBridge } from './create-whatsapp-bot.ts';
import type { WhatsAppUpdate } from './wa-update.ts';

/** What config.ts has today, and the variables this runtime reads once config.ts has them. */
export type WhatsAppConfig = Pick<
  Config,
  'WHATSAPP_PROVIDER' | 'WHATSAPP_CLOUD_API_ROOT' | 'WHATSAPP_CLOUD_TOKEN' | 'WHATSAPP_CLOUD_PHONE_ID' | 'WHATSAPP_APP_SECRET' | 'TELEGRAM_BOT_TOKEN'
> & {
  TZ_COMPANY?: string;
  /** The token typed into Meta's webhook settings (GET handshake). */
  WHATSAPP_VERIFY_TOKEN?: string | undefined;
  /** Messages per second Meta allows the Cloud number (default 80; 80% of it is used). */
  WHATSAPP_CLOUD_THROUGHPUT?: number | undefined;
  /** Name of the WhatsApp Web session: outbox account and auth-state key prefix (default 'default'). */
  WHATSAPP_BAILEYS_ACCOUNT?: string | undefined;
  WHATSAPP_BAILEYS_PER_MINUTE?: number | undefined;
  WHATSAPP_BAILEYS_DAILY_CAP?: number | undefined;
};

export interface WhatsAppRuntime {
  provider: 'cloud' | 'baileys';
  bot: Bot<BotContext>;
  deliverer: Deliverer;
  /** For the web process (Cloud API): mount at /webhooks/whatsapp. */
  webhook: Hono<AppEnv> | null;
  /** The WhatsApp Web connection, where the bot role runs it. */
  baileys: BaileysTransport | null;
  /** Messages being handled now. */
  handling(): number;
  /** Stops taking messages, waits for those being handled, then stops sending. */
  stop(): Promise<void>;
}

export class WhatsAppConfigError extends Error {
  override name = 'WhatsAppConfigError';
}

export async function startWhatsApp(deps: {
  db: Db;
  config: WhatsAppConfig;
  logger: Logger;
  web: boolean;
  bot: boolean;
  /** Tests: a Baileys stand-in's factory. */
  socketFactory?: BaileysSocketFactory;
  jobs?: Jobs | null;
  /** The Telegram deliverer in this process, woken when a notice for staff is queued. */
  wakeTelegram?: () => void;
  /** Where the linking QR goes besides Postgres (for GET /api/v1/whatsapp/link); default: logged. */
  onQr?: (qr: string) => void;
}): Promise<WhatsAppRuntime | null> {
  const { config } = deps;
  const log = deps.logger.child({ channel: 'whatsapp' });
  // Customers on WhatsApp make leads the managers hear of on Telegram.
  const features = {
    telegramAccount: config.TELEGRAM_BOT_TOKEN ? botIdOf(config.TELEGRAM_BOT_TOKEN) : null,
    timeZone: config.TZ_COMPANY ?? 'Europe/Moscow',
    jobs: deps.jobs ?? null,
    ...(deps.wakeTelegram ? { wakeTelegram: deps.wakeTelegram } : {}),
  };
  if (config.WHATSAPP_PROVIDER === 'cloud') {
    const { WHATSAPP_CLOUD_TOKEN: token, WHATSAPP_CLOUD_PHONE_ID: phoneId, WHATSAPP_APP_SECRET: appSecret } = config;
    if (!token || !phoneId || !appSecret) throw new WhatsAppConfigError('WHATSAPP_PROVIDER=cloud needs WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_ID and WHATSAPP_APP_SECRET');
    if (deps.web && !config.WHATSAPP_VERIFY_TOKEN) log.warn('WHATSAPP_VERIFY_TOKEN is not set: Meta\'s webhook verification will be refused');
    const channel = createCloudChannel({
      db: deps.db,
      apiRoot: config.WHATSAPP_CLOUD_API_ROOT,
      token,
      phoneId,
      appSecret,
      verifyToken: config.WHATSAPP_VERIFY_TOKEN,
      ...(config.WHATSAPP_CLOUD_THROUGHPUT ? { throughputPerSecond: config.WHATSAPP_CLOUD_THROUGHPUT } : {}),
      logger: deps.logger,
      features,
    });
    const updates = trackUpdatesInFlight(channel.bot);
    if (deps.bot) await channel.deliverer.start();
    const recovery = deps.web ? recoverWhatsApp(deps.db, channel.bridge, log) : null;
    log.info({ phoneId, web: deps.web, bot: deps.bot }, 'WhatsApp Cloud API channel ready');
    return {
      provider: 'cloud',
      bot: channel.bot,
      deliverer: channel.deliverer,
      webhook: deps.web ? channel.webhook : null,
      baileys: null,
      handling: () => updates.count(),
      async stop() {
        await recovery?.stop();
        await updates.drained();
        await channel.deliverer.stop();
      },
    };
  }
  if (config.WHATSAPP_PROVIDER === 'baileys' && deps.bot) {
    // Baileys takes a third of a second to load: only processes that run it pay for it.
    const { createBaileysChannel } = await import('./baileys-channel.ts');
    const channel = await createBaileysChannel({
      db: deps.db,
      features,
      account: config.WHATSAPP_BAILEYS_ACCOUNT ?? 'default',
      logger: deps.logger,
      telegramAccount: config.TELEGRAM_BOT_TOKEN ? botIdOf(config.TELEGRAM_BOT_TOKEN) : null,
      pacing: {
        ...(config.WHATSAPP_BAILEYS_PER_MINUTE ? { perMinute: config.WHATSAPP_BAILEYS_PER_MINUTE } : {}),
        ...(config.WHATSAPP_BAILEYS_DAILY_CAP ? { dailyCap: config.WHATSAPP_BAILEYS_DAILY_CAP } : {}),
      },
      onQr: deps.onQr ?? ((qr) => log.warn({ qr }, 'link WhatsApp: an admin gets this QR at GET /api/v1/whatsapp/link (or stop the bot and run chatcrm whatsapp login); WhatsApp → Linked devices → Link a device')),
      ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}),
    });
    const updates = trackUpdatesInFlight(channel.bot);
    await channel.start();
    const recovery = recoverWhatsApp(deps.db, channel.bridge, log);
    return {
      provider: 'baileys',
      bot: channel.bot,
      deliverer: channel.deliverer,
      webhook: null,
      baileys: channel.transport,
      handling: () => updates.count(),
      async stop() {
        await recovery.stop();
        await updates.drained();
        await channel.stop();
      },
    };
  }
  return null;
}

/** Stored WhatsApp messages whose handling never committed go through the bridge again. */
function recoverWhatsApp(db: Db, bridge: WhatsAppBridge, logger: Logger) {
  return startInboundRecovery({
    db,
    channel: 'whatsapp',
    account: bridge.account,
    logger,
    redispatch: (row) => bridge.handle(storedMessageOf(row), (row.payload.raw as Partial<WhatsAppUpdate> | undefined)?.whatsapp?.raw),
  });
}
