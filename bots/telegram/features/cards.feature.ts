// Staff acting on cards by their buttons. Opening, taking a lead, listing stages and finishing
// a task happen here; everything that asks something enters a flow. A press on a deal card
// whose version is no longer the deal's is answered with the deal as it is now.
import { Composer, InlineKeyboard } from 'grammy';
import type { Db } from '../../../db/client.ts';
import { ANSWER_CUSTOMER_FLOW } from '../../../flows/answer-customer.flow.ts';
import { ATTACH_FILE_FLOW } from '../../../flows/attach-file.flow.ts';
import { COMMENT_FLOW } from '../../../flows/comment.flow.ts';
import { CONVERT_LEAD_FLOW } from '../../../flows/convert-lead.flow.ts';
import { EDIT_FIELD_FLOW } from '../../../flows/edit-field.flow.ts';
import { LEAD_STATUS_FLOW } from '../../../flows/lead-status.flow.ts';
import { MOVE_DEAL_FLOW } from '../../../flows/move-deal.flow.ts';
import { ASSIGN_FLOW, OBSERVERS_FLOW } from '../../../flows/people.flow.ts';
import { observerRefusal, refusalText } from '../../../flows/refusals.ts';
import { REMIND_FLOW } from '../../../flows/remind.flow.ts';
import { settle } from '../../../flows/staff.ts';
import { type Actor, userActor } from '../../../src/crm/actor.ts';
import { takeLead } from '../../../src/crm/assign.ts';
import { getDealCard } from '../../../src/crm/cards.ts';
import { convertContactToCompany } from '../../../src/crm/contact-to-company.ts';
import { assertMayChange } from '../../../src/crm/may-change.ts';
import { completeTask } from '../../../src/crm/tasks.ts';
import { renderContactCard } from '../cards/contact-card.ts';
import { type CardMessage, markupOf, renderDealCard, renderLeadCard } from '../cards/render-cards.ts';
import type { BotContext } from '../context.ts';
import type { Lang, Translate } from '../i18n.ts';

export interface CardsDeps {
  db: Db;
  t: Translate;
  timeZone: string;
}

type StaffCtx = BotContext & { crm: { sender: { kind: 'staff' } } };

function who(ctx: BotContext): { actor: Actor; lang: Lang } {
  const s = ctx.crm.sender;
  if (s.kind !== 'staff') throw new Error('a staff action reached for someone who is not staff');
  return { actor: userActor(s.user), lang: s.user.language };
}

export function cardsFeature(deps: CardsDeps) {
  const { db, t } = deps;
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx): ctx is StaffCtx => ctx.crm?.sender.kind === 'staff');

  const send = async (ctx: BotContext, lang: Lang, card: Promise<CardMessage>) => {
    const r = await settle(card);
    if (r.ok) await ctx.reply(r.value.text, { reply_markup: r.value.reply_markup });
    else await ctx.reply(refusalText(t, lang, r.error));
  };

  staff.callbackQuery(/^d:(\d+):open$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = who(ctx);
    await send(ctx, lang, renderDealCard(deps, actor, lang, Number(ctx.match[1])));
  });

  staff.callbackQuery(/^d:(\d+):(\d+):([a-z])(?::([a-z0-9_]+))?$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = who(ctx);
    const dealId = Number(ctx.match[1]);
    const version = Number(ctx.match[2]);
    const action = ctx.match[3]!;
    const arg = ctx.match[4];
    const card = await settle(getDealCard(db, actor, dealId));
    if (!card.ok) return void (await ctx.reply(refusalText(t, lang, card.error)));
    // An observer reads, comments, reminds himself, adds files and answers; the rest is refused at once.
    if (!card.value.mayChange && ['m', 's', 'e', 'o', 'a'].includes(action)) return void (await ctx.reply(observerRefusal(t, lang, 'deal', dealId)));
    // Comments, reminders and answers to the client cannot overwrite anything: no version check.
    if (version !== card.value.deal.version && !['c', 'r', 't'].includes(action)) {
      await ctx.reply(t(lang, 'card-changed-meanwhile', { number: dealId }));
      return send(ctx, lang, renderDealCard(deps, actor, lang, dealId));
    }
    switch (action) {
      case 'm':
        return ctx.conversation.enter(MOVE_DEAL_FLOW, { dealId, version, toStage: arg });
      case 's': {
        const kb = new InlineKeyboard();
        for (const s of card.value.pipeline.stages) if (s.id !== card.value.stage.id) kb.text(s.name, `d:${dealId}:${version}:m:${s.key}`).row();
        return void (await ctx.reply(t(lang, 'stage-choose', { number: dealId, stage: card.value.stage.name }), { reply_markup: markupOf(kb) }));
      }
      case 'c':
        return ctx.conversation.enter(COMMENT_FLOW, { entity: 'deal', id: dealId });
      case 'r':
        return ctx.conversation.enter(REMIND_FLOW, { entity: 'deal', id: dealId });
      case 'f':
        return ctx.conversation.enter(ATTACH_FILE_FLOW, { entity: 'deal', id: dealId, version });
      case 'e':
        return ctx.conversation.enter(EDIT_FIELD_FLOW, { entity: 'deal', id: dealId, version });
      case 'o':
        return ctx.conversation.enter(OBSERVERS_FLOW, { id: dealId, version });
      case 'a':
        return ctx.conversation.enter(ASSIGN_FLOW, { entity: 'deal', id: dealId, version });
      case 't':
        return ctx.conversation.enter(ANSWER_CUSTOMER_FLOW, { entity: 'deal', id: dealId });
      default:
        return void (await ctx.reply(t(lang, 'button-unknown')));
    }
  });

  staff.callbackQuery(/^l:(\d+):([a-z]+)$/, async (ctx) => {
    const { actor, lang } = who(ctx);
    const leadId = Number(ctx.match[1]);
    const action = ctx.match[2]!;
    if (action === 'take') {
      const taken = await settle(takeLead(db, actor, leadId));
      await ctx.answerCallbackQuery(taken.ok ? t(lang, 'lead-taken-toast') : undefined);
      if (!taken.ok) return void (await ctx.reply(refusalText(t, lang, taken.error)));
      await ctx.reply(t(lang, 'lead-taken', { number: leadId }));
      return send(ctx, lang, renderLeadCard(deps, actor, lang, leadId));
    }
    await ctx.answerCallbackQuery();
    switch (action) {
      case 'open':
        return send(ctx, lang, renderLeadCard(deps, actor, lang, leadId));
      case 'cv':
        return ctx.conversation.enter(CONVERT_LEAD_FLOW, { leadId });
      case 'st':
        return ctx.conversation.enter(LEAD_STATUS_FLOW, { leadId });
      case 'c':
        return ctx.conversation.enter(COMMENT_FLOW, { entity: 'lead', id: leadId });
      case 'r':
        return ctx.conversation.enter(REMIND_FLOW, { entity: 'lead', id: leadId });
      case 'e':
        return ctx.conversation.enter(EDIT_FIELD_FLOW, { entity: 'lead', id: leadId });
      case 'a':
        return ctx.conversation.enter(ASSIGN_FLOW, { entity: 'lead', id: leadId });
      case 't':
        return ctx.conversation.enter(ANSWER_CUSTOMER_FLOW, { entity: 'lead', id: leadId });
      default:
        return void (await ctx.reply(t(lang, 'button-unknown')));
    }
  });

  staff.callbackQuery(/^c:(\d+):([a-z]+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = who(ctx);
    const contactId = Number(ctx.match[1]);
    if (ctx.match[2] === 'e' || ctx.match[2] === 'co') {
      const may = await settle(assertMayChange(db, actor, 'contact', contactId));
      if (!may.ok) return void (await ctx.reply(refusalText(t, lang, may.error)));
    }
    switch (ctx.match[2]) {
      case 'open':
        return send(ctx, lang, renderContactCard(deps, actor, lang, contactId));
      case 'e':
        return ctx.conversation.enter(EDIT_FIELD_FLOW, { entity: 'contact', id: contactId });
      case 'c':
        return ctx.conversation.enter(COMMENT_FLOW, { entity: 'contact', id: contactId });
      case 'r':
        return ctx.conversation.enter(REMIND_FLOW, { entity: 'contact', id: contactId });
      case 'co': {
        const made = await settle(convertContactToCompany(db, actor, contactId).then((r) => ({ id: r.company.id, name: r.company.name })));
        if (!made.ok) return void (await ctx.reply(refusalText(t, lang, made.error)));
        await ctx.reply(t(lang, 'company-from-contact', { number: made.value.id, name: made.value.name }));
        return send(ctx, lang, renderContactCard(deps, actor, lang, contactId));
      }
      default:
        return void (await ctx.reply(t(lang, 'button-unknown')));
    }
  });

  staff.callbackQuery(/^t:(\d+):reply$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.conversation.enter(ANSWER_CUSTOMER_FLOW, { threadId: Number(ctx.match[1]) });
  });

  staff.callbackQuery(/^k:(\d+):done$/, async (ctx) => {
    const { actor, lang } = who(ctx);
    const done = await settle(completeTask(db, actor, Number(ctx.match[1])).then((task) => task.title));
    await ctx.answerCallbackQuery();
    await ctx.reply(done.ok ? t(lang, 'task-done', { title: done.value }) : refusalText(t, lang, done.error));
  });

  return feature;
}

/** Installed last: a button of a flow that has ended, or one nobody handles, says so rather than spin. */
export function staleButtons() {
  const feature = new Composer<BotContext>();
  feature.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
  });
  return feature;
}
