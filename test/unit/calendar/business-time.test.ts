import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessMinutes,
  before,
  type BusinessCalendar,
  CalendarConfigError,
  calendarDayAt,
  createBusinessCalendar,
  defaultCalendarConfig,
  isWorkingDay,
  isWorkingTime,
  nextWorkingDayAt,
  nextWorkingMoment,
  shift,
  workingInterval,
} from '../../../src/automation/calendar/index.ts';

const moscow = createBusinessCalendar(defaultCalendarConfig());
const day = ['09:00', '18:00'] as [string, string];
const week = { mon: day, tue: day, wed: day, thu: day, fri: day };

const withOverrides = createBusinessCalendar({
  timeZone: 'Europe/Moscow',
  workingHours: week,
  overrides: [
    { date: '2026-12-07', working: false },
    { date: '2026-12-12', working: true, hours: ['10:00', '14:00'] },
    { date: '2026-12-31', working: true },
  ],
});
const vladivostok = createBusinessCalendar({ ...defaultCalendarConfig('Asia/Vladivostok') });
const berlin = createBusinessCalendar({ timeZone: 'Europe/Berlin', workingHours: week, productionCalendar: 'none' });
const newYork = createBusinessCalendar({ timeZone: 'America/New_York', workingHours: week, productionCalendar: 'none' });
const shortFriday = createBusinessCalendar({
  timeZone: 'Europe/Moscow',
  workingHours: { ...week, fri: ['09:00', '16:00'], sat: ['10:00', '14:00'] },
});

const cals: Record<string, BusinessCalendar> = { moscow, withOverrides, vladivostok, berlin, newYork, shortFriday };
const at = (s: string) => new Date(s);

describe('working days', () => {
  it.each([
    ['2025-01-08', false, 'New Year holidays'],
    ['2025-01-09', true, 'first working day of 2025'],
    ['2025-05-02', false, 'transferred from Sat 4 Jan'],
    ['2025-05-07', true, 'between the May holidays'],
    ['2025-05-08', false, 'transferred from Sun 23 Feb'],
    ['2025-06-13', false, 'transferred from Sat 8 Mar'],
    ['2025-11-01', true, 'working Saturday'],
    ['2025-11-03', false, 'transferred from Sat 1 Nov'],
    ['2025-12-30', true, 'last working day of 2025'],
    ['2025-12-31', false, 'transferred from Sun 5 Jan'],
    ['2026-01-09', false, 'transferred from Sat 3 Jan'],
    ['2026-01-12', true, 'first working day of 2026'],
    ['2026-02-23', false, 'Defender of the Fatherland Day'],
    ['2026-03-09', false, '8 March on a Sunday moves to Monday'],
    ['2026-05-11', false, '9 May on a Saturday moves to Monday'],
    ['2026-12-05', false, 'an ordinary Saturday'],
    ['2026-12-31', false, 'transferred from Sun 4 Jan'],
    ['2027-05-03', false, '1 May 2027 on a Saturday moves to Monday'],
    ['2027-06-14', false, '12 June 2027 on a Saturday moves to Monday'],
  ])('%s working=%s (%s)', (date, working) => {
    expect(isWorkingDay(moscow, date)).toBe(working);
  });

  it('a shortened pre-holiday day ends an hour early, a working Saturday too; 30 Dec 2025 is not shortened', () => {
    expect(workingInterval(moscow, '2026-04-30')).toEqual({ start: at('2026-04-30T09:00:00+03:00'), end: at('2026-04-30T17:00:00+03:00') });
    expect(workingInterval(moscow, '2025-11-01')).toEqual({ start: at('2025-11-01T09:00:00+03:00'), end: at('2025-11-01T17:00:00+03:00') });
    expect(workingInterval(moscow, '2025-12-30')?.end).toEqual(at('2025-12-30T18:00:00+03:00'));
    expect(workingInterval(moscow, '2026-01-01')).toBeNull();
  });

  it('company overrides win over the production calendar and the week', () => {
    expect(isWorkingDay(withOverrides, '2026-12-07')).toBe(false);
    expect(isWorkingDay(withOverrides, '2026-12-12')).toBe(true);
    expect(isWorkingDay(withOverrides, '2026-12-31')).toBe(true);
    expect(workingInterval(withOverrides, '2026-12-12')).toEqual({ start: at('2026-12-12T10:00:00+03:00'), end: at('2026-12-12T14:00:00+03:00') });
  });

  it('the day of an instant is the company-zone day', () => {
    // 23:30 UTC on Thursday 8 Jan 2026 is already Friday 9 Jan (a day off) in Moscow...
    expect(isWorkingDay(moscow, at('2026-01-08T21:30:00Z'))).toBe(false);
    // ...and 06:30 on Monday 12 Jan in Vladivostok while still Sunday in UTC.
    expect(isWorkingDay(vladivostok, at('2026-01-11T20:30:00Z'))).toBe(true);
    expect(isWorkingTime(moscow, at('2026-12-04T17:59:00+03:00'))).toBe(true);
    expect(isWorkingTime(moscow, at('2026-12-04T18:00:00+03:00'))).toBe(false);
  });
});

type Case = [calendar: string, from: string, expected: string, what: string];

describe('business time', () => {
  it.each<[...Case, number]>([
    ['moscow', '2026-12-04T15:30:00+03:00', '2026-12-09T15:30:00+03:00', 'Friday + 3 days skips the weekend', 3],
    ['moscow', '2025-12-30T10:00:00+03:00', '2026-01-12T10:00:00+03:00', '31 Dec and the New Year holidays', 1],
    ['moscow', '2025-04-30T14:00:00+03:00', '2025-05-05T14:00:00+03:00', '1–4 May', 1],
    ['moscow', '2025-04-30T14:00:00+03:00', '2025-05-12T14:00:00+03:00', '8–11 May (8 May transferred)', 4],
    ['moscow', '2025-10-31T11:00:00+03:00', '2025-11-01T11:00:00+03:00', 'the working Saturday counts', 1],
    ['moscow', '2025-10-31T11:00:00+03:00', '2025-11-05T11:00:00+03:00', '3 Nov transferred, 4 Nov holiday', 2],
    ['moscow', '2026-12-05T10:00:00+03:00', '2026-12-07T10:00:00+03:00', 'from a Saturday', 1],
    ['moscow', '2026-01-12T10:00:00+03:00', '2025-12-30T10:00:00+03:00', 'backwards over the holidays', -1],
    ['withOverrides', '2026-12-04T15:30:00+03:00', '2026-12-08T15:30:00+03:00', 'Monday overridden off', 1],
    ['withOverrides', '2026-12-30T12:00:00+03:00', '2026-12-31T12:00:00+03:00', '31 Dec overridden working', 1],
    ['vladivostok', '2026-12-04T15:30:00+10:00', '2026-12-09T15:30:00+10:00', 'another zone, its own wall clock', 3],
    ['berlin', '2026-03-27T10:00:00+01:00', '2026-03-30T10:00:00+02:00', 'across the spring DST change', 1],
  ])('%s: %s + business days → %s (%s)', (name, from, expected, _what, n) => {
    expect(addBusinessDays(cals[name]!, at(from), n)).toEqual(at(expected));
  });

  it.each<[...Case, number]>([
    ['moscow', '2026-12-04T17:00:00+03:00', '2026-12-07T10:00:00+03:00', 'over the weekend', 120],
    ['moscow', '2026-12-04T20:00:00+03:00', '2026-12-07T10:00:00+03:00', 'from after hours', 60],
    ['moscow', '2026-12-04T16:00:00+03:00', '2026-12-04T18:00:00+03:00', 'ending exactly at the close', 120],
    ['moscow', '2026-04-30T16:00:00+03:00', '2026-05-04T10:00:00+03:00', 'shortened 30 Apr, then 1–3 May', 120],
    ['moscow', '2025-10-31T17:00:00+03:00', '2025-11-01T10:00:00+03:00', 'into the working Saturday', 120],
    ['moscow', '2026-12-30T17:00:00+03:00', '2027-01-11T10:00:00+03:00', '31 Dec and 1–10 Jan', 120],
    ['moscow', '2026-12-07T10:00:00+03:00', '2026-12-04T17:00:00+03:00', '2 h before, back over the weekend', -120],
    ['moscow', '2026-12-06T12:00:00+03:00', '2026-12-04T17:00:00+03:00', 'back from a Sunday', -60],
    ['withOverrides', '2026-12-11T17:00:00+03:00', '2026-12-12T11:00:00+03:00', 'Saturday overridden 10–14', 120],
    ['shortFriday', '2026-12-04T15:00:00+03:00', '2026-12-05T11:00:00+03:00', 'Friday to 16:00, Saturday from 10:00', 120],
    ['vladivostok', '2026-12-04T17:00:00+10:00', '2026-12-07T10:00:00+10:00', 'another zone', 120],
    ['berlin', '2026-03-27T17:00:00+01:00', '2026-03-30T10:00:00+02:00', 'across the spring DST change', 120],
    ['newYork', '2026-10-30T17:00:00-04:00', '2026-11-02T10:00:00-05:00', 'across the autumn DST change', 120],
  ])('%s: %s + business minutes → %s (%s)', (name, from, expected, _what, minutes) => {
    expect(addBusinessMinutes(cals[name]!, at(from), minutes)).toEqual(at(expected));
  });

  it.each<Case>([
    ['moscow', '2026-12-04T15:30:00+03:00', '2026-12-07T10:00:00+03:00', 'Friday → Monday'],
    ['moscow', '2025-12-30T19:00:00+03:00', '2026-01-12T10:00:00+03:00', 'over the New Year holidays'],
    ['moscow', '2025-10-31T12:00:00+03:00', '2025-11-01T10:00:00+03:00', 'the working Saturday'],
    ['moscow', '2026-01-08T21:30:00Z', '2026-01-12T10:00:00+03:00', 'the day is Moscow’s (already 9 Jan)'],
    ['vladivostok', '2026-12-04T15:30:00+10:00', '2026-12-07T10:00:00+10:00', 'another zone'],
  ])('%s: next working day at 10:00 after %s → %s (%s)', (name, from, expected) => {
    expect(nextWorkingDayAt(cals[name]!, at(from), '10:00')).toEqual(at(expected));
  });

  it('the next working moment is now inside hours, else the next opening', () => {
    expect(nextWorkingMoment(moscow, at('2026-12-04T15:30:00+03:00'))).toEqual(at('2026-12-04T15:30:00+03:00'));
    expect(nextWorkingMoment(moscow, at('2026-12-04T18:00:00+03:00'))).toEqual(at('2026-12-07T09:00:00+03:00'));
  });

  it('business durations: hours, days and "2 h before"', () => {
    const loading = at('2026-12-07T10:00:00+03:00');
    expect(before(moscow, loading, { amount: 2, unit: 'hours', business: true })).toEqual(at('2026-12-04T17:00:00+03:00'));
    expect(before(moscow, loading, { amount: 2, unit: 'hours', business: false })).toEqual(at('2026-12-07T08:00:00+03:00'));
    expect(shift(moscow, at('2026-12-04T15:30:00+03:00'), { amount: 1, unit: 'weeks', business: true })).toEqual(at('2026-12-11T15:30:00+03:00'));
  });
});

describe('calendar time', () => {
  it.each<[...Case, number, 'minutes' | 'hours' | 'days' | 'weeks']>([
    ['moscow', '2026-12-04T15:30:00+03:00', '2026-12-06T15:30:00+03:00', 'weekends count', 2, 'days'],
    ['moscow', '2026-12-04T15:30:00+03:00', '2026-12-04T17:30:00+03:00', 'hours are elapsed time', 2, 'hours'],
    ['berlin', '2026-03-28T10:00:00+01:00', '2026-03-29T10:00:00+02:00', 'a day keeps the wall clock over DST', 1, 'days'],
    ['berlin', '2026-03-29T01:30:00+01:00', '2026-03-29T03:30:00+02:00', 'an hour is an hour over DST', 1, 'hours'],
    ['newYork', '2026-10-31T10:00:00-04:00', '2026-11-01T10:00:00-05:00', 'autumn DST', 1, 'days'],
    ['moscow', '2026-12-04T15:30:00+03:00', '2026-12-11T15:30:00+03:00', 'a week', 1, 'weeks'],
  ])('%s: %s → %s (%s)', (name, from, expected, _what, amount, unit) => {
    expect(shift(cals[name]!, at(from), { amount, unit, business: false })).toEqual(at(expected));
  });

  it('tomorrow at 09:00 is the next calendar day, holiday or not', () => {
    expect(calendarDayAt(moscow, at('2025-12-31T12:00:00+03:00'), 1, '09:00')).toEqual(at('2026-01-01T09:00:00+03:00'));
  });
});

describe('configuration', () => {
  it.each([
    [{ timeZone: 'Mars/Olympus', workingHours: week }, /timeZone/],
    [{ timeZone: 'Europe/Moscow', workingHours: { mon: ['18:00', '09:00'] } }, /workingHours\.mon/],
    [{ timeZone: 'Europe/Moscow', workingHours: { mon: ['9:00', '18:00'] } }, /workingHours\.mon/],
    [{ timeZone: 'Europe/Moscow', workingHours: {} }, /at least one weekday/],
    [{ timeZone: 'Europe/Moscow', workingHours: { ...week, monday: day } }, /workingHours.*monday/],
    [{ timeZone: 'Europe/Moscow', workingHours: week, holidays: [] }, /holidays/],
    [{ timeZone: 'Europe/Moscow', workingHours: week, overrides: [{ date: '2026-02-30', working: false }] }, /overrides\.0\.date/],
    [{ timeZone: 'Europe/Moscow', workingHours: week, overrides: [{ date: '2026-12-07', working: false }, { date: '2026-12-07', working: true }] }, /twice/],
  ])('refuses %j naming the field', (config, message) => {
    expect(() => createBusinessCalendar(config as never)).toThrow(CalendarConfigError);
    expect(() => createBusinessCalendar(config as never)).toThrow(message);
  });
});
