// Lead and deal cards as Telegram messages: the fields, where the record stands, its latest
// history, and the buttons that act on it. Button data carries the deal's version, so a press
// on a card someone else has changed since is recognised and answered with the current card.
import { InlineKeyboard } from 'grammy';
import type { Db } from '../../../db/client.ts';
import type { CustomFieldDef } from '../../../db/schema/index.ts';
import type { Actor } from '../../../src/crm/actor.ts';
import { type DealCard, getDealCard, getLeadCard, type LeadCard } from '../../../src/crm/cards.ts';
import { getCompanyConfig } from '../../../src/crm/company-config.ts';
import { loadFieldDefs } from '../../../src/crm/custom-fields.ts';
import { shorten } from '../../../src/messaging/record-inbound.ts';
import type { Lang, Translate } from '../i18n.ts';
import { formatMoney, formatValue } from './format.ts';
import { timelineLine } from './timeline-lines.ts';

export interface CardMessage {
  text: string;
  reply_markup: { inline_keyboard: { text: string; callback_data: string }[][] };
}

/** The keyboard without the empty rows `row()` leaves behind. */
export function markupOf(kb: InlineKeyboard): CardMessage['reply_markup'] {
  return { inline_keyboard: kb.inline_keyboard.filter((r) => r.length > 0) as CardMessage['reply_markup']['inline_keyboard'] };
}

export interface CardDeps {
  db: Db;
  t: Translate;
  timeZone: string;
}

/** Telegram takes 4096 characters; a card stays well under. */
const CARD_LIMIT = 3500;

function fieldLines(defs: CustomFieldDef[], values: Record<string, unknown>, lang: Lang, t: Translate): string[] {
  const out: string[] = [];
  for (const d of defs) {
    const v = values[d.key];
    if (v === undefined || v === null || v === '') continue;
    out.push(`${d.label}: ${shorten(formatValue(d.type, v, lang, t), 200)}`);
  }
  return out;
}

function finish(lines: string[], history: string[], lang: Lang, t: Translate): string {
  const head = lines.join('\n');
  const tail = history.length ? `\n\n${t(lang, 'card-latest')}\n${history.join('\n')}` : '';
  return shorten(head + tail, CARD_LIMIT);
}

export function dealCardMessage(card: DealCard, defs: CustomFieldDef[], deps: CardDeps, lang: Lang): CardMessage {
  const { t } = deps;
  const d = card.deal;
  const position = card.pipeline.stages.findIndex((s) => s.id === card.stage.id) + 1;
  const lines = [
    t(lang, 'card-deal-head', { number: d.id, pipeline: card.pipeline.name }),
    shorten(d.title, 300),
    t(lang, 'card-stage', { stage: card.stage.name, at: position, of: card.pipeline.stages.length }),
    t(lang, 'card-amount', { amount: formatMoney(d.amount, d.currency) }),
  ];
  if (card.contact) lines.push(t(lang, 'card-contact', { name: card.contact.name + (card.contact.phone ? ` · ${card.contact.phone}` : '') }));
  if (card.company) lines.push(t(lang, 'card-company', { name: card.company.name }));
  lines.push(t(lang, 'card-responsible', { name: card.responsible?.name ?? t(lang, 'card-nobody') }));
  if (card.observers.length) lines.push(t(lang, 'card-observers', { names: card.observers.map((o) => o.name).join(', ') }));
  lines.push(...fieldLines(defs, d.custom, lang, t));
  if (d.comment) lines.push(t(lang, 'card-comment', { text: shorten(d.comment, 300) }));
  const names = { stages: new Map(card.pipeline.stages.map((s) => [s.key, s.name])), fields: new Map(defs.map((f) => [f.key, f.label])) };
  const history = card.timeline.map((e) => timelineLine(e, lang, t, deps.timeZone, names));

  const kb = new InlineKeyboard();
  const act = (action: string) => `d:${d.id}:${d.version}:${action}`;
  // An observer follows the deal: he comments, reminds himself, adds files to the history and
  // answers the client; moving, editing and handing it over are not his buttons.
  if (card.mayChange && card.stage.kind === 'open') {
    const next = card.nextStageKey ? card.pipeline.stages.find((s) => s.key === card.nextStageKey) : null;
    if (next) kb.text(t(lang, 'btn-next-stage', { stage: next.name }), act(`m:${next.key}`));
    kb.text(t(lang, 'btn-choose-stage'), act('s')).row();
    const won = card.pipeline.stages.find((s) => s.kind === 'won');
    const lost = card.pipeline.stages.find((s) => s.kind === 'lost');
    if (won) kb.text(t(lang, 'btn-won'), act(`m:${won.key}`));
    if (lost) kb.text(t(lang, 'btn-lost'), act(`m:${lost.key}`));
    kb.row();
  }
  kb.text(t(lang, 'btn-comment'), act('c')).text(t(lang, 'btn-remind'), act('r')).text(t(lang, 'btn-file'), act('f')).row();
  if (card.mayChange) kb.text(t(lang, 'btn-edit-field'), act('e')).text(t(lang, 'btn-observers'), act('o')).text(t(lang, 'btn-responsible'), act('a')).row();
  if (card.contact) kb.text(t(lang, 'btn-answer-client'), act('t')).text(t(lang, 'btn-contact'), `c:${card.contact.id}:open`);
  kb.text(t(lang, 'btn-refresh'), `d:${d.id}:open`);
  return { text: finish(lines, history, lang, t), reply_markup: markupOf(kb) };
}

export function leadCardMessage(card: LeadCard, defs: CustomFieldDef[], sourceName: string, deps: CardDeps, lang: Lang): CardMessage {
  const { t } = deps;
  const l = card.lead;
  const lines = [t(lang, 'card-lead-head', { number: l.id, status: card.status?.name ?? l.status }), shorten(l.title, 300), t(lang, 'card-source', { source: sourceName })];
  if (card.contact) lines.push(t(lang, 'card-contact', { name: card.contact.name + (card.contact.phone ? ` · ${card.contact.phone}` : '') }));
  if (card.company) lines.push(t(lang, 'card-company', { name: card.company.name }));
  lines.push(t(lang, 'card-responsible', { name: card.responsible?.name ?? t(lang, 'card-nobody') }));
  lines.push(...fieldLines(defs, l.custom, lang, t));
  if (l.statusReason) lines.push(t(lang, 'card-reason', { text: shorten(l.statusReason, 300) }));
  if (l.convertedDealId) lines.push(t(lang, 'card-converted', { number: l.convertedDealId }));
  else if (l.comment) lines.push(t(lang, 'card-comment', { text: shorten(l.comment, 300) }));
  const history = card.timeline.map((e) => timelineLine(e, lang, t, deps.timeZone, { fields: new Map(defs.map((f) => [f.key, f.label])) }));

  const kb = new InlineKeyboard();
  const act = (action: string) => `l:${l.id}:${action}`;
  const open = card.status?.kind === 'open' && !l.convertedDealId;
  if (open) {
    if (card.responsible === null) kb.text(t(lang, 'btn-take'), act('take'));
    kb.text(t(lang, 'btn-convert'), act('cv')).text(t(lang, 'btn-status'), act('st')).row();
    kb.text(t(lang, 'btn-comment'), act('c')).text(t(lang, 'btn-remind'), act('r')).text(t(lang, 'btn-edit-field'), act('e')).row();
    if (card.contact) kb.text(t(lang, 'btn-answer-client'), act('t')).text(t(lang, 'btn-contact'), `c:${card.contact.id}:open`);
    kb.text(t(lang, 'btn-responsible'), act('a'));
  } else if (l.convertedDealId) {
    kb.text(t(lang, 'btn-open-deal', { number: l.convertedDealId }), `d:${l.convertedDealId}:open`);
  }
  kb.text(t(lang, 'btn-refresh'), act('open'));
  return { text: finish(lines, history, lang, t), reply_markup: markupOf(kb) };
}

/** The deal card for this reader, built from the database now. Access is checked. */
export async function renderDealCard(deps: CardDeps, actor: Actor, lang: Lang, dealId: number): Promise<CardMessage> {
  const [card, defs] = await Promise.all([getDealCard(deps.db, actor, dealId), loadFieldDefs(deps.db, 'deal')]);
  return dealCardMessage(card, defs, deps, lang);
}

export async function renderLeadCard(deps: CardDeps, actor: Actor, lang: Lang, leadId: number): Promise<CardMessage> {
  const [card, defs, config] = await Promise.all([getLeadCard(deps.db, actor, leadId), loadFieldDefs(deps.db, 'lead'), getCompanyConfig(deps.db)]);
  const source = config.leadSources.find((s) => s.key === card.lead.source)?.name ?? card.lead.source;
  return leadCardMessage(card, defs, source, deps, lang);
}
