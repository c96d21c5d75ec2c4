// A company's calendar resolved for use: which civil days are working, and the working
// interval of each as instants. Everything is computed in the company's time zone with luxon
// (DST-correct: an interval on a day the clocks change is its real length), and answered as
// instants (Date).
import { DateTime, IANAZone } from 'luxon';
import { type CalendarConfig, type CalendarConfigInput, WEEKDAY_KEYS, parseCalendarConfig, type WeekdayKey } from './calendar-config.ts';
import { productionDay } from './production-calendar/index.ts';

export const DAY_REASONS = ['override', 'holiday', 'day-off', 'working-weekend', 'weekday', 'weekend'] as const;
export type DayReason = (typeof DAY_REASONS)[number];

export interface CalendarDay {
  /** YYYY-MM-DD in the company's zone. */
  readonly date: string;
  readonly working: boolean;
  readonly reason: DayReason;
  /** Minutes from midnight (wall clock), present on a working day. */
  readonly startMinute?: number;
  readonly endMinute?: number;
  /** One hour shorter before a holiday (production calendar). */
  readonly shortened: boolean;
}

export interface BusinessCalendar {
  readonly config: CalendarConfig;
  readonly timeZone: string;
  /** The zone as luxon's object: luxon checks a zone given by name on every use (Intl, slow). */
  readonly zone: IANAZone;
  day(date: string): CalendarDay;
}

type Range = readonly [number, number];

function minutes(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

function toRange(hours: readonly [string, string] | null | undefined): Range | null {
  return hours ? [minutes(hours[0]), minutes(hours[1])] : null;
}

/** ISO weekday 1 (Monday) .. 7 of a YYYY-MM-DD. */
export function isoWeekdayOf(date: string): number {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 ? 7 : wd;
}

export function createBusinessCalendar(input: CalendarConfig | CalendarConfigInput): BusinessCalendar {
  const config = parseCalendarConfig(input);
  const weekly = new Map<WeekdayKey, Range | null>(WEEKDAY_KEYS.map((k) => [k, toRange(config.workingHours[k])]));
  const usual = WEEKDAY_KEYS.map((k) => weekly.get(k)).find((r) => r) ?? null;
  const overrides = new Map(config.overrides.map((o) => [o.date, o]));
  const hoursOf = (date: string): Range | null => weekly.get(WEEKDAY_KEYS[isoWeekdayOf(date) - 1]!) ?? null;
  const cache = new Map<string, CalendarDay>();

  const resolve = (date: string): CalendarDay => {
    const override = overrides.get(date);
    if (override) {
      if (!override.working) return { date, working: false, reason: 'override', shortened: false };
      const range = toRange(override.hours) ?? hoursOf(date) ?? usual!;
      return { date, working: true, reason: 'override', startMinute: range[0], endMinute: range[1], shortened: false };
    }
    const prod = config.productionCalendar === 'ru' ? productionDay(date) : null;
    if (prod?.kind === 'holiday' || prod?.kind === 'day-off') {
      return { date, working: false, reason: prod.kind, shortened: false };
    }
    let range: Range | null;
    let reason: DayReason;
    if (prod?.kind === 'working-weekend') {
      // A worked Saturday keeps the hours of the weekday it stands in for.
      range = (prod.replaces ? hoursOf(prod.replaces) : null) ?? hoursOf(date) ?? usual!;
      reason = 'working-weekend';
    } else {
      range = hoursOf(date);
      reason = range ? 'weekday' : 'weekend';
    }
    if (!range) return { date, working: false, reason, shortened: false };
    const shortened = prod?.shortened === true && range[1] - 60 > range[0];
    return { date, working: true, reason, startMinute: range[0], endMinute: shortened ? range[1] - 60 : range[1], shortened };
  };

  return {
    config,
    timeZone: config.timeZone,
    zone: zoneNamed(config.timeZone),
    day(date: string): CalendarDay {
      let d = cache.get(date);
      if (!d) {
        d = resolve(date);
        if (cache.size > 20_000) cache.clear();
        cache.set(date, d);
      }
      return d;
    },
  };
}

/**
 * luxon's IANA zone with its UTC offsets remembered per quarter hour: luxon asks Intl for the
 * offset of every instant it handles (a formatToParts call, the main cost of reading a date),
 * and zones change offset only on quarter hours (every rule since the 1970s).
 */
class CachedIanaZone extends IANAZone {
  readonly #offsets = new Map<number, number>();

  override offset(ts: number): number {
    const bucket = Math.floor(ts / 900_000);
    let offset = this.#offsets.get(bucket);
    if (offset === undefined) {
      offset = super.offset(ts);
      if (this.#offsets.size > 50_000) this.#offsets.clear();
      this.#offsets.set(bucket, offset);
    }
    return offset;
  }
}

const zones = new Map<string, IANAZone>();

/** luxon's zone object for an IANA name, made once; throws RangeError for an unknown zone. */
export function zoneNamed(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    if (!IANAZone.isValidZone(name)) throw new RangeError(`unknown time zone "${name}"`);
    zone = new CachedIanaZone(name);
    if (zones.size > 1000) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

/** The wall-clock instant `minute` minutes after midnight of `date` in `zone` (24:00 is the next midnight). */
export function wallInstant(date: string, minute: number, zone: IANAZone): DateTime {
  const base = DateTime.fromISO(date, { zone });
  if (minute >= 24 * 60) return base.plus({ days: 1 }).set({ hour: 0, minute: minute - 24 * 60 });
  return base.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
}
