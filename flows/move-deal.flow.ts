// Moving a deal to a stage from its card: the stage's requirements the deal lacks are asked
// one by one (a file as a document or a photo, a date, an amount, a reason from the list or
// in one's own words), then the move is made in one step with the version the card showed.
// Cancel at any question leaves the deal as it was; a card changed meanwhile is not touched —
// the manager is told and shown the deal as it is now.
import { renderDealCard } from '../bots/telegram/cards/render-cards.ts';
import { getCompanyConfig } from '../src/crm/company-config.ts';
import { assertMayChange } from '../src/crm/may-change.ts';
import { moveDealToStage } from '../src/crm/move-deal.ts';
import { planDealMove } from '../src/sales/stage-move-plan.ts';
import { ask } from './ask.ts';
import { refusalText } from './refusals.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { settle, staffSession } from './staff.ts';

export const MOVE_DEAL_FLOW = 'move-deal';

export interface MoveDealArgs {
  dealId: number;
  /** The version of the card the button was on. */
  version: number;
  toStage: string;
}

export function moveDealFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function moveDeal(conversation: FlowConversation, ctx: FlowContext, args: MoveDealArgs) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const showCard = async () => {
      const card = await conversation.external(() => settle(renderDealCard(deps, actor, lang, args.dealId)));
      if (card.ok) await ctx.reply(card.value.text, { reply_markup: card.value.reply_markup });
    };
    const may = await conversation.external(() => settle(assertMayChange(deps.db, actor, 'deal', args.dealId)));
    if (!may.ok) return void (await ctx.reply(refusalText(t, lang, may.error)));
    const plan = await conversation.external(() => settle(planDealMove(deps.db, actor, args.dealId, args.toStage)));
    if (!plan.ok) {
      await ctx.reply(refusalText(t, lang, plan.error));
      return;
    }
    if (plan.value.version !== args.version) {
      await ctx.reply(t(lang, 'card-changed-meanwhile', { number: args.dealId }));
      await showCard();
      return;
    }
    const { target, missing, unaskable } = plan.value;
    if (unaskable.length) {
      await ctx.reply(t(lang, 'move-needs-card-fields', { stage: target.name, fields: unaskable.map((f) => t(lang, `std-field-${f}`)).join(', ') }));
      return;
    }
    const reasons = target.kind === 'lost' ? await conversation.external(async () => (await getCompanyConfig(deps.db)).lossReasons) : [];
    if (missing.length) await ctx.reply(t(lang, 'move-needs', { stage: target.name, count: missing.length }));
    const values: Record<string, unknown> = {};
    for (const m of missing) {
      const label = m.label === 'amount' || m.label === 'comment' ? t(lang, `std-field-${m.label}`) : m.label;
      // A loss reason is picked from the company's list or written in one's own words.
      const asReason = target.kind === 'lost' && m.type === 'string' && reasons.length > 0;
      const answer = await ask(conversation, ctx, t, deps.timeZone, {
        text: t(lang, `move-ask-${asReason ? 'reason' : m.type}`, { label }),
        type: asReason ? 'enum' : m.type,
        options: asReason ? reasons : m.options,
        otherText: asReason,
        lang,
        controls: true,
      });
      if (answer.kind !== 'value') {
        await ctx.reply(t(lang, 'move-cancelled', { number: args.dealId }));
        await showCard();
        return;
      }
      values[m.field] = m.type === 'file' ? { ...(answer.value as object), channel: 'telegram' } : answer.value;
    }
    const moved = await conversation.external(() =>
      settle(moveDealToStage(deps.db, actor, args.dealId, { toStage: target.key, expectedVersion: args.version, values }).then((r) => ({ to: r.to.name }))),
    );
    if (!moved.ok) {
      await ctx.reply(moved.error.name === 'StaleVersionError' ? t(lang, 'card-changed-meanwhile', { number: args.dealId }) : refusalText(t, lang, moved.error));
      await showCard();
      return;
    }
    await ctx.reply(t(lang, target.kind === 'won' ? 'move-won' : target.kind === 'lost' ? 'move-lost' : 'move-done', { number: args.dealId, stage: moved.value.to }));
    await showCard();
  };
}
