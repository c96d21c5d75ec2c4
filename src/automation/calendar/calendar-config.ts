// A company's business calendar as configuration data: its time zone, working hours per
// weekday, whether the Russian production calendar applies, and single days it overrides.
// This is the shape the company configuration stores; `parseCalendarConfig` checks it.
import { IANAZone } from 'luxon';
import { z } from 'zod';

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export const PRODUCTION_CALENDARS = ['ru', 'none'] as const;
export type ProductionCalendarName = (typeof PRODUCTION_CALENDARS)[number];

/** 'HH:MM', 00:00 to 24:00. */
const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time such as 09:00');

const hours = z
  .tuple([clock, clock])
  .refine(([from, to]) => from < to, { message: 'the working day must end after it starts (no overnight shifts)' });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-31')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'not a calendar date');

export const dayOverrideSchema = z
  .object({ date: isoDate, working: z.boolean(), hours: hours.optional() })
  .refine((o) => o.working || o.hours === undefined, { message: 'a day off has no hours' });

export const calendarConfigSchema = z
  .object({
    timeZone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'not an IANA time zone such as Europe/Moscow'),
    workingHours: z.object({
      mon: hours.nullable().optional(),
      tue: hours.nullable().optional(),
      wed: hours.nullable().optional(),
      thu: hours.nullable().optional(),
      fri: hours.nullable().optional(),
      sat: hours.nullable().optional(),
      sun: hours.nullable().optional(),
    }).strict(),
    productionCalendar: z.enum(PRODUCTION_CALENDARS).default('ru'),
    overrides: z.array(dayOverrideSchema).default([]),
  })
  .strict()
  .refine((c) => WEEKDAY_KEYS.some((k) => c.workingHours[k]), {
    message: 'at least one weekday needs working hours',
    path: ['workingHours'],
  })
  .refine((c) => new Set(c.overrides.map((o) => o.date)).size === c.overrides.length, {
    message: 'a date is overridden twice',
    path: ['overrides'],
  });

export type CalendarConfigInput = z.input<typeof calendarConfigSchema>;
export type CalendarConfig = z.output<typeof calendarConfigSchema>;
export type DayOverride = z.output<typeof dayOverrideSchema>;

export class CalendarConfigError extends Error {
  override name = 'CalendarConfigError';
}

export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

/** Monday to Friday 09:00–18:00 on the Russian production calendar. */
export function defaultCalendarConfig(timeZone: string = DEFAULT_TIME_ZONE): CalendarConfig {
  const day = ['09:00', '18:00'] as [string, string];
  return parseCalendarConfig({
    timeZone,
    workingHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: null, sun: null },
    productionCalendar: 'ru',
    overrides: [],
  });
}

export function parseCalendarConfig(input: unknown): CalendarConfig {
  const parsed = calendarConfigSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    throw new CalendarConfigError(`calendar: ${where}${first?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  return parsed.data;
}
