// Arithmetic in business time (only the working intervals of a company's calendar count) and
// in calendar time (the wall clock of the company's zone), from and to instants. Rules will
// say "3 business days", "next working day at 10:00", "2 h before a date-time field".
import { DateTime } from 'luxon';
import { type BusinessCalendar, type CalendarDay, wallInstant } from './business-calendar.ts';

/** How far any search for working time goes before giving up (a calendar with none). */
const HORIZON_DAYS = 3 * 366;

export class NoWorkingTimeError extends Error {
  override name = 'NoWorkingTimeError';
}

export function addDaysToDate(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The civil date (YYYY-MM-DD) of an instant in the calendar's zone. */
export function dateIn(cal: BusinessCalendar, at: Date): string {
  return DateTime.fromJSDate(at, { zone: cal.zone }).toISODate()!;
}

function bounds(cal: BusinessCalendar, day: CalendarDay): [number, number] {
  return [
    wallInstant(day.date, day.startMinute!, cal.zone).toMillis(),
    wallInstant(day.date, day.endMinute!, cal.zone).toMillis(),
  ];
}

/** A day (YYYY-MM-DD) or the day an instant falls on in the company's zone. */
export function isWorkingDay(cal: BusinessCalendar, day: string | Date): boolean {
  return cal.day(typeof day === 'string' ? day : dateIn(cal, day)).working;
}

/** The working interval of a day as instants, or null on a day off. */
export function workingInterval(cal: BusinessCalendar, date: string): { start: Date; end: Date } | null {
  const day = cal.day(date);
  if (!day.working) return null;
  const [s, e] = bounds(cal, day);
  return { start: new Date(s), end: new Date(e) };
}

export function isWorkingTime(cal: BusinessCalendar, at: Date): boolean {
  const day = cal.day(dateIn(cal, at));
  if (!day.working) return false;
  const [s, e] = bounds(cal, day);
  const t = at.getTime();
  return t >= s && t < e;
}

/**
 * `minutes` of working time after `from` (before it when negative). From outside working
 * hours the count starts at the next working moment (ends at the previous one going back);
 * a count ending exactly at the close of a day ends there (18:00, not 09:00 next day).
 */
export function addBusinessMinutes(cal: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes)) throw new RangeError('business minutes must be a finite number');
  let remaining = Math.abs(minutes) * 60_000;
  const forward = minutes >= 0;
  let t = from.getTime();
  let date = dateIn(cal, from);
  for (let i = 0; i < HORIZON_DAYS; i++, date = addDaysToDate(date, forward ? 1 : -1)) {
    const day = cal.day(date);
    if (!day.working) continue;
    const [s, e] = bounds(cal, day);
    if (forward) {
      if (t >= e) continue;
      if (t < s) t = s;
      if (remaining <= e - t) return new Date(t + remaining);
      remaining -= e - t;
      t = e;
    } else {
      if (t <= s) continue;
      if (t > e) t = e;
      if (remaining <= t - s) return new Date(t - remaining);
      remaining -= t - s;
      t = s;
    }
  }
  throw new NoWorkingTimeError(`no working time within ${HORIZON_DAYS} days of ${from.toISOString()}`);
}

export function addBusinessHours(cal: BusinessCalendar, from: Date, hours: number): Date {
  return addBusinessMinutes(cal, from, hours * 60);
}

/** The `n`th working day after the day of `from` (before it when negative). */
export function nthWorkingDay(cal: BusinessCalendar, from: Date | string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError('business days must be a whole number');
  let date = typeof from === 'string' ? from : dateIn(cal, from);
  const step = n >= 0 ? 1 : -1;
  for (let left = Math.abs(n), i = 0; left > 0; i++) {
    if (i > HORIZON_DAYS) throw new NoWorkingTimeError(`no working day within ${HORIZON_DAYS} days of ${date}`);
    date = addDaysToDate(date, step);
    if (cal.day(date).working) left--;
  }
  return date;
}

/**
 * `n` working days after `from`, at the same time of day: "3 business days" from Friday 15:30
 * is 15:30 on the third working day after that Friday.
 */
export function addBusinessDays(cal: BusinessCalendar, from: Date, n: number): Date {
  const wall = DateTime.fromJSDate(from, { zone: cal.zone });
  const target = DateTime.fromISO(nthWorkingDay(cal, from, n), { zone: cal.zone });
  return target.set({ hour: wall.hour, minute: wall.minute, second: wall.second, millisecond: wall.millisecond }).toJSDate();
}

function parseClock(clock: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(clock);
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) throw new RangeError(`"${clock}" is not a time such as 10:00`);
  return { hour, minute };
}

/** `clock` (HH:MM) on `date` in the calendar's zone. */
export function atClock(cal: BusinessCalendar, date: string, clock: string): Date {
  return DateTime.fromISO(date, { zone: cal.zone }).set(parseClock(clock)).toJSDate();
}

/** The first working day after the day of `from`, at `clock` (HH:MM): "next working day at 10:00". */
export function nextWorkingDayAt(cal: BusinessCalendar, from: Date, clock: string): Date {
  return atClock(cal, nthWorkingDay(cal, from, 1), clock);
}

/** `from` itself inside working hours, else the start of the next working interval. */
export function nextWorkingMoment(cal: BusinessCalendar, from: Date): Date {
  return addBusinessMinutes(cal, from, 0);
}

/** The calendar day `n` days after the day of `from` at `clock`: "tomorrow at 09:00" whatever the calendar. */
export function calendarDayAt(cal: BusinessCalendar, from: Date, n: number, clock: string): Date {
  return atClock(cal, addDaysToDate(dateIn(cal, from), n), clock);
}

export const DURATION_UNITS = ['minutes', 'hours', 'days', 'weeks'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
  /** Business time counts working intervals (and working days); calendar time counts the clock. */
  readonly business: boolean;
}

/**
 * `from` moved by a duration (back when `amount` is negative). Calendar days and weeks keep
 * the wall-clock time across a DST change; calendar minutes and hours are elapsed time.
 * A business week is five working days.
 */
export function shift(cal: BusinessCalendar, from: Date, d: Duration): Date {
  if (d.business) {
    switch (d.unit) {
      case 'minutes':
        return addBusinessMinutes(cal, from, d.amount);
      case 'hours':
        return addBusinessMinutes(cal, from, d.amount * 60);
      case 'days':
        return addBusinessDays(cal, from, d.amount);
      case 'weeks':
        return addBusinessDays(cal, from, d.amount * 5);
    }
  }
  return DateTime.fromJSDate(from, { zone: cal.zone }).plus({ [d.unit]: d.amount }).toJSDate();
}

/** "2 h before" an instant: `shift` backwards. */
export function before(cal: BusinessCalendar, at: Date, d: Duration): Date {
  return shift(cal, at, { ...d, amount: -d.amount });
}
