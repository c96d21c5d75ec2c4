// Long polling with @grammyjs/runner: updates of one chat in order, different chats in parallel.
import { run, type RunnerHandle, sequentialize } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { BotContext } from './context.ts';

export const chatKey = (ctx: { chat?: { id: number }; from?: { id: number } }) => String(ctx.chat?.id ?? ctx.from?.id ?? '');

export async function startPolling(bot: Bot<BotContext>): Promise<RunnerHandle> {
  // A webhook left over from webhook mode would make getUpdates fail with 409.
  await bot.api.deleteWebhook();
  await bot.init();
  return run(bot, {
    runner: { fetch: { allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] } },
  });
}

/** Installed before everything else on a polling bot. */
export const perChatOrder = sequentialize<BotContext>(chatKey);
