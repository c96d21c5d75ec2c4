// The trip rate and the per-kilometre rate. Drivers write sums every way there is: "85к",
// "120 тыр", "95 т.р.", "102 500", "Сто тысяч", or a bare "76" meaning 76 000. Every other
// number in a reply (tonnes, cubes, pallets, trucks, percent, dates, phones) must be told apart.
import { Claim, isWord, matchGlued, type Analysis, type Token } from './normalize.ts';
import { readNumberWords } from './number-words.ts';
import type { Polarity } from './polarity.ts';
import { millionMarkers, rubleMarkers, thousandMarkers, unitAfter } from './units.ts';

/** Below this a "rate" is a typo or something else; above it, a phone or an order number. */
const MIN_RATE = 1000;
const MAX_RATE = 50_000_000;
const MAX_RATE_PER_KM = 1000;
/** A bare number below this is read as thousands only after a cue ("за 8"), never alone. */
const MIN_BARE_THOUSANDS = 10;

export interface RateCandidate {
  rub: number;
  first: number;
  last: number;
  score: number;
  /** Why the figure was read as it was, for the explanation. */
  note: string;
  clause: number;
}

export interface RejectedFigure {
  rub: number;
  first: number;
  last: number;
}

export interface MoneyFinding {
  rate: RateCandidate | null;
  perKm: { value: number; first: number; last: number } | null;
  /** Figures the driver turned down ("за 55 не поеду"). */
  rejected: RejectedFigure[];
}

interface Quantity {
  value: number;
  lo: number | null;
  first: number;
  last: number;
  decimal: boolean;
  wordThousands: boolean;
  slang: boolean;
}

/** After a spaced "к" these show it is "thousand" ("85 к без ндс"), not "towards" ("к вечеру"). */
const afterSpacedK = new Set([
  'без', 'с', 'нал', 'безнал', 'наличными', 'налом', 'ндс', 'на', 'по', 'б', 'р', 'руб', 'за', 'и', 'или', 'кэш',
  'карта', 'карту', 'могу', 'готов', 'отсрочка',
]);
const cueWords = new Set([
  'за', 'по', 'ставка', 'ставку', 'ставкой', 'цена', 'цену', 'стоимость', 'итого', 'всего', 'бюджет', 'сумма',
  'выйдет', 'будет', 'устроит', 'прошу', 'хочу', 'давайте', 'дайте', 'предлагаю', 'минимум', 'мин', 'от',
  'надо', 'нужно', 'хотя', 'бы', 'меньше', 'ниже', 'дешевле', 'сделаю', 'поеду', 'могу', 'можем', 'возьму',
]);
/** A figure after these is the driver's own, even in a clause that says no. */
const counterWords = new Set([
  'минимум', 'мин', 'от', 'давайте', 'дайте', 'предлагаю', 'хочу', 'прошу', 'меньше', 'ниже', 'дешевле', 'бы',
  'сделаю',
]);
/** A bare number after these is a time ("в 10", "с 9 до 18") when it fits in a day. */
const timePrepositions = new Set(['в', 'к', 'до', 'после', 'с', 'со', 'около']);
/** A bare number after these describes the cargo or the truck, not money. */
const measureWords = new Set([
  'вес', 'весом', 'объем', 'объемом', 'грузоподъемность', 'длина', 'высота', 'ширина', 'тоннаж', 'ндс', 'через',
  'номер', 'n', '№', 'рейс', 'заявка', 'заявке', 'груз', 'ось', 'гос', 'все',
]);

function readDigits(a: Analysis, i: number): Quantity | null {
  const { tokens, claims } = a;
  const t = tokens[i]!;
  if (t.text.length > 9) return null;
  let value = Number(t.text);
  let last = i;
  let decimal = false;
  // "102 500", "1 200 000": groups of three after a short head
  const startsFigure = t.gap > 0 || !tokens[i - 1] || tokens[i - 1]!.kind === 'sym';
  if (t.text.length <= 3 && startsFigure) {
    while (true) {
      const g = tokens[last + 1];
      if (!g || g.kind !== 'num' || g.gap !== 1 || g.text.length !== 3 || claims[last + 1] !== Claim.free) break;
      // Drivers do not write two bare figures in a row, so a group of three is the thousands' tail.
      value = value * 1000 + Number(g.text);
      last++;
      if (value > MAX_RATE) return null;
    }
  }
  // "85,5к", "1.5т", "102.500"
  const sep = tokens[last + 1];
  const frac = tokens[last + 2];
  if (
    last === i &&
    sep && sep.gap === 0 && (sep.text === '.' || sep.text === ',') &&
    frac && frac.gap === 0 && frac.kind === 'num' && claims[last + 2] === Claim.free && frac.text.length <= 3
  ) {
    const after = tokens[last + 3];
    if (after && after.gap === 0 && (after.text === '.' || after.text === ',') && tokens[last + 4]?.kind === 'num') return null;
    if (frac.text.length === 3 && value >= 1) {
      value = value * 1000 + Number(frac.text);
    } else {
      value = Number(`${t.text}.${frac.text}`);
      decimal = true;
    }
    last += 2;
  }
  return { value, lo: null, first: i, last, decimal, wordThousands: false, slang: false };
}

function readQuantity(a: Analysis, i: number): Quantity | null {
  const { tokens, claims } = a;
  const t = tokens[i]!;
  let q: Quantity | null = null;
  if (t.kind === 'num') q = readDigits(a, i);
  else if (t.kind === 'word') {
    const w = readNumberWords(tokens, i);
    if (w) q = { value: w.value, lo: null, first: i, last: w.last, decimal: false, wordThousands: w.thousands, slang: w.slang };
  }
  if (!q) return null;
  for (let c = q.first; c <= q.last; c++) if (claims[c] !== Claim.free) return null;
  // "80-85 тыс": the upper end, as the logist must budget for it
  const dash = tokens[q.last + 1];
  const hiTok = tokens[q.last + 2];
  if (
    dash && dash.kind === 'sym' && dash.text === '-' && dash.gap <= 1 &&
    hiTok && hiTok.kind === 'num' && hiTok.gap <= 1 && claims[q.last + 2] === Claim.free
  ) {
    const hi = readDigits(a, q.last + 2);
    if (hi && hi.value > q.value && !hi.decimal) {
      return { ...q, value: hi.value, lo: q.value, last: hi.last };
    }
  }
  return q;
}

type AfterKind = 'thousands' | 'millions' | 'rub' | 'perKm' | 'unit' | 'none' | 'reject';

interface After {
  kind: AfterKind;
  last: number;
}

/** "/км", "за км", "за километр" starting at token k. Returns the last index or -1. */
function perKmAt(tokens: readonly Token[], k: number): number {
  const t = tokens[k];
  if (!t || t.gap === 2) return -1;
  if (t.text === '/' && tokens[k + 1]?.text === 'км' && tokens[k + 1]!.gap <= 1) return k + 1;
  if (t.text === 'за' && tokens[k + 1]?.kind === 'word') {
    const w = tokens[k + 1]!.text;
    if (w === 'км' || w.startsWith('километр') || w === 'кило') return k + 1;
  }
  if (t.text === 'км' && t.gap === 0 && tokens[k - 1]?.text === '/') return k;
  return -1;
}

/** After a ruble marker at `last`: an optional dot and a per-km tail. */
function afterRubles(tokens: readonly Token[], last: number): After {
  let end = last;
  if (tokens[end + 1]?.text === '.' && tokens[end + 1]!.gap === 0) end++;
  const km = perKmAt(tokens, end + 1);
  if (km >= 0) return { kind: 'perKm', last: km };
  return { kind: 'rub', last: end };
}

function readAfter(tokens: readonly Token[], k: number): After {
  const t = tokens[k];
  if (!t || t.gap === 2) return { kind: 'none', last: k - 1 };
  if (t.kind === 'num') return { kind: 'none', last: k - 1 };
  if (t.kind === 'sym') {
    if (t.text === '₽') return afterRubles(tokens, k);
    const km = perKmAt(tokens, k);
    if (km >= 0) return { kind: 'perKm', last: km };
    if (t.gap === 0 && t.text === ':' && tokens[k + 1]?.kind === 'num') return { kind: 'reject', last: k };
    // "2-й", "3-х"
    if (t.gap === 0 && t.text === '-' && tokens[k + 1]?.kind === 'word' && tokens[k + 1]!.gap === 0) {
      return { kind: 'reject', last: k + 1 };
    }
    const unitEnd = unitAfter(tokens, k);
    if (unitEnd >= 0) return { kind: 'unit', last: unitEnd };
    return { kind: 'none', last: k - 1 };
  }
  const w = t.text;
  const glued = t.gap === 0;
  // "т.р.", "т/р" before the tonne check
  if (w === 'т') {
    const tr = matchGlued(tokens, k, ['т', '.', 'р']);
    const tr2 = matchGlued(tokens, k, ['т', '/', 'р']);
    // "т. р" with a space after the dot
    const tr3 = matchGlued(tokens, k, ['т', '.']) >= 0 && tokens[k + 2]?.text === 'р' && tokens[k + 2]!.gap === 1 ? k + 2 : -1;
    const end = Math.max(tr, tr2, tr3);
    if (end >= 0) return withRubles(tokens, end, 'thousands');
  }
  if (w === 'к' || w === 'k') {
    const next = tokens[k + 1];
    const isMarker =
      glued || !next || next.gap === 2 || next.kind === 'sym' || (next.kind === 'word' && afterSpacedK.has(next.text));
    if (isMarker) return withRubles(tokens, k, 'thousands');
    return { kind: 'none', last: k - 1 };
  }
  if (thousandMarkers.has(w)) return withRubles(tokens, k, 'thousands');
  if (millionMarkers.has(w)) return withRubles(tokens, k, 'millions');
  if (rubleMarkers.has(w)) return afterRubles(tokens, k);
  if (w === 'r' && glued) return afterRubles(tokens, k);
  const km = perKmAt(tokens, k);
  if (km >= 0) return { kind: 'perKm', last: km };
  const unitEnd = unitAfter(tokens, k);
  if (unitEnd >= 0) return { kind: 'unit', last: unitEnd };
  if (glued) return { kind: 'reject', last: k };
  return { kind: 'none', last: k - 1 };
}

/** A thousands or millions marker, then maybe a dot and "руб"/"₽" ("72 тыс. руб."). */
function withRubles(tokens: readonly Token[], markerLast: number, kind: 'thousands' | 'millions'): After {
  let end = markerLast;
  if (tokens[end + 1]?.text === '.' && tokens[end + 1]!.gap === 0) end++;
  const r = tokens[end + 1];
  if (r && r.gap !== 2 && (rubleMarkers.has(r.text) || r.text === '₽')) {
    end++;
    if (tokens[end + 1]?.text === '.' && tokens[end + 1]!.gap === 0) end++;
  }
  return { kind, last: end };
}

interface Before {
  reject: boolean;
  cue: boolean;
  counter: boolean;
  time: boolean;
}

function readBefore(tokens: readonly Token[], first: number): Before {
  const out: Before = { reject: false, cue: false, counter: false, time: false };
  const prev = tokens[first - 1];
  const t = tokens[first]!;
  if (!prev) return out;
  if (t.gap === 0) {
    if (prev.kind === 'num') out.reject = true;
    if (prev.kind === 'word' && !cueWords.has(prev.text)) out.reject = true;
    if (prev.kind === 'sym' && (prev.text === '№' || prev.text === '#' || prev.text === '/' || prev.text === ':' || prev.text === '+' || prev.text === '.')) {
      out.reject = true;
    }
    // a sign, not a range: "реф -18" is a temperature
    if (prev.kind === 'sym' && prev.text === '-' && (prev.gap > 0 || !tokens[first - 2])) out.reject = true;
  }
  // Look back over at most two words and punctuation such as "ставка: 85".
  let k = first - 1;
  for (let seen = 0; k >= 0 && seen < 3 && first - k <= 6; k--) {
    const p = tokens[k]!;
    if (p.gap === 2 && k !== first - 1) break;
    if (p.kind === 'sym') {
      if (p.text === ':' || p.text === '-' || p.text === '~' || p.text === '≈') continue;
      break;
    }
    if (p.kind !== 'word') break;
    if (k === first - 1) {
      if (measureWords.has(p.text)) out.reject = true;
      if (timePrepositions.has(p.text)) out.time = true;
    }
    if (cueWords.has(p.text)) out.cue = true;
    if (counterWords.has(p.text)) out.counter = true;
    if (p.text === 'не' && isWord(tokens[k + 1], 'меньше')) out.counter = true;
    seen++;
    if (seen >= 2) break;
  }
  return out;
}

export function findMoney(a: Analysis, polarity: Polarity): MoneyFinding {
  const { tokens, claims } = a;
  const candidates: RateCandidate[] = [];
  const rejected: RejectedFigure[] = [];
  let perKm: MoneyFinding['perKm'] = null;

  for (let i = 0; i < tokens.length; i++) {
    if (claims[i] !== Claim.free) continue;
    const t = tokens[i]!;
    if (t.kind !== 'num' && t.kind !== 'word') continue;
    const q = readQuantity(a, i);
    if (!q) continue;
    const after = readAfter(tokens, q.last + 1);
    if (after.kind === 'unit' || after.kind === 'reject') {
      i = Math.max(i, after.last);
      continue;
    }
    const before = readBefore(tokens, q.first);
    if (before.reject) {
      i = q.last;
      continue;
    }
    const spanLast = Math.max(q.last, after.last);

    if (after.kind === 'perKm') {
      if (!perKm && q.value > 0 && q.value <= MAX_RATE_PER_KM) {
        perKm = { value: q.value, first: q.first, last: spanLast };
        for (let c = q.first; c <= spanLast; c++) claims[c] = Claim.perKm;
      }
      i = spanLast;
      continue;
    }

    let rub: number;
    let score: number;
    let note = '';
    if (after.kind === 'millions') {
      rub = q.value * 1_000_000;
      score = 3;
    } else if (after.kind === 'thousands' || q.wordThousands) {
      rub = q.wordThousands ? q.value : q.value * 1000;
      score = 3;
    } else if (after.kind === 'rub') {
      if (q.value < MIN_RATE) {
        rub = q.value * 1000;
        note = 'указано меньше 1000 ₽ — прочитано как тысячи';
      } else rub = q.value;
      score = 3;
    } else {
      // A bare number: thousands when small ("76", "за 70"), roubles when large ("76000").
      if (q.decimal && !before.cue) {
        i = q.last;
        continue;
      }
      if (q.value < MIN_RATE) {
        if (q.value < MIN_BARE_THOUSANDS && !before.cue) {
          i = q.last;
          continue;
        }
        if (before.time && q.value <= 24) {
          i = q.last;
          continue;
        }
        rub = q.value * 1000;
        note = q.slang ? 'разговорное — в тысячах' : 'число без единиц — в тысячах';
        score = 1;
      } else {
        rub = q.value;
        score = 2;
      }
    }
    rub = Math.round(rub);
    if (rub < MIN_RATE || rub > MAX_RATE) {
      i = spanLast;
      continue;
    }
    if (before.cue) score += 2;
    if (before.counter) score += 3;
    const clause = tokens[q.first]!.clause;
    if (polarity.negativeClauses[clause] && !before.counter) {
      rejected.push({ rub, first: q.first, last: spanLast });
      i = spanLast;
      continue;
    }
    if (q.lo !== null) note = note ? `${note}; верхняя граница диапазона` : 'верхняя граница диапазона';
    if (before.counter) note = note ? `${note}; встречное предложение` : 'встречное предложение';
    candidates.push({ rub, first: q.first, last: spanLast, score, note, clause });
    i = spanLast;
  }

  let best: RateCandidate | null = null;
  for (const c of candidates) if (!best || c.score > best.score) best = c;
  if (best) for (let c = best.first; c <= best.last; c++) claims[c] = Claim.money;
  return { rate: best, perKm, rejected };
}

export function formatRub(rub: number): string {
  return `${String(rub).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} ₽`;
}
