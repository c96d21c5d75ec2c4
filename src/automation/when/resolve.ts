// The conventions that turn what was said into one instant, in the company's zone:
// - a date without a time is 09:00;
// - "утром" 09:00, "в обед"/"днём" 13:00, "после обеда" 14:00, "вечером" 18:00, "к концу дня" 18:00 (today);
// - a weekday named is its next occurrence after today (on a Friday, "в пятницу" is next Friday);
// - a day and month without a year is the nearest such day not in the past;
// - a time without a date is its next occurrence (today, or tomorrow once passed);
// - "через N рабочих дней" counts working days on the calendar and keeps the time of day;
// - "через неделю", "in 3 days" keep the time of day; "через 2 часа" is elapsed time.
// Day arithmetic is on civil dates; luxon turns the final wall time into an instant once
// (each zone lookup costs an Intl call).
import { DateTime } from 'luxon';
import { addBusinessMinutes, addDaysToDate, type BusinessCalendar, nthWorkingDay } from '../calendar/index.ts';
import type { DateSpec, TimeSpec } from './parts.ts';

export const DEFAULT_TIME: TimeSpec = { hour: 9, minute: 0 };

const DAY_WORDS: Record<string, string> = {
  сегодня: 'today',
  завтра: 'tomorrow',
  послезавтра: 'the day after tomorrow',
  вчера: 'yesterday',
  позавчера: 'the day before yesterday',
};

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export interface Resolved {
  readonly at: DateTime;
  readonly explain: string;
}

interface Clock {
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
  readonly millisecond?: number;
}

function clock(t: Clock): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

function describeTime(t: TimeSpec | undefined): string {
  if (!t) return 'no time given: 09:00';
  if (t.label) return `${t.label}: ${clock(t)}`;
  if (t.afternoonGuess) return `at ${clock(t)} (a bare ${t.hour - 12} read as afternoon)`;
  return `at ${clock(t)}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
}

/** ISO weekday 1..7 of a YYYY-MM-DD. */
function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function isoDate(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

export function resolve(
  date: DateSpec | undefined,
  time: TimeSpec | undefined,
  now: DateTime,
  calendar: BusinessCalendar,
): Resolved | null {
  const zone = now.zone;
  const today = now.toISODate()!;
  const nowClock: Clock = { hour: now.hour, minute: now.minute, second: now.second, millisecond: now.millisecond };
  /** The instant the wall clock shows `t` on `day` (after a DST gap when it falls in one). */
  const at = (day: string, t: Clock): DateTime =>
    DateTime.fromISO(day, { zone }).set({ hour: t.hour, minute: t.minute, second: t.second ?? 0, millisecond: t.millisecond ?? 0 });

  if (!date) {
    if (!time) return null;
    const sameDay = at(today, time);
    if (time.today) return { at: sameDay, explain: `today, ${describeTime(time)}` };
    if (sameDay < now) {
      const tomorrow = addDaysToDate(today, 1);
      return { at: at(tomorrow, time), explain: `${describeTime(time)}, passed today: tomorrow (${tomorrow})` };
    }
    return { at: sameDay, explain: `${describeTime(time)} today` };
  }
  switch (date.kind) {
    case 'offset': {
      const { amount, unit, business } = date;
      if (business && unit === 'hours') {
        const moved = addBusinessMinutes(calendar, now.toJSDate(), Math.round(amount * 60));
        return { at: DateTime.fromJSDate(moved, { zone }), explain: `${plural(amount, 'working hours')} from now, counted in working hours` };
      }
      if (business) {
        const days = Math.round(unit === 'weeks' ? amount * 5 : amount);
        const day = nthWorkingDay(calendar, today, days);
        const how = time ? describeTime(time) : `keeping the time of day ${clock(nowClock)}`;
        return { at: at(day, time ?? nowClock), explain: `${plural(days, 'working days')} after today on the working calendar (${day}), ${how}` };
      }
      if (unit === 'minutes' || unit === 'hours') {
        const minutes = Math.round(amount * (unit === 'hours' ? 60 : 1));
        return { at: DateTime.fromMillis(now.toMillis() + minutes * 60_000, { zone }), explain: `${plural(amount, unit)} from now` };
      }
      if (!Number.isInteger(amount)) return null;
      const how = time ? describeTime(time) : `keeping the time of day ${clock(nowClock)}`;
      if (unit === 'days' || unit === 'weeks') {
        const day = addDaysToDate(today, unit === 'weeks' ? amount * 7 : amount);
        return { at: at(day, time ?? nowClock), explain: `${plural(amount, unit)} from today (${day}), ${how}` };
      }
      const moved = now.plus({ [unit]: amount });
      const result = time ? at(moved.toISODate()!, time) : moved;
      return { at: result, explain: `${plural(amount, unit)} from today (${result.toISODate()}), ${how}` };
    }
    case 'next-working-day': {
      const day = nthWorkingDay(calendar, today, 1);
      return { at: at(day, time ?? DEFAULT_TIME), explain: `the next working day (${day}), ${describeTime(time)}` };
    }
    case 'relative-day': {
      const day = addDaysToDate(today, date.days);
      return { at: at(day, time ?? DEFAULT_TIME), explain: `${DAY_WORDS[date.word] ?? date.word} (${day}), ${describeTime(time)}` };
    }
    case 'weekday': {
      const ahead = (date.weekday - weekdayOf(today) + 7) % 7 || 7;
      const day = addDaysToDate(today, ahead);
      return {
        at: at(day, time ?? DEFAULT_TIME),
        explain: `${WEEKDAY_NAMES[date.weekday - 1]}: the next one after today (${day}), ${describeTime(time)}`,
      };
    }
    case 'calendar-date': {
      if (date.year !== undefined) {
        const day = isoDate(date.year, date.month, date.day);
        if (!day) return null;
        return { at: at(day, time ?? DEFAULT_TIME), explain: `${day}, ${describeTime(time)}` };
      }
      // The nearest such day not before today; 29.02 waits for a leap year.
      const thisYear = Number(today.slice(0, 4));
      let day: string | null = null;
      for (let year = thisYear; year <= thisYear + 8 && !day; year++) {
        const candidate = isoDate(year, date.month, date.day);
        if (candidate && candidate >= today) day = candidate;
      }
      if (!day) return null;
      return {
        at: at(day, time ?? DEFAULT_TIME),
        explain: `${date.day}.${String(date.month).padStart(2, '0')} without a year: the nearest not in the past (${day}), ${describeTime(time)}`,
      };
    }
    case 'next-week': {
      const day = addDaysToDate(today, 8 - weekdayOf(today));
      return { at: at(day, time ?? DEFAULT_TIME), explain: `next week: Monday ${day}, ${describeTime(time)}` };
    }
    case 'end-of-week': {
      const t = time ?? { hour: 18, minute: 0 };
      let day = addDaysToDate(today, (5 - weekdayOf(today) + 7) % 7);
      if (at(day, t) < now) day = addDaysToDate(day, 7);
      return { at: at(day, t), explain: `end of the week: Friday ${day} at ${clock(t)}` };
    }
  }
}
