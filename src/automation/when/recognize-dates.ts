// Recognizers of the date side of a phrase, Russian and English: offsets ("через 2 часа",
// "in 3 days", "через 3 рабочих дня"), named days, weekdays, numeric and month-name dates.
// They run on the scanned text (lower case, ё → е) and return parts with their spans.
import { NUMBER_SOURCE, numberValue } from './number-words.ts';
import type { OffsetUnit, Part } from './parts.ts';
import { L, matches, R, re, span } from './regex.ts';

function unitOf(word: string): OffsetUnit | null {
  if (/^(?:мин|min)/.test(word)) return 'minutes';
  if (/^(?:час|ч|hour|hr|h)/.test(word)) return 'hours';
  if (/^(?:дн|день|сут|day)/.test(word)) return 'days';
  if (/^(?:недел|week)/.test(word)) return 'weeks';
  if (/^(?:месяц|month)/.test(word)) return 'months';
  if (/^(?:год|лет|year)/.test(word)) return 'years';
  return null;
}

const RU_UNIT = '(мин(?:ут[уы]?|\\.)?|час(?:а|ов)?|ч\\.?|дн(?:я|ей)|день|сутки|суток|недел[юиь]|месяц(?:а|ев)?|года?|лет)';
const EN_UNIT = '(minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)';

const RU_OFFSET = re(`${L}через\\s+(?:(${NUMBER_SOURCE})\\s*)?(?:(рабоч(?:их|ий|ие|ее|ую|его))\\s+)?${RU_UNIT}${R}`);
const RU_HALF_HOUR = re(`${L}через\\s+пол\\s*-?\\s*часа${R}`);
const EN_OFFSET = re(`${L}in\\s+(?:(${NUMBER_SOURCE})\\s*)?(?:(business|working|work)\\s+)?${EN_UNIT}${R}`);
const EN_FROM_NOW = re(`${L}(${NUMBER_SOURCE})\\s+(?:(business|working|work)\\s+)?${EN_UNIT}\\s+(?:from\\s+now|later)${R}`);
const EN_HALF_HOUR = re(`${L}in\\s+half\\s+an?\\s+hour${R}`);

const NEXT_WORKING_DAY = re(`${L}(?:(?:в|на)\\s+)?(?:следующ(?:ий|ем)|ближайш(?:ий|ем))\\s+рабоч(?:ий|ем)\\s+день${R}|${L}(?:on\\s+)?(?:the\\s+)?next\\s+(?:business|working|work)\\s+day${R}`);
const NEXT_WEEK = re(`${L}(?:на\\s+следующей\\s+неделе|next\\s+week)${R}`);
const END_OF_WEEK = re(`${L}(?:(?:к|до|в)\\s+)?конц[уае]\\s+(?:этой\\s+)?(?:рабочей\\s+)?недели${R}|${L}(?:by\\s+)?(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?week${R}`);

const RELATIVE_DAYS: Record<string, number> = {
  сегодня: 0, завтра: 1, послезавтра: 2, вчера: -1, позавчера: -2,
  today: 0, tomorrow: 1, tmrw: 1, tmr: 1, 'day after tomorrow': 2, yesterday: -1,
};
const RELATIVE_DAY = re(`${L}(?:на\\s+|on\\s+)?(?:the\\s+)?(послезавтра|позавчера|сегодня|завтра|вчера|day\\s+after\\s+tomorrow|today|tomorrow|tmrw|tmr|yesterday)(?:\\s+же)?${R}`);

const RU_WEEKDAYS: [RegExp, number][] = [
  [/^понедельник/, 1], [/^вторник/, 2], [/^сред/, 3], [/^четверг/, 4], [/^пятниц/, 5], [/^суббот/, 6], [/^воскресен/, 7],
  [/^пн$/, 1], [/^вт$/, 2], [/^ср$/, 3], [/^чт$/, 4], [/^пт$/, 5], [/^сб$/, 6], [/^вс$/, 7],
];
const EN_WEEKDAYS: [RegExp, number][] = [
  [/^mon/, 1], [/^tue/, 2], [/^wed/, 3], [/^thu/, 4], [/^fri/, 5], [/^sat/, 6], [/^sun/, 7],
];
const RU_WEEKDAY = re(
  `${L}(?:(?:в|во|на|к|до|с|со)\\s+)?(?:(?:следующ(?:ий|ую|ее)|ближайш(?:ий|ую|ее)|эт(?:от|у|о))\\s+)?` +
    `(понедельник(?:а|у)?|вторник(?:а|у)?|сред[уы]|среда|четверг(?:а|у)?|пятниц[уаые]|суббот[уаые]|воскресень[еяю]|пн|вт|ср|чт|пт|сб|вс)\\.?${R}`,
);
const EN_WEEKDAY = re(
  `${L}(?:(?:on|by|until|till|this|next|coming|the)\\s+)*(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri)\\.?${R}`,
);

const RU_MONTHS: [RegExp, number][] = [
  [/^янв/, 1], [/^фев/, 2], [/^мар/, 3], [/^апр/, 4], [/^ма[йя]/, 5], [/^июн/, 6],
  [/^июл/, 7], [/^авг/, 8], [/^сен/, 9], [/^окт/, 10], [/^ноя/, 11], [/^дек/, 12],
];
const RU_MONTH_DATE = re(
  `${L}(?:(?:к|до|на|с|со|по)\\s+)?(\\d{1,2})(?:\\s*-?\\s*(?:го|е|ое))?\\s+` +
    `(январ[яь]|янв|феврал[яь]|фев|марта?|мар|апрел[яь]|апр|мая|май|июн[яь]|июн|июл[яь]|июл|август[а]?|авг|сентябр[яь]|сент?|октябр[яь]|окт|ноябр[яь]|нояб?|декабр[яь]|дек)\\.?` +
    `(?:\\s+(\\d{4})(?:\\s*(?:г\\.?|года?)${R})?)?${R}`,
);

/** dd.mm, dd.mm.yy(yy), dd/mm...; the same digits may be a time (10.30): decided in code. */
const NUMERIC_DATE = re(`(?<![\\p{L}\\p{N}.,/:-])(?:(в|во|к|до|с|со|на|по|около|at|by|on)\\s+)?(\\d{1,2})([./])(\\d{1,2})(?:\\3(\\d{4}|\\d{2}))?(?![\\p{N}]|[.,/:-]\\p{N})`);
const ISO_DATE = re(`(?<![\\p{N}])(\\d{4})-(\\d{2})-(\\d{2})(?:[t\\s]+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?(?![\\p{N}])`);

function validDay(day: number, month: number, year?: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const max = new Date(Date.UTC(year ?? 2024, month, 0)).getUTCDate();
  return day <= max;
}

function fullYear(y: string | undefined): number | undefined {
  if (y === undefined) return undefined;
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

/**
 * Whether "10.30" after an optional preposition is a time rather than a date: minutes of 00 or
 * 13–59 cannot be a month; after "в"/"к"/"at" a multiple of five reads as minutes (в 9.05);
 * a leading zero (05.10) is how dates are written.
 */
export function dottedIsTime(prep: string | undefined, first: string, second: string): boolean {
  const h = Number(first);
  const m = Number(second);
  if (second.length !== 2 || h > 23 || m > 59) return false;
  if (m === 0 || m >= 13) return true;
  if (first.length === 2 && first.startsWith('0')) return false;
  return prep !== undefined && /^(?:в|во|к|около|at|by)$/.test(prep) && m % 5 === 0;
}

export function recognizeDates(text: string, out: Part[]): void {
  for (const m of matches(RU_OFFSET, text)) {
    const unit = unitOf(m[3]!);
    const amount = m[1] === undefined ? 1 : numberValue(m[1]);
    if (!unit || amount === null || amount <= 0) continue;
    const business = m[2] !== undefined;
    if (business && unit !== 'days' && unit !== 'hours' && unit !== 'weeks') continue;
    out.push({ ...span(m), source: 'own', date: { kind: 'offset', amount, unit, business } });
  }
  for (const m of matches(RU_HALF_HOUR, text)) {
    out.push({ ...span(m), source: 'own', date: { kind: 'offset', amount: 30, unit: 'minutes', business: false } });
  }
  for (const pattern of [EN_OFFSET, EN_FROM_NOW]) {
    for (const m of matches(pattern, text)) {
      const unit = unitOf(m[3]!);
      const amount = m[1] === undefined ? 1 : numberValue(m[1]);
      if (!unit || amount === null || amount <= 0) continue;
      const business = m[2] !== undefined;
      if (business && unit !== 'days' && unit !== 'hours' && unit !== 'weeks') continue;
      out.push({ ...span(m), source: 'own', date: { kind: 'offset', amount, unit, business } });
    }
  }
  for (const m of matches(EN_HALF_HOUR, text)) {
    out.push({ ...span(m), source: 'own', date: { kind: 'offset', amount: 30, unit: 'minutes', business: false } });
  }
  for (const m of matches(NEXT_WORKING_DAY, text)) out.push({ ...span(m), source: 'own', date: { kind: 'next-working-day' } });
  for (const m of matches(NEXT_WEEK, text)) out.push({ ...span(m), source: 'own', date: { kind: 'next-week' } });
  for (const m of matches(END_OF_WEEK, text)) {
    out.push({ ...span(m), source: 'own', date: { kind: 'end-of-week' }, time: { hour: 18, minute: 0, label: 'end of the week' } });
  }
  for (const m of matches(RELATIVE_DAY, text)) {
    const word = m[1]!.replace(/\s+/g, ' ');
    out.push({ ...span(m), source: 'own', date: { kind: 'relative-day', days: RELATIVE_DAYS[word]!, word } });
  }
  for (const [pattern, table] of [[RU_WEEKDAY, RU_WEEKDAYS], [EN_WEEKDAY, EN_WEEKDAYS]] as const) {
    for (const m of matches(pattern, text)) {
      const weekday = table.find(([w]) => w.test(m[1]!))?.[1];
      if (weekday) out.push({ ...span(m), source: 'own', date: { kind: 'weekday', weekday } });
    }
  }
  for (const m of matches(RU_MONTH_DATE, text)) {
    const day = Number(m[1]);
    const month = RU_MONTHS.find(([w]) => w.test(m[2]!))?.[1];
    const year = fullYear(m[3]);
    if (!month || !validDay(day, month, year)) continue;
    out.push({ ...span(m), source: 'own', date: { kind: 'calendar-date', day, month, ...(year ? { year } : {}) } });
  }
  for (const m of matches(NUMERIC_DATE, text)) {
    const [, prep, first, sep, second, y] = m;
    if (y === undefined && sep === '.' && dottedIsTime(prep, first!, second!)) continue;
    const day = Number(first);
    const month = Number(second);
    const year = fullYear(y);
    if (!validDay(day, month, year)) continue;
    out.push({ ...span(m), source: 'own', date: { kind: 'calendar-date', day, month, ...(year ? { year } : {}) } });
  }
  for (const m of matches(ISO_DATE, text)) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    if (!validDay(day, month, year)) continue;
    const hour = m[4] === undefined ? undefined : Number(m[4]);
    const minute = m[5] === undefined ? undefined : Number(m[5]);
    const time = hour !== undefined && minute !== undefined && hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
    out.push({ ...span(m), source: 'own', date: { kind: 'calendar-date', day, month, year }, ...(time ? { time } : {}) });
  }
}
