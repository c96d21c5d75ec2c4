// A contact's card in the chat: who he is, his company, his latest history, and what can be
// done with him (edit, make a company of him, comment, remind).
import { InlineKeyboard } from 'grammy';
import { eq } from 'drizzle-orm';
import { companies } from '../../../db/schema/index.ts';
import { type Actor, canManageRecord } from '../../../src/crm/actor.ts';
import { contactDisplayName, getContact } from '../../../src/crm/contacts.ts';
import { loadFieldDefs } from '../../../src/crm/custom-fields.ts';
import { userNames } from '../../../src/crm/staff.ts';
import { listTimeline } from '../../../src/crm/timeline.ts';
import { shorten } from '../../../src/messaging/record-inbound.ts';
import type { Lang } from '../i18n.ts';
import { formatValue } from './format.ts';
import { type CardDeps, type CardMessage, markupOf } from './render-cards.ts';
import { timelineLine } from './timeline-lines.ts';

export async function renderContactCard(deps: CardDeps, actor: Actor, lang: Lang, contactId: number): Promise<CardMessage> {
  const { db, t } = deps;
  const c = await getContact(db, actor, contactId);
  const [defs, names, company, timeline] = await Promise.all([
    loadFieldDefs(db, 'contact'),
    userNames(db, [c.responsibleId]),
    c.companyId === null ? Promise.resolve(undefined) : db.select({ name: companies.name }).from(companies).where(eq(companies.id, c.companyId)).then((r) => r[0]),
    listTimeline(db, 'contact', contactId, { limit: 5, newestFirst: true }),
  ]);
  const lines = [t(lang, 'card-contact-head', { number: c.id, name: contactDisplayName(c) })];
  if (c.phone) lines.push(t(lang, 'card-phone', { phone: c.phone }));
  if (c.email) lines.push(t(lang, 'card-email', { email: c.email }));
  if (c.position) lines.push(t(lang, 'card-position', { position: c.position }));
  if (company) lines.push(t(lang, 'card-company', { name: company.name }));
  lines.push(t(lang, 'card-responsible', { name: (c.responsibleId !== null && names.get(c.responsibleId)) || t(lang, 'card-nobody') }));
  for (const d of defs) {
    const v = c.custom[d.key];
    if (v !== undefined && v !== null && v !== '') lines.push(`${d.label}: ${shorten(formatValue(d.type, v, lang, t), 200)}`);
  }
  if (c.tags.length) lines.push(t(lang, 'card-tags', { tags: c.tags.join(', ') }));
  if (c.comment) lines.push(t(lang, 'card-comment', { text: shorten(c.comment, 300) }));
  const history = timeline.reverse().map((e) => timelineLine(e, lang, t, deps.timeZone));
  const text = shorten(lines.join('\n') + (history.length ? `\n\n${t(lang, 'card-latest')}\n${history.join('\n')}` : ''), 3500);
  const kb = new InlineKeyboard();
  // An observer of the contact reads, comments and reminds himself; he does not edit it.
  if (canManageRecord(actor, c)) {
    kb.text(t(lang, 'btn-edit-field'), `c:${c.id}:e`);
    if (c.companyId === null) kb.text(t(lang, 'btn-make-company'), `c:${c.id}:co`);
  }
  kb.row().text(t(lang, 'btn-comment'), `c:${c.id}:c`).text(t(lang, 'btn-remind'), `c:${c.id}:r`).text(t(lang, 'btn-refresh'), `c:${c.id}:open`);
  return { text, reply_markup: markupOf(kb) };
}
