// What an admin sees in the chat about staff: the list, one person's card with its buttons,
// and the records someone who left still holds, with buttons to hand them over.
import { InlineKeyboard } from 'grammy';
import type { User, UserRole } from '../../../db/schema/index.ts';
import { dateTimeFormat } from '../../../src/crm/date-time-formats.ts';
import { type OpenRecord, openRecordKinds, type OpenRecords } from '../../../src/crm/open-records.ts';
import type { StaffEntry } from '../../../src/crm/users.ts';
import { shorten } from '../../../src/messaging/record-inbound.ts';
import type { Lang, Translate } from '../i18n.ts';
import { type CardMessage, markupOf } from './render-cards.ts';

/** How many people the list shows, and records a hand-over offers one by one, in one message. */
export const LIST_MAX = 40;
export const RECORD_BUTTONS_MAX = 12;

const KIND_ICON: Record<OpenRecord['kind'], string> = { lead: '📋', deal: '💼', task: '⏰', contact: '👤', company: '🏢' };

export const rolesText = (t: Translate, lang: Lang, roles: readonly UserRole[]) => roles.map((r) => t(lang, `staff-role-${r}`)).join(', ');

const day = (lang: Lang, timeZone: string, d: Date) => dateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

function statusText(t: Translate, lang: Lang, timeZone: string, user: User): string {
  if (user.isActive) return t(lang, 'staff-active');
  return user.deactivatedAt ? t(lang, 'staff-inactive-since', { day: day(lang, timeZone, user.deactivatedAt) }) : t(lang, 'staff-inactive');
}

export function staffListMessage(t: Translate, lang: Lang, entries: StaffEntry[]): CardMessage {
  const kb = new InlineKeyboard();
  const lines = [t(lang, 'staff-list-head', { count: entries.length })];
  for (const e of entries.slice(0, LIST_MAX)) {
    const u = e.user;
    const links = `TG ${e.telegramLinked ? '✓' : '—'} · WA ${e.whatsappLinked ? '✓' : '—'}`;
    const boss = e.supervisorName ? ` · ${t(lang, 'staff-supervisor-short', { name: e.supervisorName })}` : '';
    lines.push(`${u.isActive ? '' : '⛔ '}№${u.id} ${u.name} — ${rolesText(t, lang, u.roles)} · ${links}${boss}`);
    kb.text(shorten(`${u.isActive ? '👤' : '⛔'} ${u.name}`, 60), `sa:u:${u.id}`).row();
  }
  if (entries.length > LIST_MAX) lines.push(t(lang, 'staff-list-more', { count: entries.length - LIST_MAX }));
  lines.push('', t(lang, 'staff-admin-hint'));
  return { text: lines.join('\n'), reply_markup: markupOf(kb) };
}

export function staffCardMessage(t: Translate, lang: Lang, timeZone: string, entry: StaffEntry, open: OpenRecords): CardMessage {
  const u = entry.user;
  const lines = [
    t(lang, 'staff-card-head', { number: u.id, name: u.name }),
    t(lang, 'staff-card-roles', { roles: rolesText(t, lang, u.roles) }),
    t(lang, 'staff-card-supervisor', { name: entry.supervisorName ?? '—' }),
    t(lang, 'staff-card-department', { name: u.department ?? '—' }),
    t(lang, 'staff-card-language', { lang: u.language }),
    `Telegram: ${entry.telegramLinked ? t(lang, 'staff-linked-yes') : t(lang, 'staff-linked-no')} · WhatsApp: ${u.whatsappPhone ?? '—'}`,
    t(lang, 'staff-card-status', { status: statusText(t, lang, timeZone, u) }),
    t(lang, 'staff-card-open', { summary: openSummary(t, lang, open) }),
  ];
  const id = u.id;
  const kb = new InlineKeyboard()
    .text(t(lang, 'staff-btn-roles'), `sa:u:${id}:roles`)
    .text(t(lang, 'staff-btn-supervisor'), `sa:u:${id}:sup`)
    .text(t(lang, 'staff-btn-language'), `sa:u:${id}:lang`)
    .row();
  if (u.isActive) kb.text(t(lang, 'staff-btn-invite'), `sa:u:${id}:inv`);
  kb.text(t(lang, 'staff-btn-tokens'), `sa:u:${id}:tok`).row();
  if (open.total > 0) kb.text(t(lang, 'staff-btn-handover', { count: open.total }), `sa:u:${id}:recs`).row();
  kb.text(u.isActive ? t(lang, 'staff-btn-deactivate') : t(lang, 'staff-btn-reactivate'), `sa:u:${id}:${u.isActive ? 'off' : 'on'}`);
  return { text: lines.join('\n'), reply_markup: markupOf(kb) };
}

export function openSummary(t: Translate, lang: Lang, open: OpenRecords): string {
  if (open.total === 0) return t(lang, 'staff-open-none');
  return openRecordKinds
    .filter((k) => open[k].length > 0)
    .map((k) => t(lang, `staff-open-${k}`, { count: open[k].length }))
    .join(', ');
}

/**
 * The records he holds, with "hand all to…" and one button per record (the first ones: the
 * rest go with "all", or one by one as the list shrinks).
 */
export function openRecordsMessage(t: Translate, lang: Lang, user: Pick<User, 'id' | 'name'>, open: OpenRecords): CardMessage {
  const kb = new InlineKeyboard();
  if (open.total === 0) return { text: t(lang, 'staff-open-empty', { name: user.name }), reply_markup: markupOf(kb) };
  const lines = [t(lang, 'staff-open-head', { name: user.name, summary: openSummary(t, lang, open) })];
  const all = openRecordKinds.flatMap((k) => open[k]);
  for (const r of all.slice(0, LIST_MAX)) lines.push(`${KIND_ICON[r.kind]} ${t(lang, `staff-kind-${r.kind}`)} №${r.id} · ${shorten(r.title, 60)}`);
  if (all.length > LIST_MAX) lines.push(t(lang, 'staff-list-more', { count: all.length - LIST_MAX }));
  kb.text(t(lang, 'staff-btn-handover-all', { count: open.total }), `sa:h:${user.id}`).row();
  for (const r of all.slice(0, RECORD_BUTTONS_MAX)) kb.text(shorten(`${KIND_ICON[r.kind]} №${r.id} · ${r.title}`, 50), `sa:r:${user.id}:${r.kind}:${r.id}`).row();
  lines.push('', t(lang, 'staff-open-hint'));
  return { text: lines.join('\n'), reply_markup: markupOf(kb) };
}

/** People to hand records to: active staff but the one leaving. `data` makes each button's callback. */
export function pickPersonMessage(t: Translate, lang: Lang, text: string, people: Pick<User, 'id' | 'name' | 'roles'>[], data: (id: number) => string): CardMessage {
  const kb = new InlineKeyboard();
  for (const p of people.slice(0, LIST_MAX)) kb.text(shorten(`${p.name} (${rolesText(t, lang, p.roles)})`, 60), data(p.id)).row();
  kb.text(t(lang, 'ask-cancel'), 'sa:x');
  return { text, reply_markup: markupOf(kb) };
}

export function rolesKeyboard(t: Translate, lang: Lang, user: Pick<User, 'id' | 'roles'>, all: readonly UserRole[]): CardMessage['reply_markup'] {
  const kb = new InlineKeyboard();
  for (const r of all) kb.text(`${user.roles.includes(r) ? '✅ ' : ''}${t(lang, `staff-role-${r}`)}`, `sa:u:${user.id}:role:${r}`).row();
  kb.text(t(lang, 'btn-done'), `sa:u:${user.id}`);
  return markupOf(kb);
}
