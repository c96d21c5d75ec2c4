import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, defaultCalendarConfig, isoWeekdayOf, SHIPPED_YEARS } from '../../../src/automation/calendar/index.ts';
import { labourCodeYear } from '../../../src/automation/calendar/production-calendar/labour-code.ts';

const cal = createBusinessCalendar(defaultCalendarConfig());

function workingDaysByMonth(year: number): number[] {
  const counts = Array.from({ length: 12 }, () => 0);
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (cal.day(date).working) counts[Number(date.slice(5, 7)) - 1]!++;
  }
  return counts;
}

/** Hours of a 40-hour week: 8 a working day, 7 on a shortened one (09:00–18:00 less an hour for lunch). */
function normHours(year: number): number {
  let h = 0;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
    const day = cal.day(new Date(t).toISOString().slice(0, 10));
    if (day.working) h += (day.endMinute! - day.startMinute!) / 60 - 1;
  }
  return h;
}

describe('Russian production calendar data', () => {
  // The published monthly figures of the five-day week (Минтруд / the legal reference systems).
  it('2025: working days per month and the 1972-hour norm', () => {
    expect(workingDaysByMonth(2025)).toEqual([17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22]);
    expect(normHours(2025)).toBe(1972);
  });

  it('2026: working days per month and the 1972-hour norm', () => {
    expect(workingDaysByMonth(2026)).toEqual([15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22]);
    expect(normHours(2026)).toBe(1972);
  });

  it('2025 and 2026 are complete, 2027 is not (no decree to cite yet)', () => {
    expect(SHIPPED_YEARS.map((y) => [y.year, y.complete])).toEqual([[2025, true], [2026, true], [2027, false]]);
  });

  it('2027 is exactly what the Labour Code alone makes of the year', () => {
    const shipped = SHIPPED_YEARS.find((y) => y.year === 2027)!;
    const derived = labourCodeYear(2027);
    expect(shipped.holidays).toEqual(derived.holidays);
    expect(shipped.daysOff).toEqual(derived.daysOff);
    expect(shipped.shortened).toEqual(derived.shortened);
  });

  it('the Labour Code rule alone gives 2026 its automatic transfers (8 Mar → 9 Mar, 9 May → 11 May)', () => {
    expect(labourCodeYear(2026).daysOff).toEqual([
      { date: '2026-03-09', from: '2026-03-08' },
      { date: '2026-05-11', from: '2026-05-09' },
    ]);
  });

  it.each(SHIPPED_YEARS.map((y) => [y.year, y] as const))('%i: every date is real and of the right kind of day', (_, year) => {
    const all = [...year.holidays, ...year.daysOff.map((d) => d.date), ...year.workingWeekends.map((d) => d.date), ...year.shortened];
    for (const d of all) {
      expect(new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d);
      expect(d.startsWith(String(year.year))).toBe(true);
    }
    for (const d of year.daysOff) expect(isoWeekdayOf(d.date)).toBeLessThanOrEqual(5);
    for (const d of year.workingWeekends) expect(isoWeekdayOf(d.date)).toBeGreaterThanOrEqual(6);
    expect(year.sources.length).toBeGreaterThan(0);
  });
});
