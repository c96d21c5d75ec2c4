// What the Labour Code alone makes of a year, before any decree: the holidays of ст. 112, a
// holiday other than 1–8 January that falls on a Saturday or Sunday moved to the next working
// day (ст. 112 ч. 2), and the working day right before a holiday one hour shorter (ст. 95).
// Used for a year no decree data is shipped for, and to check the shipped data.
import type { ProductionYear } from './types.ts';

const FIXED_HOLIDAYS = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function utcDate(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function addDaysIso(date: string, n: number): string {
  const d = utcDate(date);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function isWeekend(date: string): boolean {
  const wd = utcDate(date).getUTCDay();
  return wd === 0 || wd === 6;
}

export function labourCodeYear(year: number): ProductionYear {
  const holidays = FIXED_HOLIDAYS.map((md) => `${String(year).padStart(4, '0')}-${md}`);
  const holidaySet = new Set(holidays);
  const off = new Set<string>();
  const daysOff: { date: string; from: string }[] = [];
  for (const h of holidays) {
    if (h.slice(5, 7) === '01' || !isWeekend(h)) continue;
    let d = addDaysIso(h, 1);
    while (isWeekend(d) || holidaySet.has(d) || off.has(d)) d = addDaysIso(d, 1);
    off.add(d);
    daysOff.push({ date: d, from: h });
  }
  const nextYearFirst = iso(year + 1, 1, 1);
  const shortened: string[] = [];
  for (const h of [...holidays, nextYearFirst]) {
    const before = addDaysIso(h, -1);
    if (!before.startsWith(String(year).padStart(4, '0'))) continue;
    if (isWeekend(before) || holidaySet.has(before) || off.has(before)) continue;
    if (!shortened.includes(before)) shortened.push(before);
  }
  shortened.sort();
  return {
    year,
    complete: false,
    sources: ['ТК РФ ст. 112, ст. 95'],
    holidays,
    daysOff,
    workingWeekends: [],
    shortened,
  };
}
