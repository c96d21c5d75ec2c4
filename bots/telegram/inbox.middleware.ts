// First middleware of the bot: the update is stored once before anything acts on it (and a
// webhook waiting on storedSignal may answer then); a replayed update that was processed stops
// here. Updates of one chat are then handled in order, different chats in parallel. Replies
// sent downstream go through the outbox under keys derived from this update: ctx.api is the
// update's own (see outbox-fetch.ts).
import { sequentialize } from '@grammyjs/runner';
import type { Middleware } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { MessagingChannel } from '../../db/schema/index.ts';
import { type AcceptResult, acceptInbound, isInboundProcessed, markInboundFailed, markInboundProcessed } from '../../src/messaging/inbox.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import type { BotContext } from './context.ts';
import { signalStored } from './stored-signal.ts';
import { apiForUpdate, type OutboxFetch } from './outbox-fetch.ts';
import type { UpdateScope } from './update-context.ts';

export interface InboxOptions {
  db: Db;
  channel: MessagingChannel;
  account: string;
  /** The platform update as an InboundMessage; null for updates that are not a person's message. */
  toInbound: (update: Update, account: string) => InboundMessage | null;
  logger: Logger;
  /** How the update's calls reach the platform: its sends through the outbox. */
  outbox: OutboxFetch;
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

/** Updates of one chat (or of one person, outside chats) are handled one after the other. */
export const chatKey = (ctx: { chat?: { id: number }; from?: { id: number } }) => String(ctx.chat?.id ?? ctx.from?.id ?? '');

export function inboxMiddleware(opts: InboxOptions): Middleware<BotContext> {
  const inOrder = sequentialize<BotContext>(chatKey);

  const store = async (inbound: InboundMessage, update: Update, log: Logger): Promise<AcceptResult> => {
    const deadline = Date.now() + opts.storeRetryMs;
    for (let wait = 200; ; wait = Math.min(wait * 2, 5000)) {
      try {
        return await within(acceptInbound(opts.db, inbound, update), opts.storeTimeoutMs);
      } catch (err) {
        if (Date.now() + wait > deadline) {
          log.error({ err }, 'could not store an inbound update');
          throw err;
        }
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'database unavailable, retrying the store');
        await sleep(wait);
      }
    }
  };

  return async (ctx, next) => {
    const inbound = opts.toInbound(ctx.update, opts.account);
    if (!inbound) {
      signalStored(ctx.update);
      return inOrder(ctx, next);
    }
    const log = opts.logger.child({ update: inbound.externalId, chat: inbound.chatId });
    let accepted: AcceptResult;
    try {
      accepted = await store(inbound, ctx.update, log);
    } catch (err) {
      signalStored(ctx.update, err);
      throw err;
    }
    signalStored(ctx.update);
    if (accepted.state === 'duplicate') {
      log.info('update already processed, ignored');
      return;
    }
    const { row, sender } = accepted;
    await inOrder(ctx, async () => {
      // A redelivery that arrived while the first delivery was being handled waited its turn
      // above; by now the first one may have finished it.
      if (accepted.state === 'unprocessed' && (await isInboundProcessed(opts.db, row.id))) {
        log.info('update processed meanwhile, ignored');
        return;
      }
      const scope: UpdateScope = {
        channel: opts.channel,
        account: opts.account,
        externalId: inbound.externalId,
        inboundId: row.id,
        contactIdentityId: sender.kind === 'contact' ? sender.identityId : null,
        failedRuns: row.attempts,
        seq: 0,
      };
      ctx.crm = { inbound, row, sender, scope, failure: null };
      (ctx as { api: BotContext['api'] }).api = apiForUpdate(ctx.api, opts.outbox, scope);
      await next();
      if (ctx.crm.failure) await markInboundFailed(opts.db, row.id, ctx.crm.failure);
      else await markInboundProcessed(opts.db, row.id);
    });
  };
}
