// Numbers written as words, in the forms a reminder uses: "через два часа", "в пять вечера",
// "к пяти", "in two hours". Values are looked up after the text is lower-cased and ё → е.

const RU_UNITS: Record<string, number> = {
  один: 1, одна: 1, одну: 1, одного: 1, одному: 1,
  два: 2, две: 2, двух: 2, двум: 2, пару: 2, пара: 2, пары: 2,
  три: 3, трех: 3, трем: 3,
  четыре: 4, четырех: 4, четырем: 4,
  пять: 5, пяти: 5,
  шесть: 6, шести: 6,
  семь: 7, семи: 7,
  восемь: 8, восьми: 8,
  девять: 9, девяти: 9,
};

const RU_TEENS_AND_TENS: Record<string, number> = {
  десять: 10, десяти: 10,
  одиннадцать: 11, одиннадцати: 11,
  двенадцать: 12, двенадцати: 12,
  тринадцать: 13, четырнадцать: 14, пятнадцать: 15, шестнадцать: 16,
  семнадцать: 17, восемнадцать: 18, девятнадцать: 19,
  двадцать: 20, двадцати: 20, тридцать: 30, тридцати: 30, сорок: 40, сорока: 40, пятьдесят: 50, пятидесяти: 50,
  полтора: 1.5, полторы: 1.5,
};

const EN: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, fifty: 50,
  'a couple of': 2, 'a few': 3, couple: 2,
};

const TENS = ['двадцать', 'тридцать', 'сорок', 'пятьдесят'];

const WORDS: Record<string, number> = { ...RU_UNITS, ...RU_TEENS_AND_TENS, ...EN };

const byLength = (a: string, b: string) => b.length - a.length;

/** Regex source (no groups) of a number: digits ("2", "1,5") or words ("двадцать пять", "two"). */
export const NUMBER_SOURCE = `(?:\\d{1,3}(?:[.,]\\d{1,2})?|(?:${TENS.join('|')})\\s+(?:${Object.keys(RU_UNITS).sort(byLength).join('|')})|${Object.keys(WORDS)
  .sort(byLength)
  .map((w) => w.replace(/ /g, '\\s+'))
  .join('|')})`;

/** Hours as words: the same list; "час" alone stands for one ("в час дня"). */
export const HOUR_WORD_SOURCE = `(?:${[...Object.keys(RU_UNITS).filter((w) => !w.startsWith('пар')), ...Object.keys(RU_TEENS_AND_TENS).filter((w) => RU_TEENS_AND_TENS[w]! <= 12 && Number.isInteger(RU_TEENS_AND_TENS[w])), 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve']
  .sort(byLength)
  .join('|')})`;

/** The value of a number matched by NUMBER_SOURCE or HOUR_WORD_SOURCE, or null. */
export function numberValue(text: string): number | null {
  const t = text.trim().replace(/\s+/g, ' ');
  if (/^\d/.test(t)) {
    const n = Number(t.replace(',', '.'));
    return Number.isFinite(n) ? n : null;
  }
  const direct = WORDS[t];
  if (direct !== undefined) return direct;
  const [tens, unit] = t.split(' ');
  if (tens && unit && TENS.includes(tens)) {
    const u = RU_UNITS[unit];
    return u === undefined ? null : WORDS[tens]! + u;
  }
  return null;
}
