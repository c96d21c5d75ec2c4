// Recognizers of the time side of a phrase: clock times in the ways people type them
// ("в 10", "10:30", "11.00", "10-00", "в 3 дня", "в пять вечера", "9am", "at 3pm"), and the
// parts of the day the conventions fix ("утром" 09:00, "днём"/"в обед" 13:00, "после обеда"
// 14:00, "вечером" 18:00, "к концу дня" 18:00 today).
import { dottedIsTime } from './recognize-dates.ts';
import { L, matches, R, re, span } from './regex.ts';
import { HOUR_WORD_SOURCE, numberValue } from './number-words.ts';
import type { Part, TimeSpec } from './parts.ts';

const PREP = '(?:в|во|к|до|с|со|около|часам\\s+к|at|by|around|until|till|from|@)';
const RU_MERIDIEM = '(утра|дня|вечера|ночи)';
const EN_MERIDIEM = '(a\\.?m\\.?|p\\.?m\\.?)';

/** 10:30, в 10:30, 10:30 вечера, 10:30pm. */
const COLON_TIME = re(`${L}(?:(${PREP})\\s*)?(\\d{1,2}):(\\d{2})(?::\\d{2})?(?:\\s*(?:${RU_MERIDIEM}|${EN_MERIDIEM}))?(?![\\p{L}\\p{N}]|[:.]\\p{N})`);
/** 10-00, в 10-30 (not part of a longer dash-separated number). */
const DASH_TIME = re(`(?<![\\p{L}\\p{N}:.-])(?:(${PREP})\\s*)?(\\d{1,2})-(\\d{2})(?:\\s*${RU_MERIDIEM})?(?![\\p{L}\\p{N}]|-\\p{N})`);
/** 11.00, в 9.05: only where the digits cannot be a date (see dottedIsTime). */
const DOT_TIME = re(`(?<![\\p{L}\\p{N}.,/:-])(?:(${PREP})\\s+)?(\\d{1,2})\\.(\\d{2})(?:\\s*${RU_MERIDIEM})?(?![\\p{N}]|[.,/:-]\\p{N})`);
/** в 10, к 9, до 12, в 10 часов, в 15 ч 30 мин, в 3 дня, в пять вечера, в час дня. */
const HOUR_TIME = re(
  `${L}(${PREP})\\s+(\\d{1,2}|${HOUR_WORD_SOURCE}|час)(?:\\s*(?:час(?:а|ов)?|ч\\.?)(?:\\s*(\\d{1,2})\\s*(?:мин(?:ут[аы]?)?\\.?)?)?)?(?:\\s+${RU_MERIDIEM}|\\s*${EN_MERIDIEM}|\\s+o'?clock)?${R}(?![:.-]\\p{N})`,
);
/** 9 утра, пять вечера, 9am, 3 pm (no preposition needed when the part of day is said). */
const MERIDIEM_TIME = re(`${L}(\\d{1,2}|${HOUR_WORD_SOURCE})(?:\\s+(утра|вечера|ночи)|\\s*${EN_MERIDIEM})${R}`);

const PARTS_OF_DAY: [RegExp, TimeSpec][] = [
  [re(`${L}(?:(?:в|к|до)\\s+)?конц[уае]\\s+(?:рабочего\\s+)?дня${R}|${L}(?:by\\s+)?(?:the\\s+)?end\\s+of\\s+(?:the\\s+)?(?:business\\s+|working\\s+|work\\s+)?day${R}|${L}(?:by\\s+)?(?:eod|cob)${R}`),
    { hour: 18, minute: 0, label: 'end of the day', today: true }],
  [re(`${L}после\\s+обеда${R}|${L}(?:after\\s+lunch|in\\s+the\\s+afternoon|afternoon)${R}`), { hour: 14, minute: 0, label: 'after lunch' }],
  [re(`${L}до\\s+обеда${R}|${L}before\\s+lunch${R}`), { hour: 12, minute: 0, label: 'before lunch' }],
  [re(`${L}(?:(?:в|на)\\s+обед|к\\s+обеду|(?<!с\\s)днем(?!\\s+рожден))${R}|${L}(?:at\\s+)?(?:lunch(?:time)?)${R}`), { hour: 13, minute: 0, label: 'lunchtime' }],
  [re(`${L}(?:в\\s+полдень|к\\s+полудню)${R}|${L}(?:at\\s+)?(?:noon|midday)${R}`), { hour: 12, minute: 0, label: 'noon' }],
  [re(`${L}(?:утром|с\\s+утра|поутру)${R}|${L}(?:in\\s+the\\s+)?morning${R}`), { hour: 9, minute: 0, label: 'morning' }],
  [re(`${L}(?:вечером|к\\s+вечеру)${R}|${L}(?:in\\s+the\\s+)?evening${R}`), { hour: 18, minute: 0, label: 'evening' }],
  [re(`${L}(?:tonight|this\\s+evening)${R}`), { hour: 18, minute: 0, label: 'tonight', today: true }],
  [re(`${L}(?:this\\s+morning)${R}`), { hour: 9, minute: 0, label: 'this morning', today: true }],
];

/** Applies "утра/дня/вечера/ночи" or am/pm to an hour; null when they do not fit. */
function withMeridiem(hour: number, ru: string | undefined, en: string | undefined): number | null {
  if (en) {
    if (hour < 1 || hour > 12) return null;
    const pm = en.startsWith('p');
    return pm ? (hour === 12 ? 12 : hour + 12) : hour === 12 ? 0 : hour;
  }
  switch (ru) {
    case 'утра':
      return hour <= 11 ? hour : hour === 12 ? 0 : null;
    case 'дня':
      return hour >= 1 && hour <= 6 ? hour + 12 : hour >= 11 && hour <= 12 ? hour : hour > 12 && hour <= 18 ? hour : null;
    case 'вечера':
      return hour >= 4 && hour <= 11 ? hour + 12 : hour >= 16 && hour <= 23 ? hour : null;
    case 'ночи':
      return hour === 12 ? 0 : hour <= 5 ? hour : hour >= 9 && hour <= 11 ? hour + 12 : null;
    default:
      return hour;
  }
}

function push(out: Part[], m: RegExpExecArray, hour: number | null, minute: number, extra: Partial<TimeSpec> = {}): void {
  if (hour === null || !(hour >= 0 && hour <= 23) || !(minute >= 0 && minute <= 59)) return;
  out.push({ ...span(m), source: 'own', time: { hour, minute, ...extra } });
}

export function recognizeTimes(text: string, out: Part[]): void {
  for (const m of matches(COLON_TIME, text)) push(out, m, withMeridiem(Number(m[2]), m[4], m[5]), Number(m[3]));
  for (const m of matches(DASH_TIME, text)) push(out, m, withMeridiem(Number(m[2]), m[4], undefined), Number(m[3]));
  for (const m of matches(DOT_TIME, text)) {
    if (!dottedIsTime(m[1], m[2]!, m[3]!)) continue;
    push(out, m, withMeridiem(Number(m[2]), m[4], undefined), Number(m[3]));
  }
  for (const m of matches(HOUR_TIME, text)) {
    const raw = m[2] === 'час' ? 1 : numberValue(m[2]!);
    if (raw === null || !Number.isInteger(raw)) continue;
    const minute = m[3] === undefined ? 0 : Number(m[3]);
    const said = m[4] ?? m[5];
    if (said) {
      push(out, m, withMeridiem(raw, m[4], m[5]), minute);
    } else {
      // "в 3" in a chat about work means 15:00: nobody sets a reminder for three at night.
      const guess = raw >= 1 && raw <= 6;
      push(out, m, guess ? raw + 12 : raw, minute, guess ? { afternoonGuess: true } : {});
    }
  }
  for (const m of matches(MERIDIEM_TIME, text)) {
    const raw = numberValue(m[1]!);
    if (raw === null || !Number.isInteger(raw)) continue;
    push(out, m, withMeridiem(raw, m[2], m[3]), 0);
  }
  for (const [pattern, time] of PARTS_OF_DAY) {
    for (const m of matches(pattern, text)) out.push({ ...span(m), source: 'own', time });
  }
}
