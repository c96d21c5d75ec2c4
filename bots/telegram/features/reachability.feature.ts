// A customer who blocks the bot cannot be written to: Telegram says so in a my_chat_member
// update (the bot "kicked" from his private chat), and says so again when he unblocks it.
// Both are recorded on his identity, with the time Telegram gives, before anyone tries a send
// that would come back 403. Groups are left alone: removing the bot from a group is not a
// person becoming unreachable.
import { Composer } from 'grammy';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.ts';
import { markIdentityReachable, markIdentityUnreachable } from '../../../src/messaging/identity-reach.ts';
import type { BotContext } from '../context.ts';

export const BLOCKED_THE_BOT = 'blocked the bot';

export function reachabilityFeature(deps: { db: Db; logger: Logger }) {
  const feature = new Composer<BotContext>();
  feature.on('my_chat_member', async (ctx) => {
    const change = ctx.myChatMember;
    if (change.chat.type !== 'private') return;
    const person = String(change.chat.id);
    // Telegram's date is whole seconds: the end of that second, so a send refused in it is not newer.
    const at = new Date(change.date * 1000 + 999);
    const status = change.new_chat_member.status;
    if (status === 'kicked') {
      await markIdentityUnreachable(deps.db, 'telegram', person, BLOCKED_THE_BOT, new Date(change.date * 1000));
      deps.logger.info({ chat: person }, 'a person blocked the bot');
    } else if (status === 'member' && (await markIdentityReachable(deps.db, 'telegram', person, at))) {
      deps.logger.info({ chat: person }, 'a person unblocked the bot');
    }
  });
  return feature;
}
