import { createHash, timingSafeEqual } from 'node:crypto';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { storedSignal } from '../../../bots/telegram/stored-signal.ts';
import type { AppEnv } from '../types.ts';

export interface TelegramWebhookOptions {
  bot: Bot<any>;
  secretToken: string;
  logger: Logger;
  /**
   * Updates acknowledged but still being handled. Beyond this the webhook answers only when
   * its update is handled, so Telegram (at most 40 connections) slows down instead of the
   * process piling up work.
   */
  maxInFlight?: number;
}

/**
 * POST /webhooks/telegram. X-Telegram-Bot-Api-Secret-Token is checked first (401 when
 * missing or wrong, nothing stored). The answer is 200 as soon as the update is stored: the
 * handlers go on after it, and a crash before they finish leaves a stored, unprocessed update
 * that the recovery sweep runs again. A database failure answers 503 and Telegram redelivers.
 * (grammY's webhookCallback answers only after the handlers, so replies would hold the ack.)
 */
export function telegramWebhookRoute(opts: TelegramWebhookOptions) {
  const app = new Hono<AppEnv>();
  const log = opts.logger.child({ webhook: 'telegram' });
  const expected = digest(opts.secretToken);
  const maxInFlight = opts.maxInFlight ?? 256;
  let inFlight = 0;

  app.post('/', async (c) => {
    const given = c.req.header('x-telegram-bot-api-secret-token');
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      log.warn({ hasSecret: given !== undefined }, 'webhook with a missing or wrong secret token refused');
      return c.text('secret token mismatch', 401);
    }
    let update: Update;
    try {
      update = await c.req.json<Update>();
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'webhook body is not JSON');
      return c.text('malformed JSON', 400);
    }
    if (!update || typeof update !== 'object' || !Number.isInteger(update.update_id)) {
      log.warn('webhook body is not a Telegram update');
      return c.text('not an update', 400);
    }
    const stored = storedSignal(update);
    inFlight += 1;
    const handled = opts.bot.handleUpdate(update).finally(() => {
      inFlight -= 1;
    });
    // What goes wrong after the ack is the handlers' business (logged, the update marked failed).
    handled.catch((err: unknown) => log.error({ err, update: update.update_id }, 'update handling failed'));
    try {
      await Promise.race([stored, handled]);
      if (inFlight > maxInFlight) await handled.catch(() => undefined);
    } catch (err) {
      log.error({ err, update: update.update_id }, 'update not stored; Telegram will deliver it again');
      return c.text('not stored', 503);
    }
    return c.text('', 200);
  });
  return app;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
