// A comment on a lead, deal or contact card, from the chat.
import { addCardComment, type CardEntity } from '../src/sales/card-actions.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';

export const COMMENT_FLOW = 'comment';

export function commentFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function comment(conversation: FlowConversation, ctx: FlowContext, args: { entity: CardEntity; id: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const answer = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'comment-ask'), type: 'string', lang, controls: true });
    if (answer.kind !== 'value') {
      await ctx.reply(t(lang, 'flow-cancelled'));
      return;
    }
    const done = await conversation.external(() => settle(addCardComment(deps.db, actor, args.entity, args.id, String(answer.value)).then(() => true)));
    await ctx.reply(done.ok ? t(lang, 'comment-saved') : refusalText(t, lang, done.error));
    if (done.ok) await showCard(conversation, ctx, deps, actor, lang, args.entity, args.id);
  };
}
