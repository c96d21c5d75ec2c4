// The latest history of a card, one short line per entry.
import type { TimelineEntry } from '../../../db/schema/index.ts';
import { dateTimeFormat } from '../../../src/crm/date-time-formats.ts';
import { shorten } from '../../../src/messaging/record-inbound.ts';
import type { Lang, Translate } from '../i18n.ts';

const time = (d: Date, timeZone: string) =>
  dateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(d)).replace(',', '');

const KNOWN_EVENTS = new Set(['created', 'converted', 'intake_completed']);

export interface TimelineNames {
  /** Stage key → name, for a deal's moves. */
  stages?: Map<string, string>;
  /** Field key → label. */
  fields?: Map<string, string>;
}

export function timelineLine(e: TimelineEntry, lang: Lang, t: Translate, timeZone: string, names: TimelineNames = {}): string {
  const data = e.data as Record<string, unknown>;
  const body = e.body ? shorten(e.body.replace(/\s+/g, ' '), 120) : '';
  const at = time(e.createdAt, timeZone);
  const stage = (k: unknown) => names.stages?.get(String(k)) ?? String(k ?? '');
  const field = (k: string) => names.fields?.get(k) ?? k;
  switch (e.kind) {
    case 'message':
      return `${at} ${data.direction === 'out' ? t(lang, 'tl-out') : t(lang, 'tl-in')}: ${body}`;
    case 'comment':
      return `${at} ${t(lang, 'tl-comment')}: ${body}`;
    case 'stage_move':
      return `${at} ${t(lang, 'tl-stage', { from: stage(data.from), to: stage(data.to) })}`;
    case 'file': {
      const f = data.file as { name?: string } | undefined;
      return `${at} 📎 ${f?.name ?? t(lang, 'card-file')}${body ? ` — ${body}` : ''}`;
    }
    case 'task':
      return `${at} ⏰ ${body}`;
    case 'change': {
      const intake = data.intake as Record<string, unknown> | undefined;
      if (intake) return `${at} ${Object.entries(intake).map(([k, v]) => `${field(k)}: ${shorten(String(v), 60)}`).join('; ')}`;
      if (data.responsible) return `${at} ${t(lang, 'tl-responsible')}`;
      if (data.status) return `${at} ${t(lang, 'tl-status', { to: String((data.status as { to?: unknown }).to ?? '') })}`;
      const fields = Array.isArray(data.fields) ? (data.fields as string[]).filter((f) => f !== 'custom').map(field) : [];
      return `${at} ${t(lang, 'tl-change')}${fields.length ? `: ${fields.join(', ')}` : ''}`;
    }
    default: {
      const event = String(data.event ?? e.kind);
      return `${at} ${KNOWN_EVENTS.has(event) ? t(lang, `tl-event-${event}`) : t(lang, 'tl-system', { event })}`;
    }
  }
}
