// The Russian production calendar by date: the shipped years as data, any other year as the
// Labour Code alone makes it (no decree transfers), said so by `complete: false`.
import { labourCodeYear } from './labour-code.ts';
import { RU_2025 } from './ru-2025.ts';
import { RU_2026 } from './ru-2026.ts';
import { RU_2027 } from './ru-2027.ts';
import type { ProductionYear } from './types.ts';

export type { ProductionYear } from './types.ts';

export const SHIPPED_YEARS: readonly ProductionYear[] = [RU_2025, RU_2026, RU_2027];

export const PRODUCTION_DAY_KINDS = ['holiday', 'day-off', 'working-weekend'] as const;
export type ProductionDayKind = (typeof PRODUCTION_DAY_KINDS)[number];

export interface ProductionDay {
  /** null: an ordinary day, its weekday decides. */
  readonly kind: ProductionDayKind | null;
  readonly shortened: boolean;
  /** For a working weekend: the weekday whose work it takes (its hours apply). */
  readonly replaces?: string;
}

const ORDINARY: ProductionDay = { kind: null, shortened: false };

interface YearIndex {
  readonly year: ProductionYear;
  readonly days: ReadonlyMap<string, ProductionDay>;
}

function indexYear(year: ProductionYear): YearIndex {
  const days = new Map<string, ProductionDay>();
  const shortened = new Set(year.shortened);
  for (const d of year.holidays) days.set(d, { kind: 'holiday', shortened: false });
  for (const d of year.daysOff) days.set(d.date, { kind: 'day-off', shortened: false });
  for (const d of year.workingWeekends) {
    days.set(d.date, { kind: 'working-weekend', shortened: shortened.has(d.date), replaces: d.replaces });
  }
  for (const d of shortened) if (!days.has(d)) days.set(d, { kind: null, shortened: true });
  return { year, days };
}

const years = new Map<number, YearIndex>(SHIPPED_YEARS.map((y) => [y.year, indexYear(y)]));

function yearIndex(year: number): YearIndex {
  let idx = years.get(year);
  if (!idx) {
    idx = indexYear(labourCodeYear(year));
    if (years.size < 64) years.set(year, idx);
  }
  return idx;
}

/** `date` as YYYY-MM-DD. */
export function productionDay(date: string): ProductionDay {
  return yearIndex(Number(date.slice(0, 4))).days.get(date) ?? ORDINARY;
}

/** Whether the year's data includes its decree (see the year's file for why not). */
export function productionYearComplete(year: number): boolean {
  return yearIndex(year).year.complete;
}

export function productionYear(year: number): ProductionYear {
  return yearIndex(year).year;
}
