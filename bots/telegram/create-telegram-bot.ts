// The Telegram bot: inbox first, then i18n, then the features inside an error boundary.
// It decides nothing itself: features translate and call src/.
import { autoRetry } from '@grammyjs/auto-retry';
import { conversations, createConversation } from '@grammyjs/conversations';
import { Bot, Composer, type Middleware } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { MessagingChannel } from '../../db/schema/index.ts';
import { allFlows, type FlowBuilder } from '../../flows/index.ts';
import type { FlowContext, FlowDeps } from '../../flows/flow-types.ts';
import { createBusinessCalendar, defaultCalendarConfig } from '../../src/automation/calendar/index.ts';
import type { Jobs } from '../../src/jobs/job-queue.ts';
import type { Deliverer } from '../../src/messaging/deliverer.ts';
import type { BotContext } from './context.ts';
import { cardsFeature, staleButtons } from './features/cards.feature.ts';
import { customerRequests } from './features/customer.feature.ts';
import { reachabilityFeature } from './features/reachability.feature.ts';
import { remindersFeature } from './features/reminders.feature.ts';
import { staffAdminFeature } from './features/staff-admin.feature.ts';
import { staffFeature } from './features/staff.feature.ts';
import { startFeature } from './features/start.feature.ts';
import { createI18n, translatorOf } from './i18n.ts';
import { pgSessionStorage } from './pg-session-storage.ts';
import { createStaffNotices } from './staff-notices.ts';
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
  features?: Partial<Omit<FeatureOptions, 'telegramAccount'>>;
}

export function createTelegramBot(deps: TelegramBotDeps): Bot<BotContext> {
  const account = botIdOf(deps.token);
  const log = deps.logger.child({ bot: 'telegram', account });
  const outbox = createOutboxFetch({ db: deps.db, deliverer: deps.deliverer, channel: 'telegram', account });
  const bot = new Bot<BotContext>(deps.token, {
    client: { apiRoot: deps.apiRoot, fetch: outbox(null) },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });
  // Calls that bypass the outbox (getUpdates, answerCallbackQuery, uploads) still honour 429s.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));

  bot.use(
    inboxMiddleware({ db: deps.db, channel: 'telegram', account, toInbound: telegramToInbound, logger: log, outbox, storeRetryMs: deps.mode === 'polling' ? 10 * 60_000 : 0, storeTimeoutMs: 5000 }),
  );
  installFeatures(bot, deps.db, log, { channel: 'telegram', account }, { ...deps.features, telegramAccount: account, wakeTelegram: deps.features?.wakeTelegram ?? (() => deps.deliverer.wake()) });
  return bot;
}

export interface FeatureOptions {
  /** The Telegram bot's account (bot id), where staff notices go; null when Telegram is off. */
  telegramAccount: string | null;
  /** The company's time zone: dates typed in flows are days there. */
  timeZone: string;
  jobs: Jobs | null;
  /** Looks at the Telegram outbox now (a notice was enqueued) instead of at the next poll. */
  wakeTelegram?: () => void;
  /** The clock of reminders and task lists; default the system's (tests pass a controlled one). */
  now?: () => Date;
  /** More flows (tests), registered like the built-in ones. */
  extraFlows?: [string, FlowBuilder][];
  /** More handlers, after the flows and before the built-in features (tests: a handler entering an extra flow). */
  extraFeatures?: Middleware<BotContext>[];
}

/** Bumped when a flow changes in a way that makes a stored conversation unreplayable. */
export const FLOWS_STATE_VERSION = 2;

/**
 * i18n, the flows and the features inside an error boundary: shared by the Telegram bot and
 * the WhatsApp bridge bot, so one feature or flow serves both channels.
 */
export function installFeatures(bot: Bot<BotContext>, db: Db, log: Logger, scope: { channel: MessagingChannel; account: string }, options: Partial<FeatureOptions> = {}): void {
  const i18n = createI18n();
  const t = translatorOf(i18n);
  bot.use(i18n);
  const notices = createStaffNotices({ db, t, telegramAccount: options.telegramAccount ?? null, logger: log, ...(options.wakeTelegram ? { wake: options.wakeTelegram } : {}) });
  const timeZone = options.timeZone ?? 'Europe/Moscow';
  const flowDeps: FlowDeps = {
    db,
    channel: scope.channel,
    account: scope.account,
    t,
    timeZone,
    notices,
    jobs: options.jobs ?? null,
    calendar: createBusinessCalendar(defaultCalendarConfig(timeZone)),
    now: options.now ?? (() => new Date()),
  };
  const features = new Composer<BotContext>();
  features.use(
    conversations<BotContext, FlowContext>({
      storage: { type: 'context', version: FLOWS_STATE_VERSION, adapter: pgSessionStorage(db, `flows:${scope.channel}:${scope.account}`) },
    }),
  );
  // A flow is registered only on the updates of the people it is for: every registered flow
  // costs every update a middleware run, and a customer's message would run twelve staff flows.
  const forCustomers = features.filter((ctx) => ctx.crm !== undefined && ctx.crm.sender.kind !== 'staff');
  const forStaff = features.filter((ctx) => ctx.crm?.sender.kind === 'staff');
  for (const [id, builder, audience] of allFlows(flowDeps)) (audience === 'staff' ? forStaff : forCustomers).use(createConversation<BotContext, FlowContext>(builder, { id }));
  for (const [id, builder] of options.extraFlows ?? []) features.use(createConversation<BotContext, FlowContext>(builder, { id }));
  for (const m of options.extraFeatures ?? []) features.use(m);
  if (scope.channel === 'telegram') features.use(reachabilityFeature({ db, logger: log }));
  features.use(startFeature(db), staffAdminFeature({ db, t, timeZone: flowDeps.timeZone, telegramAccount: options.telegramAccount ?? null }), cardsFeature({ db, t, timeZone: flowDeps.timeZone }), remindersFeature(flowDeps), staffFeature({ db, t, timeZone: flowDeps.timeZone, telegramAccount: options.telegramAccount ?? null }), customerRequests({ db, t, notices }), staleButtons());
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
