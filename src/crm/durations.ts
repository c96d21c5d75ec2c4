// Rule durations in the company configuration are written "20m", "2h", "3d".
import { dateTimeFormat } from './date-time-formats.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function durationMs(text: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (!m) throw new RangeError(`not a duration: "${text}" (expected like 20m, 2h or 3d)`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** The calendar date (YYYY-MM-DD) at `at` in the company's time zone: date fields are local dates. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
