// Updates a bot is handling right now, wherever they came from (polling, a webhook, the
// recovery sweep, the WhatsApp bridge): every one goes through bot.handleUpdate, wrapped here so
// a stopping process can wait for them and say how many were left.
import type { Bot } from 'grammy';

export interface UpdatesInFlight {
  count(): number;
  /** Resolves once no update is being handled, counting those that start meanwhile. */
  drained(): Promise<void>;
}

export function trackUpdatesInFlight(bot: Bot<any>): UpdatesInFlight {
  const running = new Set<Promise<void>>();
  const handle = bot.handleUpdate.bind(bot);
  bot.handleUpdate = (update, webhookReplyEnvelope) => {
    const handling = handle(update, webhookReplyEnvelope);
    running.add(handling);
    const forget = () => void running.delete(handling);
    handling.then(forget, forget);
    return handling;
  };
  return {
    count: () => running.size,
    async drained() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
