// Reads a date and time out of a chat phrase ("завтра в 10 перезвонить Иванову", "friday
// 11am", "через 3 рабочих дня"): a pure function of the text, the reference instant, the
// company's zone and its calendar.
//
// How: a layer over chrono-node. chrono's `ru` locale misses day.month without a year, "17.03
// с 8:00", "10-00", "в 3 дня", number words, "после обеда", "к концу дня" and working days,
// and resolves in a fixed UTC offset (wrong across DST), so our own recognizers (Russian and
// English, recognize-dates.ts, recognize-times.ts) read every form the conventions name, and
// chrono-node's English parser reads the remaining English date expressions. Both give parts
// (spans with a date and/or a time); ours win where they overlap; resolve.ts applies the
// conventions in the company's zone with luxon and the business calendar.
import { DateTime } from 'luxon';
import { type BusinessCalendar, createBusinessCalendar, defaultCalendarConfig, zoneNamed } from '../calendar/index.ts';
import { chronoParts } from './chrono-parts.ts';
import type { Part } from './parts.ts';
import { recognizeDates } from './recognize-dates.ts';
import { recognizeTimes } from './recognize-times.ts';
import { resolve } from './resolve.ts';

/** Only the start of a longer text is read: a chat message is at most 4,096 characters (Telegram). */
export const MAX_READ_CHARS = 4096;

export interface ReadWhenOptions {
  /** The reference instant "завтра" and "через 2 часа" count from. */
  readonly now: Date;
  /** IANA zone of the company: the wall clock every convention speaks of. */
  readonly timeZone: string;
  /** Working days for "через N рабочих дней"; default Monday–Friday 09:00–18:00 on the Russian production calendar. */
  readonly calendar?: BusinessCalendar;
}

export interface WhenReading {
  /** The instant named, or null when the text names no time. */
  readonly at: Date | null;
  /** How it was read, in short English. */
  readonly explain: string;
  /** The words read as the time ("" when none). */
  readonly matchedText: string;
  /** The text without them (and without a leading /command or "напомни"), e.g. a reminder's title. */
  readonly rest: string;
  /** `at` is before `now`. */
  readonly past: boolean;
}

export class WhenOptionsError extends Error {
  override name = 'WhenOptionsError';
}

const defaultCalendars = new Map<string, BusinessCalendar>();

function calendarFor(timeZone: string): BusinessCalendar {
  let cal = defaultCalendars.get(timeZone);
  if (!cal) {
    cal = createBusinessCalendar(defaultCalendarConfig(timeZone));
    if (defaultCalendars.size > 100) defaultCalendars.clear();
    defaultCalendars.set(timeZone, cal);
  }
  return cal;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\u2060\ufeff]/g;

/** The text to read: control and zero-width characters made spaces, lower case, ё as е; same length as `clean`. */
function scanText(clean: string): string {
  let lower = clean.toLowerCase();
  if (lower.length !== clean.length) {
    lower = Array.from(clean, (ch) => {
      const l = ch.toLowerCase();
      return l.length === ch.length ? l : ch;
    }).join('');
  }
  return lower.replace(/ё/g, 'е');
}

/**
 * Longest first among ours; chrono's where they overlap none of ours, or where one holds a
 * date around times of ours that had none ("December 17 at 3pm" around our "at 3pm").
 */
function pickParts(own: Part[], extra: () => Part[]): Part[] {
  const byLength = [...own].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  let kept: Part[] = [];
  const overlapping = (p: Part) => kept.filter((k) => p.start < k.end && k.start < p.end);
  for (const p of byLength) if (overlapping(p).length === 0) kept.push(p);
  for (const p of extra()) {
    const hit = overlapping(p);
    const wraps =
      p.date !== undefined &&
      hit.every((k) => !k.date && k.start >= p.start && k.end <= p.end && k.end - k.start < p.end - p.start);
    if (hit.length === 0 || wraps) kept = [...kept.filter((k) => !hit.includes(k)), p];
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The end of "с 10 до 12", "10:00–12:00", "from 10 to 12": consumed with the start, which is the time meant. */
function endOfRange(start: Part, parts: Part[], scan: string): Part | undefined {
  const next = parts.find((p) => p.start >= start.end);
  if (!next?.time || next.date) return undefined;
  const gap = scan.slice(start.end, next.start);
  const joint = scan.slice(start.end, next.end);
  // The span takes the joining word too, so neither the matched text nor the rest keeps a stray "to".
  return /^[\s\p{L}–—-]{0,8}$/u.test(gap) && /^\s*(?:[-–—]|(?:до|to|till|until)\s)/.test(joint) ? { ...next, start: start.end } : undefined;
}

const LEADING_COMMAND = /^\s*(?:\/[a-z_]+(?:@\w+)?\s*)?(?:(?:напомни(?:\s+мне)?|remind\s+me(?:\s+to)?)(?![\p{L}\p{N}]))?[\s,:;—–-]*/iu;

function restOf(clean: string, used: Part[]): string {
  let rest = '';
  let from = 0;
  for (const p of used) {
    rest += `${clean.slice(from, p.start)} `;
    from = p.end;
  }
  rest += clean.slice(from);
  return rest
    .replace(LEADING_COMMAND, '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/^[\s,.;:—–-]+|[\s,;:—–-]+$/g, '');
}

function matchedOf(clean: string, used: Part[]): string {
  if (used.length === 0) return '';
  const pieces: string[] = [clean.slice(used[0]!.start, used[0]!.end)];
  for (let i = 1; i < used.length; i++) {
    const gap = clean.slice(used[i - 1]!.end, used[i]!.start);
    pieces.push(/\p{L}/u.test(gap) ? ' ' : gap, clean.slice(used[i]!.start, used[i]!.end));
  }
  return pieces.join('').replace(/\s+/g, ' ').trim();
}

export function readWhen(text: string, options: ReadWhenOptions): WhenReading {
  const { now, timeZone } = options;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new WhenOptionsError('now must be a valid Date');
  let zone;
  try {
    zone = zoneNamed(timeZone);
  } catch (err) {
    throw new WhenOptionsError(`unknown time zone "${timeZone}"`, { cause: err });
  }
  const calendar = options.calendar ?? calendarFor(timeZone);
  const clean = String(text).slice(0, MAX_READ_CHARS).replace(CONTROL, ' ');
  const fullRest = String(text).length > MAX_READ_CHARS ? String(text).slice(MAX_READ_CHARS).replace(CONTROL, ' ') : '';
  const scan = scanText(clean);
  const zonedNow = DateTime.fromJSDate(now, { zone });

  const own: Part[] = [];
  recognizeDates(scan, own);
  recognizeTimes(scan, own);
  // chrono only when ours found no date: the first date said is the one used.
  const parts = pickParts(own, () => (/[a-z]/.test(scan) && !own.some((p) => p.date) ? chronoParts(scan, zonedNow) : []));

  const datePart = parts.find((p) => p.date);
  const timePart = datePart?.time ? datePart : parts.find((p) => p.time && !p.date);
  const until = timePart && endOfRange(timePart, parts, scan);
  const used = [...new Set([datePart, timePart, until].filter((p): p is Part => p !== undefined))].sort((a, b) => a.start - b.start);
  const resolved = resolve(datePart?.date, timePart?.time, zonedNow, calendar);
  const rest = [restOf(clean, resolved ? used : []), fullRest].filter((r) => r !== '').join(' ');
  if (!resolved || !resolved.at.isValid) {
    return { at: null, explain: used.length ? `"${matchedOf(clean, used)}" is not a date that exists` : 'no date or time named', matchedText: '', rest, past: false };
  }
  const at = resolved.at.toJSDate();
  const past = at.getTime() < now.getTime();
  const range = until?.time ? `; until ${String(until.time.hour).padStart(2, '0')}:${String(until.time.minute).padStart(2, '0')}` : '';
  return {
    at,
    explain: `${resolved.explain}${range}${past ? '; in the past' : ''}`,
    matchedText: matchedOf(clean, used),
    rest,
    past,
  };
}

/** `at` as ISO 8601 with the zone's offset, seconds shown: 2026-12-05T10:00:00+03:00. */
export function formatInZone(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: zoneNamed(timeZone) }).toISO({ suppressMilliseconds: true })!;
}
