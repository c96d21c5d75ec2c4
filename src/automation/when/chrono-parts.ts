// English date expressions our own recognizers do not cover ("Dec 17", "the 3rd of March",
// "March 3rd at noon", "this coming Friday at 4") are read by chrono-node's English parser;
// its certain components become parts, resolved by our conventions. Numeric dates never get
// here as chrono would read them (month first): ours read 05/10 as 5 October first.
import * as chrono from 'chrono-node';
import type { DateTime } from 'luxon';
import type { DateSpec, Part, TimeSpec } from './parts.ts';

const reader = chrono.en.casual;

/** chrono reads the start of a text only: its cost grows fast with repeated phrases ("in a in a ..."). */
const CHRONO_MAX_CHARS = 1000;

/** Short words chrono takes for weekdays that are ordinary English words. */
const NOT_WEEKDAYS = /^(?:on\s+)?(?:sat|sun|wed|mon|tue|thu|fri)\.?$/;

export function chronoParts(text: string, now: DateTime): Part[] {
  const parts: Part[] = [];
  for (const r of reader.parse(text.slice(0, CHRONO_MAX_CHARS), { instant: now.toJSDate(), timezone: now.offset })) {
    const s = r.start;
    let date: DateSpec | undefined;
    let time: TimeSpec | undefined;
    if (s.isCertain('day') && s.isCertain('month')) {
      const year = s.isCertain('year') ? s.get('year') : null;
      date = { kind: 'calendar-date', day: s.get('day')!, month: s.get('month')!, ...(year !== null ? { year } : {}) };
    } else if (s.isCertain('weekday') && !NOT_WEEKDAYS.test(r.text.trim())) {
      date = { kind: 'weekday', weekday: s.get('weekday') || 7 };
    }
    if (s.isCertain('hour')) time = { hour: s.get('hour')!, minute: s.get('minute') ?? 0 };
    if (!date && !time) continue;
    parts.push({ start: r.index, end: r.index + r.text.length, source: 'chrono', ...(date ? { date } : {}), ...(time ? { time } : {}) });
  }
  return parts;
}
