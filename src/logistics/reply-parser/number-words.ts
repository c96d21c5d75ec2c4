// Russian numbers written as words ("сто", "двадцать пять тысяч") and drivers' slang for
// sums ("полтинник", "сотка"). Only what replies to a load offer actually contain.
import type { Token } from './normalize.ts';

const units = new Map<string, number>([
  ['ноль', 0], ['нуль', 0],
  ['один', 1], ['одна', 1], ['одну', 1], ['одного', 1], ['одной', 1], ['одно', 1],
  ['два', 2], ['две', 2], ['двух', 2],
  ['три', 3], ['трех', 3],
  ['четыре', 4], ['четырех', 4],
  ['пять', 5], ['пяти', 5],
  ['шесть', 6], ['шести', 6],
  ['семь', 7], ['семи', 7],
  ['восемь', 8], ['восьми', 8],
  ['девять', 9], ['девяти', 9],
]);

const teens = new Map<string, number>([
  ['десять', 10], ['десяти', 10],
  ['одиннадцать', 11], ['одиннадцати', 11],
  ['двенадцать', 12], ['двенадцати', 12],
  ['тринадцать', 13], ['тринадцати', 13],
  ['четырнадцать', 14], ['четырнадцати', 14],
  ['пятнадцать', 15], ['пятнадцати', 15],
  ['шестнадцать', 16], ['шестнадцати', 16],
  ['семнадцать', 17], ['семнадцати', 17],
  ['восемнадцать', 18], ['восемнадцати', 18],
  ['девятнадцать', 19], ['девятнадцати', 19],
]);

const tens = new Map<string, number>([
  ['двадцать', 20], ['двадцати', 20],
  ['тридцать', 30], ['тридцати', 30],
  ['сорок', 40], ['сорока', 40],
  ['пятьдесят', 50], ['пятидесяти', 50],
  ['шестьдесят', 60], ['шестидесяти', 60],
  ['семьдесят', 70], ['семидесяти', 70],
  ['восемьдесят', 80], ['восьмидесяти', 80],
  ['девяносто', 90], ['девяноста', 90],
]);

const hundreds = new Map<string, number>([
  ['сто', 100], ['ста', 100],
  ['двести', 200], ['двухсот', 200],
  ['триста', 300], ['трехсот', 300],
  ['четыреста', 400], ['четырехсот', 400],
  ['пятьсот', 500], ['пятисот', 500],
  ['шестьсот', 600], ['шестисот', 600],
  ['семьсот', 700], ['семисот', 700],
  ['восемьсот', 800], ['восьмисот', 800],
  ['девятьсот', 900], ['девятисот', 900],
]);

/**
 * Slang that stands alone for a number. In a rate position these are read like any bare
 * number, so "за полтинник" is 50 000 and "сотка" is 100 000.
 */
const slang = new Map<string, number>([
  ['полтинник', 50], ['полтинника', 50], ['полтос', 50], ['полтиник', 50],
  ['сотка', 100], ['сотку', 100], ['сотня', 100], ['сотню', 100], ['стольник', 100],
]);

/** Words that multiply what precedes them by a thousand (also used as rate markers). */
export const thousandWords: ReadonlySet<string> = new Set([
  'тысяча', 'тысячи', 'тысяч', 'тысячу', 'тысячь', 'тысч', 'тыщ', 'тыщи', 'тыща', 'тыщу', 'тыс',
]);

export interface WordNumber {
  value: number;
  first: number;
  last: number;
  /** A thousand-word was part of it ("сто тысяч"). */
  thousands: boolean;
  slang: boolean;
}

export function isNumberWord(text: string): boolean {
  return units.has(text) || teens.has(text) || tens.has(text) || hundreds.has(text) || slang.has(text);
}

/** Reads "сто двадцать пять", "двадцать тысяч пятьсот" ... at token i; null if none starts there. */
export function readNumberWords(tokens: readonly Token[], i: number): WordNumber | null {
  const first = tokens[i];
  if (!first || first.kind !== 'word') return null;
  const slangValue = slang.get(first.text);
  if (slangValue !== undefined) return { value: slangValue, first: i, last: i, thousands: false, slang: true };

  const head = readGroup(tokens, i);
  if (!head) return null;
  let value = head.value;
  let last = head.last;
  let thousands = false;
  const next = tokens[last + 1];
  if (next && next.kind === 'word' && thousandWords.has(next.text) && next.gap !== 2) {
    thousands = true;
    value *= 1000;
    last += 1;
    const tail = readGroup(tokens, last + 1);
    if (tail) {
      value += tail.value;
      last = tail.last;
    }
  }
  return { value, first: i, last, thousands, slang: false };
}

/** 0..999 from hundreds, tens and units words, each at most once and in that order. */
function readGroup(tokens: readonly Token[], i: number): { value: number; last: number } | null {
  let k = i;
  let value = 0;
  let stage = 0; // 0 nothing read, 1 hundreds, 2 tens, 3 units or teens
  for (;;) {
    const t = tokens[k];
    if (!t || t.kind !== 'word' || (k > i && t.gap === 2)) break;
    const h = hundreds.get(t.text);
    if (h !== undefined && stage < 1) {
      value += h;
      stage = 1;
      k++;
      continue;
    }
    const tn = tens.get(t.text);
    if (tn !== undefined && stage < 2) {
      value += tn;
      stage = 2;
      k++;
      continue;
    }
    const te = teens.get(t.text);
    if (te !== undefined && stage < 2) {
      value += te;
      stage = 3;
      k++;
      continue;
    }
    const u = units.get(t.text);
    if (u !== undefined && stage < 3) {
      value += u;
      stage = 3;
      k++;
      continue;
    }
    break;
  }
  if (k === i) return null;
  return { value, last: k - 1 };
}
