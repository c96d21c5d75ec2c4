// Long polling with @grammyjs/runner: updates are fetched and handled concurrently; the inbox
// middleware keeps the updates of one chat in order.
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { BotContext } from './context.ts';

export async function startPolling(bot: Bot<BotContext>): Promise<RunnerHandle> {
  // A webhook left over from webhook mode would make getUpdates fail with 409.
  await bot.api.deleteWebhook();
  await bot.init();
  return run(bot, {
    runner: { fetch: { allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] } },
  });
}
