// First middleware of the bot: the update is stored once before anything acts on it; a
// replayed update that was processed stops here. Replies sent downstream carry outbox keys
// derived from this update (see update-context.ts).
import type { Middleware } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { MessagingChannel } from '../../db/schema/index.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import { linkInboundSender, markInboundFailed, markInboundProcessed, resolveSender, storeInbound } from '../../src/messaging/inbox.ts';
import type { BotContext } from './context.ts';
import { updateScope } from './update-context.ts';

export interface InboxOptions {
  db: Db;
  channel: MessagingChannel;
  account: string;
  /** The platform update as an InboundMessage; null for updates that are not a person's message. */
  toInbound: (update: Update, account: string) => InboundMessage | null;
  logger: Logger;
  /**
   * How long to keep trying to store while the database is away. Webhooks: 0 (answer 5xx, the
   * platform redelivers). Polling: long, because a confirmed update is never delivered again.
   */
  storeRetryMs: number;
  /**
   * A store attempt taking longer than this counts as failed: a cut network to Postgres does
   * not always fail fast, and a webhook must answer 5xx before the platform gives up on it.
   */
  storeTimeoutMs?: number;
}

export class InboundStoreTimeoutError extends Error {
  override name = 'InboundStoreTimeoutError';
}

function within<T>(p: Promise<T>, ms: number | undefined): Promise<T> {
  if (!ms) return p;
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InboundStoreTimeoutError(`database did not answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function inboxMiddleware(opts: InboxOptions): Middleware<BotContext> {
  return async (ctx, next) => {
    const inbound = opts.toInbound(ctx.update, opts.account);
    if (!inbound) return next();
    const log = opts.logger.child({ update: inbound.externalId, chat: inbound.chatId });
    const deadline = Date.now() + opts.storeRetryMs;
    let stored;
    for (let wait = 200; ; wait = Math.min(wait * 2, 5000)) {
      try {
        stored = await within(storeInbound(opts.db, inbound, ctx.update), opts.storeTimeoutMs);
        break;
      } catch (err) {
        if (Date.now() + wait > deadline) {
          log.error({ err }, 'could not store an inbound update');
          throw err;
        }
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'database unavailable, retrying the store');
        await sleep(wait);
      }
    }
    if (stored.state === 'duplicate') {
      log.info('update already processed, ignored');
      return;
    }
    const sender = await resolveSender(opts.db, inbound);
    await linkInboundSender(opts.db, stored.row.id, sender);
    ctx.crm = { inbound, row: stored.row, sender, failure: null };
    const scope = {
      channel: opts.channel,
      account: opts.account,
      externalId: inbound.externalId,
      inboundId: stored.row.id,
      contactIdentityId: sender.kind === 'contact' ? sender.identityId : null,
      seq: 0,
    };
    await updateScope.run(scope, () => next());
    if (ctx.crm.failure) await markInboundFailed(opts.db, stored.row.id, ctx.crm.failure);
    else await markInboundProcessed(opts.db, stored.row.id);
  };
}
