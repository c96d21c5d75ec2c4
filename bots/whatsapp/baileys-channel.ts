// The WhatsApp Web channel assembled: auth state from Postgres, the Baileys connection, the
// paced sender and its deliverer, the bridge bot fed by the connection. Runs where the bot
// role runs; nothing of it is needed in the web process.
import type { WAMediaUpload } from '@whiskeysockets/baileys';
import type { Bot, Middleware } from 'grammy';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { createDeliverer, type Deliverer, type DelivererOptions } from '../../src/messaging/deliverer.ts';
import { recordDeliveryStatus } from '../../src/messaging/outbox.ts';
import type { BotContext } from '../telegram/context.ts';
import { createI18n, translatorOf } from '../telegram/i18n.ts';
import { createStaffNotices } from '../telegram/staff-notices.ts';
import type { FeatureOptions } from '../telegram/create-telegram-bot.ts';
import { notifyAdminsOfLogout, notifyAdminsOfRefusal } from './admin-notice.ts';
import { baileysRaw, baileysToInbound, JidBook } from './baileys-inbound.ts';
import { messageFromOutbox } from './baileys-resend.ts';
import { type BaileysPacing, createBaileysSender } from './baileys-sender.ts';
import { type BaileysSocketFactory, type BaileysTransport, createBaileysTransport, REFUSAL_CODES } from './baileys-transport.ts';
import { createWhatsAppBot, createWhatsAppBridge, type WhatsAppBridge } from './create-whatsapp-bot.ts';
import { createLinkRecorder } from './link-status.ts';
import { countSentSince } from './outbox-queries.ts';
import { type PgAuthState, usePgAuthState } from './pg-auth-state.ts';

export interface BaileysChannelOptions {
  db: Db;
  /** A name for this WhatsApp Web session: the outbox account and the auth state's key prefix. */
  account: string;
  logger: Logger;
  socketFactory?: BaileysSocketFactory;
  pacing?: Partial<BaileysPacing>;
  /** The Telegram bot's account (bot id) admins are told on; null: the logout is only logged. */
  telegramAccount: string | null;
  onQr?(qr: string): void;
  backoff?: { initialMs?: number; maxMs?: number };
  media?: (fileId: string) => Promise<WAMediaUpload | null>;
  middleware?: Middleware<BotContext>[];
  /** Where staff notices go (the Telegram bot), the time zone, the queue. */
  features?: Partial<FeatureOptions>;
  deliverer?: Partial<Pick<DelivererOptions, 'pollMs' | 'concurrency' | 'backoffMs' | 'maxAttempts'>>;
  /**
   * How long to keep trying to store an inbound message while the database is away. WhatsApp
   * Web does not deliver a message twice, so this is long by default.
   */
  storeRetryMs?: number;
}

export interface BaileysChannel {
  bot: Bot<BotContext>;
  bridge: WhatsAppBridge;
  deliverer: Deliverer;
  transport: BaileysTransport;
  auth: PgAuthState;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createBaileysChannel(opts: BaileysChannelOptions): Promise<BaileysChannel> {
  const { db, account } = opts;
  const logger = opts.logger.child({ channel: 'whatsapp', provider: 'baileys' });
  const auth = await usePgAuthState(db, account);
  const book = new JidBook();
  let transport: BaileysTransport | null = null;
  const sender = createBaileysSender({
    account,
    socket: () => transport?.openSocket() ?? null,
    jidOf: (chatId) => book.jidOf(chatId),
    sentSince: (since) => countSentSince(db, account, since),
    ...(opts.pacing ? { pacing: opts.pacing } : {}),
    ...(opts.media ? { media: opts.media } : {}),
  });
  // An answer to a customer given up on is told to its author, on Telegram.
  const notices = createStaffNotices({ db, t: translatorOf(createI18n()), telegramAccount: opts.telegramAccount, logger, ...(opts.features?.wakeTelegram ? { wake: opts.features.wakeTelegram } : {}) });
  const deliverer = createDeliverer({ db, sender, logger, ...opts.deliverer, onFailed: (row) => notices.undelivered(row) });
  const bot = createWhatsAppBot({ db, deliverer, account, logger, storeRetryMs: opts.storeRetryMs ?? 10 * 60_000, ...(opts.middleware ? { middleware: opts.middleware } : {}), ...(opts.features ? { features: opts.features } : {}) });
  const bridge = createWhatsAppBridge({ db, bot, account });
  // The web process may be another one: it shows admins the QR and the status from Postgres.
  const link = createLinkRecorder(db, account, logger);
  // WhatsApp refusing the number: the transport keeps reconnecting (at its longest backoff
  // soon), and the admins hear of it once a day while it lasts.
  const tellRefusal = async (code: number) => {
    if (!opts.telegramAccount) {
      logger.error({ code }, 'WhatsApp refuses this number; no Telegram bot configured to tell the admins');
      return;
    }
    try {
      const n = await notifyAdminsOfRefusal(db, { whatsappAccount: account, telegramAccount: opts.telegramAccount, code, at: new Date() });
      if (n > 0) logger.warn({ code, admins: n }, 'admins told on Telegram that WhatsApp refuses the number');
    } catch (err) {
      logger.error({ err, code }, 'could not tell the admins that WhatsApp refuses the number');
    }
  };
  transport = createBaileysTransport({
    account,
    auth,
    logger,
    ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    onMessage: async (msg) => {
      const inbound = baileysToInbound(msg, account, book);
      if (inbound) await bridge.handle(inbound, baileysRaw(msg));
    },
    getMessage: (key) => messageFromOutbox(db, account, key),
    onQr: (qr) => {
      link.qr(qr);
      opts.onQr?.(qr);
    },
    onOpen: () => link.linked(),
    onClosed: (code) => {
      if (code === undefined || !REFUSAL_CODES.has(code)) return;
      link.refused(code);
      void tellRefusal(code);
    },
    onLoggedOut: async (at) => {
      link.loggedOut();
      await link.flush();
      if (!opts.telegramAccount) {
        logger.error('no Telegram bot configured: admins cannot be told that WhatsApp Web logged out');
        return;
      }
      const n = await notifyAdminsOfLogout(db, { whatsappAccount: account, telegramAccount: opts.telegramAccount, at });
      logger.warn({ admins: n }, 'admins told on Telegram that WhatsApp Web logged out');
    },
    onReceipt: async (id, receipt) => {
      const moved = await recordDeliveryStatus(db, 'whatsapp', id, receipt);
      if (receipt === 'failed') for (const row of moved) await notices.undelivered(row);
    },
  });
  const t = transport;
  return {
    bot,
    bridge,
    deliverer,
    transport: t,
    auth,
    async start() {
      if (!auth.linked) logger.warn('WhatsApp Web is not linked yet: waiting for the QR code to be scanned');
      await deliverer.start();
      t.start();
    },
    async stop() {
      await t.stop();
      await link.flush();
      await deliverer.stop();
    },
  };
}
