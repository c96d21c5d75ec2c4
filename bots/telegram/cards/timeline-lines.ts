// The latest history of a card, one short line per entry.
import type { TimelineEntry } from '../../../db/schema/index.ts';
import { shorten } from '../../../src/messaging/record-inbound.ts';
import type { Lang, Translate } from '../i18n.ts';

const time = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(d)).replace(',', '');

export function timelineLine(e: TimelineEntry, lang: Lang, t: Translate, timeZone: string): string {
  const data = e.data as Record<string, unknown>;
  const body = e.body ? shorten(e.body.replace(/\s+/g, ' '), 120) : '';
  const at = time(e.createdAt, timeZone);
  switch (e.kind) {
    case 'message':
      return `${at} ${data.direction === 'out' ? t(lang, 'tl-out') : t(lang, 'tl-in')}: ${body}`;
    case 'comment':
      return `${at} ${t(lang, 'tl-comment')}: ${body}`;
    case 'stage_move':
      return `${at} ${t(lang, 'tl-stage', { from: String(data.from ?? ''), to: String(data.to ?? '') })}`;
    case 'file': {
      const f = data.file as { name?: string } | undefined;
      return `${at} 📎 ${f?.name ?? t(lang, 'card-file')}${body ? ` — ${body}` : ''}`;
    }
    case 'task':
      return `${at} ⏰ ${body}`;
    case 'change':
      return `${at} ${t(lang, 'tl-change')}`;
    default:
      return `${at} ${t(lang, 'tl-system', { event: String(data.event ?? e.kind) })}`;
  }
}
