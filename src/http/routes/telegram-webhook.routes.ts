import { type Bot, webhookCallback } from 'grammy';
import { Hono } from 'hono';
import type { AppEnv } from '../types.ts';

/**
 * POST /webhooks/telegram. grammY checks X-Telegram-Bot-Api-Secret-Token (401 when missing or
 * wrong) and answers only after the handlers ran, so 2xx means stored; a database failure
 * surfaces as a 5xx and Telegram redelivers.
 */
export function telegramWebhookRoute(bot: Bot<any>, secretToken: string) {
  const app = new Hono<AppEnv>();
  const handle = webhookCallback(bot, 'hono', { secretToken, onTimeout: 'throw', timeoutMilliseconds: 25_000 });
  app.post('/', (c) => handle(c));
  return app;
}
