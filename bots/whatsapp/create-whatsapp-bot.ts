// The WhatsApp bridge bot: a grammY Bot with the same inbox, features and flows as the
// Telegram bot. WhatsApp messages come in as synthetic updates (wa-update.ts); what the bot
// sends goes through the outbox like on Telegram, and the WhatsApp sender renders the Bot API
// call for WhatsApp when it delivers it. The translation sits in `client.fetch`, which also
// reaches the Api that conversations build inside flows.
import { Bot, type Middleware } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { Deliverer } from '../../src/messaging/deliverer.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import type { BotContext } from '../telegram/context.ts';
import { type FeatureOptions, installFeatures } from '../telegram/create-telegram-bot.ts';
import { inboxMiddleware } from '../telegram/inbox.middleware.ts';
import { createOutboxFetch } from '../telegram/outbox-fetch.ts';
import { waText } from './texts.ts';
import { readChoice, toUpdate, whatsappToInbound } from './wa-update.ts';

export interface WhatsAppBotDeps {
  db: Db;
  /** Delivers through the WhatsApp sender of this account (Cloud API or Baileys). */
  deliverer: Deliverer;
  /** Cloud: the phone number id; Baileys: the configured account name. */
  account: string;
  logger: Logger;
  /** See InboxOptions.storeRetryMs: 0 for the Cloud webhook (Meta redelivers), long for Baileys. */
  storeRetryMs?: number;
  /** Installed after the inbox and before the shared features (channel-specific handlers). */
  middleware?: Middleware<BotContext>[];
  /** Where staff notices go (the Telegram bot), the time zone, the queue, extra flows. */
  features?: Partial<FeatureOptions>;
}

export const whatsappBotInfo: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: 'chatcrm',
  username: 'chatcrm_whatsapp',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** Methods that would show something to someone: never answered with a pretend success. */
const UNBRIDGED_SENDS = /^(send(?!ChatAction)|forward|copy|edit|stop)/;

export function createWhatsAppBot(deps: WhatsAppBotDeps): Bot<BotContext> {
  const log = deps.logger.child({ bot: 'whatsapp', account: deps.account });
  const outbox = createOutboxFetch({ db: deps.db, deliverer: deps.deliverer, channel: 'whatsapp', account: deps.account, passthrough: answerLocally(log) });
  const bot = new Bot<BotContext>('whatsapp', {
    botInfo: whatsappBotInfo,
    client: { apiRoot: 'http://whatsapp.bridge.invalid', fetch: outbox(null) },
  });
  bot.use(inboxMiddleware({ db: deps.db, channel: 'whatsapp', account: deps.account, toInbound: whatsappToInbound, logger: log, outbox, storeRetryMs: deps.storeRetryMs ?? 0 }));
  // The shared /start redeems invite codes as Telegram links: on WhatsApp it would link the
  // phone number as a Telegram id. Codes are turned away here until staff can link WhatsApp.
  bot.command('start', async (ctx, next) => {
    if (ctx.crm?.sender.kind === 'staff' || !ctx.match.trim()) return next();
    await ctx.reply(waText('ru', 'invite-telegram-only'));
  });
  for (const m of deps.middleware ?? []) bot.use(m);
  installFeatures(bot, deps.db, log, { channel: 'whatsapp', account: deps.account }, deps.features ?? {});
  return bot;
}

/**
 * Calls the outbox does not take (no update in scope, uploads, methods with no WhatsApp
 * meaning) never reach a network: bookkeeping calls succeed, sends are refused with a reason.
 */
function answerLocally(log: Logger): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf('/') + 1);
    let body: unknown;
    if (method === 'getMe') body = { ok: true, result: whatsappBotInfo };
    else if (UNBRIDGED_SENDS.test(method)) {
      log.warn({ method }, 'a send the WhatsApp bridge cannot carry (outside an update, an upload, or no WhatsApp equivalent)');
      body = { ok: false, error_code: 400, description: `Bad Request: ${method} is not available on WhatsApp here; enqueue outbound messages through the outbox` };
    } else body = { ok: true, result: true };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

export interface WhatsAppBridge {
  bot: Bot<BotContext>;
  account: string;
  /**
   * Runs one inbound message through the bot. Resolves once it is stored and handled (a failed
   * handler leaves it stored and marked failed); rejects when it could not be stored.
   */
  handle(msg: InboundMessage, raw: unknown): Promise<void>;
}

export function createWhatsAppBridge(deps: { db: Db; bot: Bot<BotContext>; account: string }): WhatsAppBridge {
  return {
    bot: deps.bot,
    account: deps.account,
    async handle(msg, raw) {
      const read = await readChoice(deps.db, msg);
      await deps.bot.handleUpdate(toUpdate(read, raw));
    },
  };
}
