// When the truck is ready: "сегодня", "завтра", "через два дня", "в среду", "25.11",
// "25 ноября", "25-го". Every form is resolved against "today" in the company time zone.
import { addDays, civilDateAt, daysBetween, isoWeekday, isValidCivil, type CivilDate } from './calendar.ts';
import { Claim, isSym, isWord, type Analysis, type Token } from './normalize.ts';
import { readNumberWords } from './number-words.ts';
import { moneyMarkerAt, unitAfter } from './units.ts';

export interface DateMention {
  date: CivilDate;
  first: number;
  last: number;
  clause: number;
}

export interface DateContext {
  today: CivilDate;
  now: number;
  tz: string;
}

/**
 * A weekday named on that same weekday means the following week: a driver free today says
 * "сегодня", so "в понедельник" said on a Monday is the next Monday (+7 days).
 */
const weekdayStems: ReadonlyArray<readonly [string, number]> = [
  ['понедельн', 1], ['вторник', 2], ['среду', 3], ['среда', 3], ['среды', 3], ['четверг', 4], ['пятниц', 5],
  ['суббот', 6], ['воскресен', 7],
];
const weekdayAbbrev = new Map<string, number>([
  ['пн', 1], ['пон', 1], ['вт', 2], ['втор', 2], ['ср', 3], ['чт', 4], ['четв', 4], ['пт', 5], ['пят', 5],
  ['сб', 6], ['суб', 6], ['субб', 6], ['вс', 7], ['вск', 7], ['воскр', 7],
]);

const monthStems: ReadonlyArray<readonly [string, number]> = [
  ['январ', 1], ['янв', 1], ['феврал', 2], ['фев', 2], ['март', 3], ['мар', 3], ['апрел', 4], ['апр', 4],
  ['мая', 5], ['май', 5], ['июн', 6], ['июл', 7], ['август', 8], ['авг', 8], ['сентябр', 9], ['сен', 9],
  ['октябр', 10], ['окт', 10], ['ноябр', 11], ['ноя', 11], ['декабр', 12], ['дек', 12],
];

const dayUnits = new Set(['день', 'дня', 'дней', 'дн', 'сутки', 'суток', 'сут']);
const weekUnits = new Set(['неделю', 'недели', 'недель', 'неделя', 'нед']);
const hourUnits = new Set(['час', 'часа', 'часов', 'ч']);
const minuteUnits = new Set(['минут', 'минуты', 'минуту', 'мин']);
const ordinalSuffixes = new Set(['го', 'ого', 'е', 'ое', 'му', 'ому', 'числа']);

/** Dates without a year are read as the nearest such date from two weeks ago onwards. */
const PAST_TOLERANCE_DAYS = 14;
/** ...and only as far as this ahead; "13.6" (a trailer length) is not 13 June. */
const FUTURE_HORIZON_DAYS = 120;

function weekdayOf(word: string): number {
  const abbrev = weekdayAbbrev.get(word);
  if (abbrev !== undefined) return abbrev;
  if (word.length < 5 || word.startsWith('средн')) return 0;
  for (const [stem, d] of weekdayStems) if (word.startsWith(stem)) return d;
  return 0;
}

function monthOf(word: string): number {
  if (word.length < 3) return 0;
  for (const [stem, m] of monthStems) {
    if (word.startsWith(stem)) {
      // "мар" and "ноя" only as whole abbreviations, not as the start of other words
      if (stem.length === 3 && word.length > 4 && word !== 'нояб' && word !== 'сент') continue;
      return m;
    }
  }
  return 0;
}

function resolveDayMonth(day: number, month: number, year: number | null, today: CivilDate): CivilDate | null {
  if (year !== null) {
    if (!isValidCivil(year, month, day)) return null;
    const c = { y: year, m: month, d: day };
    const diff = daysBetween(today, c);
    return diff < -366 || diff > 730 ? null : c;
  }
  for (const y of [today.y, today.y + 1]) {
    if (!isValidCivil(y, month, day)) continue;
    const c = { y, m: month, d: day };
    const diff = daysBetween(today, c);
    if (diff < -PAST_TOLERANCE_DAYS) continue;
    return diff > FUTURE_HORIZON_DAYS ? null : c;
  }
  return null;
}

function resolveDayOfMonth(day: number, today: CivilDate): CivilDate | null {
  if (day >= today.d && isValidCivil(today.y, today.m, day)) return { y: today.y, m: today.m, d: day };
  const y = today.m === 12 ? today.y + 1 : today.y;
  const m = today.m === 12 ? 1 : today.m + 1;
  return isValidCivil(y, m, day) ? { y, m, d: day } : null;
}

function smallInt(t: Token | undefined, maxLen: number): number {
  if (!t || t.kind !== 'num' || t.text.length > maxLen) return -1;
  return Number(t.text);
}

interface Hit {
  date: CivilDate | null;
  last: number;
  claim?: number;
}

function readRelative(tokens: readonly Token[], i: number, ctx: DateContext): Hit | null {
  const w = tokens[i]!.text;
  if (w === 'сегодня' || w.startsWith('сегодняшн')) return { date: ctx.today, last: i };
  if (w.startsWith('послезавтра')) return { date: addDays(ctx.today, 2), last: i };
  if (w === 'после' && tokens[i + 1]?.text.startsWith('завтра')) return { date: addDays(ctx.today, 2), last: i + 1 };
  if (w.startsWith('завтра')) return { date: addDays(ctx.today, 1), last: i };
  if (w === 'через') return readAfterVia(tokens, i, ctx);
  return null;
}

/** "через два дня", "через 3 дня", "через неделю", "через пару часов". */
function readAfterVia(tokens: readonly Token[], i: number, ctx: DateContext): Hit | null {
  let k = i + 1;
  let amount = 1;
  const t = tokens[k];
  if (!t || t.gap === 2) return null;
  if (t.kind === 'num') {
    if (t.text.length > 3) return null;
    amount = Number(t.text);
    k++;
  } else if (t.text === 'пару' || t.text === 'пара') {
    amount = 2;
    k++;
  } else if (t.text === 'полчаса') {
    return { date: civilDateAt(ctx.now + 30 * 60_000, ctx.tz), last: k };
  } else {
    const words = readNumberWords(tokens, k);
    if (words && !words.slang && !words.thousands) {
      amount = words.value;
      k = words.last + 1;
    }
  }
  const unit = tokens[k];
  if (!unit || unit.kind !== 'word' || unit.gap === 2) return null;
  if (dayUnits.has(unit.text)) return { date: addDays(ctx.today, amount), last: k };
  if (weekUnits.has(unit.text)) return { date: addDays(ctx.today, 7 * amount), last: k };
  if (hourUnits.has(unit.text)) return { date: civilDateAt(ctx.now + amount * 3_600_000, ctx.tz), last: k };
  if (minuteUnits.has(unit.text)) return { date: civilDateAt(ctx.now + amount * 60_000, ctx.tz), last: k };
  return null;
}

function readWeekday(tokens: readonly Token[], i: number, ctx: DateContext): Hit | null {
  const t = tokens[i]!;
  const target = weekdayOf(t.text);
  if (target === 0) {
    if (t.text.startsWith('выходн') && !isWord(tokens[i - 1], 'без')) {
      const delta = (6 - isoWeekday(ctx.today) + 7) % 7;
      return { date: addDays(ctx.today, isoWeekday(ctx.today) === 7 ? 0 : delta), last: i };
    }
    if (t.text.startsWith('недел') && tokens[i - 1]?.text.startsWith('следующ')) {
      return { date: addDays(ctx.today, 8 - isoWeekday(ctx.today)), last: i };
    }
    return null;
  }
  const current = isoWeekday(ctx.today);
  const prev = tokens[i - 1];
  if (prev && prev.kind === 'word' && prev.text.startsWith('следующ')) {
    return { date: addDays(ctx.today, 7 - current + target), last: i };
  }
  let delta = (target - current + 7) % 7;
  if (delta === 0) delta = 7;
  return { date: addDays(ctx.today, delta), last: i };
}

function readNumeric(tokens: readonly Token[], i: number, ctx: DateContext): Hit | null {
  const day = smallInt(tokens[i], 2);
  if (day < 1 || day > 31) return null;
  const before = tokens[i - 1];
  if (before && tokens[i]!.gap === 0 && (before.kind !== 'sym' || before.text === '.' || before.text === ',')) {
    return null;
  }
  const sep = tokens[i + 1];
  // 25.11 / 25.11.2026 / 25/11
  if (sep && sep.gap === 0 && (sep.text === '.' || sep.text === '/')) {
    const monthTok = tokens[i + 2];
    const month = smallInt(monthTok, 2);
    if (month < 1 || month > 12 || monthTok!.gap !== 0) return null;
    let last = i + 2;
    let year: number | null = null;
    const sep2 = tokens[i + 3];
    const yearTok = tokens[i + 4];
    if (sep2 && sep2.gap === 0 && sep2.text === sep.text && yearTok && yearTok.gap === 0 && yearTok.kind === 'num') {
      if (yearTok.text.length === 4) year = Number(yearTok.text);
      else if (yearTok.text.length === 2) year = 2000 + Number(yearTok.text);
      else return null;
      last = i + 4;
    }
    const after = tokens[last + 1];
    // "1.5т", "13.6 м": a measure, not a date
    if (after && after.gap === 0 && after.kind !== 'sym') return null;
    if (unitAfter(tokens, last + 1) >= 0 && !isYearWord(after)) return null;
    if (moneyMarkerAt(tokens, last + 1)) return null;
    if (after && after.gap === 0 && (after.text === '.' || after.text === '/' || after.text === ',')) {
      if (tokens[last + 2]?.kind === 'num' && tokens[last + 2]?.gap === 0) return null;
    }
    if (isYearWord(after)) last += 1;
    const date = resolveDayMonth(day, month, year, ctx.today);
    return date ? { date, last } : null;
  }
  // 25-го, 25го, 25 числа, 25-е (optionally followed by a month name)
  let k = i + 1;
  let ordinal = false;
  const dash = tokens[k];
  if (dash && dash.gap === 0 && dash.text === '-') k++;
  const suffix = tokens[k];
  if (suffix && suffix.kind === 'word' && ordinalSuffixes.has(suffix.text)) {
    if ((suffix.text === 'числа' && suffix.gap === 1) || (suffix.text !== 'числа' && suffix.gap === 0)) {
      ordinal = true;
      k++;
    }
  }
  // 25 ноября [2026 г.]
  const monthTok = tokens[k];
  const month = monthTok && monthTok.kind === 'word' && monthTok.gap !== 2 ? monthOf(monthTok.text) : 0;
  if (month > 0) {
    let last = k;
    if (isSym(tokens[last + 1], '.') && tokens[last + 1]!.gap === 0) last++;
    let year: number | null = null;
    const yearTok = tokens[last + 1];
    if (yearTok && yearTok.kind === 'num' && yearTok.text.length === 4 && yearTok.gap === 1) {
      year = Number(yearTok.text);
      last++;
      if (isYearWord(tokens[last + 1])) last++;
    }
    const date = resolveDayMonth(day, month, year, ctx.today);
    return date ? { date, last } : null;
  }
  if (ordinal) {
    const date = resolveDayOfMonth(day, ctx.today);
    return date ? { date, last: k - 1 } : null;
  }
  return null;
}

function isYearWord(t: Token | undefined): boolean {
  return t !== undefined && t.kind === 'word' && (t.text === 'г' || t.text === 'года' || t.text === 'год');
}

/** "10:00", "в 9:30": claimed so the hour never reads as a rate. */
function readClock(tokens: readonly Token[], i: number): number {
  const h = smallInt(tokens[i], 2);
  if (h < 0 || h > 24) return -1;
  const colon = tokens[i + 1];
  const m = tokens[i + 2];
  if (colon && colon.gap === 0 && colon.text === ':' && m && m.gap === 0 && m.kind === 'num' && m.text.length === 2) {
    return i + 2;
  }
  return -1;
}

export function findDates(a: Analysis, ctx: DateContext): DateMention[] {
  const { tokens, claims } = a;
  const found: DateMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (claims[i] !== Claim.free) continue;
    const t = tokens[i]!;
    let hit: Hit | null = null;
    if (t.kind === 'word') {
      hit = readRelative(tokens, i, ctx) ?? readWeekday(tokens, i, ctx);
    } else if (t.kind === 'num') {
      const clockEnd = readClock(tokens, i);
      if (clockEnd >= 0) hit = { date: null, last: clockEnd, claim: Claim.time };
      else hit = readNumeric(tokens, i, ctx);
    }
    if (!hit) continue;
    let clear = true;
    for (let c = i; c <= hit.last; c++) if (claims[c] !== Claim.free) clear = false;
    if (!clear) continue;
    for (let c = i; c <= hit.last; c++) claims[c] = hit.claim ?? Claim.date;
    if (hit.date) found.push({ date: hit.date, first: i, last: hit.last, clause: t.clause });
    i = hit.last;
  }
  return found;
}
