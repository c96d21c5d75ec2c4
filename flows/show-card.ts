// Ending a flow on the card it changed, as it is now.
import type { Lang } from '../bots/telegram/i18n.ts';
import { renderContactCard } from '../bots/telegram/cards/contact-card.ts';
import { type CardMessage, renderDealCard, renderLeadCard } from '../bots/telegram/cards/render-cards.ts';
import type { Actor } from '../src/crm/actor.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { settle } from './staff.ts';

export type CardKind = 'lead' | 'deal' | 'contact';

export async function showCard(conversation: FlowConversation, ctx: FlowContext, deps: FlowDeps, actor: Actor, lang: Lang, kind: CardKind, id: number): Promise<void> {
  const render = kind === 'deal' ? renderDealCard : kind === 'lead' ? renderLeadCard : renderContactCard;
  const card = await conversation.external(() => settle<CardMessage>(render(deps, actor, lang, id)));
  if (card.ok) await ctx.reply(card.value.text, { reply_markup: card.value.reply_markup });
  else await ctx.reply(refusalText(deps.t, lang, card.error));
}
