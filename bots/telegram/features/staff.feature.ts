// Staff commands in the chat: lists of leads and deals, search, new contacts and companies,
// answering a customer by replying to his relayed message. A plain text is a search; an
// unknown command gets the help.
import { Composer, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { and, asc, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { leads, stages } from '../../../db/schema/index.ts';
import { NEW_COMPANY_FLOW, NEW_CONTACT_FLOW } from '../../../flows/new-contact.flow.ts';
import { refusalText } from '../../../flows/refusals.ts';
import { settle } from '../../../flows/staff.ts';
import { type Actor, hasRole, userActor } from '../../../src/crm/actor.ts';
import { getCompanyConfig } from '../../../src/crm/company-config.ts';
import { contactDisplayName } from '../../../src/crm/contacts.ts';
import { type DealListFilter, listDeals } from '../../../src/crm/deals.ts';
import { listLeads } from '../../../src/crm/leads.ts';
import { listPipelines } from '../../../src/crm/pipelines.ts';
import { searchRecords } from '../../../src/crm/search.ts';
import { shorten } from '../../../src/messaging/record-inbound.ts';
import { answerCustomer, answerFits, type CustomerAnswer, threadOfRelay } from '../../../src/sales/open-line.ts';
import { renderContactCard } from '../cards/contact-card.ts';
import { markupOf, renderDealCard, renderLeadCard } from '../cards/render-cards.ts';
import type { BotContext } from '../context.ts';
import type { Lang, Translate } from '../i18n.ts';

const LIST_LIMIT = 20;

function who(ctx: BotContext): { actor: Actor; lang: Lang; user: { id: number; name: string; roles: ('manager' | 'logist' | 'supervisor' | 'admin')[] } } {
  const s = ctx.crm.sender;
  if (s.kind !== 'staff') throw new Error('a staff command reached for someone who is not staff');
  return { actor: userActor(s.user), lang: s.user.language, user: s.user };
}

export function staffFeature(deps: { db: Db; t: Translate; timeZone: string; telegramAccount: string | null }) {
  const { db, t } = deps;
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => ctx.crm?.sender.kind === 'staff' && !ctx.crm.inbound.isGroup);

  staff.command('help', (ctx) => ctx.reply(ctx.t('staff-help')));
  staff.command('cancel', (ctx) => ctx.reply(ctx.t('nothing-to-cancel')));
  staff.command('newcontact', (ctx) => ctx.conversation.enter(NEW_CONTACT_FLOW));
  staff.command('newcompany', (ctx) => ctx.conversation.enter(NEW_COMPANY_FLOW));

  staff.command('leads', async (ctx) => {
    const { actor, lang } = who(ctx);
    const config = await getCompanyConfig(db);
    const open = config.leadStatuses.filter((s) => s.kind === 'open').map((s) => s.key);
    const name = (key: string) => config.leadStatuses.find((s) => s.key === key)?.name ?? key;
    const mine = (await listLeads(db, actor, { limit: 100 })).items.filter((l) => open.includes(l.status) && !l.convertedDealId);
    // The pool nobody has taken yet: any manager may take from it.
    const pool = await db.select().from(leads).where(and(isNull(leads.responsibleId), isNull(leads.convertedDealId), inArray(leads.status, open))).orderBy(asc(leads.id)).limit(LIST_LIMIT);
    const kb = new InlineKeyboard();
    const shown = new Set<number>();
    for (const l of [...pool, ...mine].slice(0, LIST_LIMIT * 2)) {
      if (shown.has(l.id)) continue;
      shown.add(l.id);
      const mark = l.responsibleId === null ? '🆕 ' : '';
      kb.text(shorten(`${mark}№${l.id} · ${l.title} · ${name(l.status)}`, 60), `l:${l.id}:open`).row();
    }
    if (shown.size === 0) return void (await ctx.reply(t(lang, 'leads-none')));
    await ctx.reply(t(lang, 'leads-list', { count: shown.size }), { reply_markup: markupOf(kb) });
  });

  const dealsList = async (ctx: BotContext, filter: DealListFilter, title: string) => {
    const { actor, lang } = who(ctx);
    const page = await listDeals(db, actor, { ...filter, openOnly: true, limit: LIST_LIMIT });
    if (page.items.length === 0) return void (await ctx.reply(t(lang, 'deals-none', { title })));
    const stageRows = await db.select({ id: stages.id, name: stages.name }).from(stages).where(inArray(stages.id, [...new Set(page.items.map((d) => d.stageId))]));
    const stageName = new Map(stageRows.map((s) => [s.id, s.name]));
    const kb = new InlineKeyboard();
    for (const d of page.items) kb.text(shorten(`№${d.id} · ${d.title} · ${stageName.get(d.stageId) ?? ''}`, 60), `d:${d.id}:open`).row();
    await ctx.reply(t(lang, 'deals-list', { title, count: page.items.length }), { reply_markup: markupOf(kb) });
  };

  staff.command('deals', async (ctx) => {
    const { lang } = who(ctx);
    const kb = new InlineKeyboard().text(t(lang, 'btn-deals-mine'), 'dl:mine').text(t(lang, 'btn-deals-stages'), 'dl:stages').text(t(lang, 'btn-deals-overdue'), 'dl:overdue');
    await ctx.reply(t(lang, 'deals-which'), { reply_markup: kb });
  });
  staff.callbackQuery('dl:mine', async (ctx) => {
    await ctx.answerCallbackQuery();
    await dealsList(ctx, { mine: true }, t(who(ctx).lang, 'btn-deals-mine'));
  });
  staff.callbackQuery('dl:overdue', async (ctx) => {
    await ctx.answerCallbackQuery();
    const { actor, lang } = who(ctx);
    // A manager's overdue deals are his own; a supervisor sees everybody's.
    await dealsList(ctx, { overdue: true, mine: !hasRole(actor, 'supervisor', 'admin') }, t(lang, 'btn-deals-overdue'));
  });
  staff.callbackQuery('dl:stages', async (ctx) => {
    await ctx.answerCallbackQuery();
    const { lang } = who(ctx);
    const kb = new InlineKeyboard();
    for (const p of await listPipelines(db)) for (const s of p.stages) if (s.kind === 'open') kb.text(shorten(`${p.name}: ${s.name}`, 60), `dl:st:${p.key}:${s.key}`).row();
    await ctx.reply(t(lang, 'deals-pick-stage'), { reply_markup: markupOf(kb) });
  });
  staff.callbackQuery(/^dl:st:([a-z0-9_]+):([a-z0-9_]+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const pipelines = await listPipelines(db);
    const stage = pipelines.find((p) => p.key === ctx.match[1])?.stages.find((s) => s.key === ctx.match[2]);
    await dealsList(ctx, { pipelineKey: ctx.match[1]!, stageKey: ctx.match[2]! }, stage?.name ?? ctx.match[2]!);
  });

  staff.command('find', async (ctx) => {
    const q = ctx.match.trim();
    if (!q) return void (await ctx.reply(ctx.t('find-usage')));
    await search(ctx, q);
  });

  const search = async (ctx: BotContext, q: string) => {
    const { actor, lang } = who(ctx);
    const found = await searchRecords(db, actor, q, { limit: 8 });
    // One record found: its card at once.
    const only = [...found.leads.map((l) => ['lead', l.id] as const), ...found.deals.map((d) => ['deal', d.id] as const), ...found.contacts.map((c) => ['contact', c.id] as const)];
    if (only.length === 1 && found.companies.length === 0) {
      const [kind, id] = only[0]!;
      const render = kind === 'deal' ? renderDealCard : kind === 'lead' ? renderLeadCard : renderContactCard;
      const card = await settle(render(deps, actor, lang, id));
      return void (await ctx.reply(card.ok ? card.value.text : refusalText(t, lang, card.error), card.ok ? { reply_markup: card.value.reply_markup } : {}));
    }
    const kb = new InlineKeyboard();
    for (const l of found.leads) kb.text(shorten(`📋 №${l.id} · ${l.title}`, 60), `l:${l.id}:open`).row();
    for (const d of found.deals) kb.text(shorten(`💼 №${d.id} · ${d.title}`, 60), `d:${d.id}:open`).row();
    for (const c of found.contacts) kb.text(shorten(`👤 ${contactDisplayName(c)}${c.phone ? ` · ${c.phone}` : ''}`, 60), `c:${c.id}:open`).row();
    const companiesText = found.companies.map((c) => `🏢 №${c.id} ${c.name}${c.inn ? ` (${t(lang, 'inn')} ${c.inn})` : ''}`).join('\n');
    const total = found.leads.length + found.deals.length + found.contacts.length + found.companies.length;
    if (total === 0) return void (await ctx.reply(t(lang, 'find-nothing', { q: shorten(q, 100) })));
    await ctx.reply(t(lang, 'find-found', { q: shorten(q, 100), count: total }) + (companiesText ? `\n${companiesText}` : ''), { reply_markup: markupOf(kb) });
  };

  // A reply to a relayed customer message is the answer to that customer.
  staff.on('message', async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (!replied || !deps.telegramAccount) return next();
    const thread = await threadOfRelay(db, deps.telegramAccount, String(ctx.chat.id), String(replied.message_id));
    if (!thread) return next();
    const { lang, user } = who(ctx);
    const answer = answerOf(ctx.message);
    if (!answer) return void (await ctx.reply(t(lang, 'answer-text-or-file')));
    if (!answerFits(answer, thread, ctx.crm.scope))
      return void (await ctx.reply(t(lang, 'answer-file-other-channel', { channel: t(lang, `channel-${thread.channel}`) })));
    const sent = await settle(answerCustomer(db, user, thread, answer, `answer:${thread.id}:update:${ctx.update.update_id}`));
    await ctx.reply(sent.ok ? t(lang, 'answer-sent', { channel: t(lang, `channel-${thread.channel}`) }) : refusalText(t, lang, sent.error));
  });

  staff.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (text.startsWith('/')) return void (await ctx.reply(ctx.t('unknown-command')));
    await search(ctx, text);
  });
  return feature;
}

/** A staff member's message as an answer to a customer: a document or a photo (with its caption), else its text; null for anything else (a voice, a sticker). */
function answerOf(message: Message): CustomerAnswer | null {
  const caption = message.caption?.trim() || undefined;
  if (message.document) {
    const { file_id: fileId, file_name: fileName } = message.document;
    return { file: { kind: 'document', fileId, ...(fileName ? { fileName } : {}), ...(caption ? { caption } : {}) } };
  }
  const photo = message.photo?.at(-1);
  if (photo) return { file: { kind: 'photo', fileId: photo.file_id, ...(caption ? { caption } : {}) } };
  return message.text?.trim() ? message.text : null;
}
