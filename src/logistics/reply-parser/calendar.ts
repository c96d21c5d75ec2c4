// Civil-date arithmetic in the company time zone. "Завтра" said at 01:00 Moscow time is a
// different day than in UTC, so "today" comes from Intl with the company's zone; after that
// the arithmetic is on plain calendar dates (UTC-based, free of DST jumps).

export interface CivilDate {
  readonly y: number;
  /** 1..12 */
  readonly m: number;
  readonly d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
}

function wallClock(instant: number, tz: string): WallClock {
  const out: WallClock = { y: 1970, m: 1, d: 1, h: 0, min: 0, s: 0 };
  for (const p of formatterFor(tz).formatToParts(instant)) {
    const v = Number(p.value);
    switch (p.type) {
      case 'year': out.y = v; break;
      case 'month': out.m = v; break;
      case 'day': out.d = v; break;
      case 'hour': out.h = v; break;
      case 'minute': out.min = v; break;
      case 'second': out.s = v; break;
      default: break;
    }
  }
  return out;
}

/** The calendar date of `instant` in `tz`. Throws RangeError for an unknown zone. */
export function civilDateAt(instant: Date | number, tz: string): CivilDate {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const w = wallClock(t, tz);
  return { y: w.y, m: w.m, d: w.d };
}

/**
 * The instant at which the wall clock in `tz` shows the given time. Used to read a
 * `--now` written without an offset as company time. In a DST gap it lands an hour later.
 */
export function zonedTimeToInstant(
  fields: { y: number; m: number; d: number; h: number; min: number; s: number; ms: number },
  tz: string,
): number {
  const asUtc = Date.UTC(fields.y, fields.m - 1, fields.d, fields.h, fields.min, fields.s, fields.ms);
  let guess = asUtc;
  for (let k = 0; k < 3; k++) {
    const w = wallClock(guess, tz);
    const shown = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s, fields.ms);
    const diff = asUtc - shown;
    if (diff === 0) break;
    guess += diff;
  }
  return guess;
}

function toUtcDays(c: CivilDate): number {
  return Math.floor(Date.UTC(c.y, c.m - 1, c.d) / 86_400_000);
}

function fromUtcDays(days: number): CivilDate {
  const dt = new Date(days * 86_400_000);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export function addDays(c: CivilDate, n: number): CivilDate {
  return fromUtcDays(toUtcDays(c) + n);
}

export function daysBetween(from: CivilDate, to: CivilDate): number {
  return toUtcDays(to) - toUtcDays(from);
}

/** 1 Monday .. 7 Sunday (ISO), as a Russian week starts on Monday. */
export function isoWeekday(c: CivilDate): number {
  const d = new Date(Date.UTC(c.y, c.m - 1, c.d)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function isValidCivil(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function toIsoDate(c: CivilDate): string {
  return `${c.y}-${pad2(c.m)}-${pad2(c.d)}`;
}

/** "25.11", or "05.01.2027" when the year differs from the reference date's. */
export function toRussianDate(c: CivilDate, reference: CivilDate): string {
  const base = `${pad2(c.d)}.${pad2(c.m)}`;
  return c.y === reference.y ? base : `${base}.${c.y}`;
}
