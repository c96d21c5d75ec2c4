// Which clauses say "no". A number or a date in such a clause is the logist's figure being
// turned down ("за 55 не поеду") or a time the driver is busy ("сегодня не могу"), not an
// offer; the intent reads the same cues as a decline.
import type { Analysis, Token } from './normalize.ts';

export interface NegativeCue {
  first: number;
  last: number;
}

export interface Polarity {
  /** 1 for each clause that carries a negative cue. */
  readonly negativeClauses: Uint8Array;
  readonly cues: readonly NegativeCue[];
}

/** "не" before these is a condition, not a refusal: "не меньше 62", "не раньше среды". */
const notNegating = new Set([
  'меньше', 'ниже', 'дешевле', 'раньше', 'позже', 'позднее', 'ранее', 'более', 'больше', 'только', 'вопрос',
  'против', 'проблема', 'сомневайтесь', 'переживайте', 'волнуйтесь', 'менее', 'долго', 'далеко',
]);

/** "нет" next to these is not a refusal: "ндс нет", "нет проблем", "почему нет". */
const notRefusingAfterNet = new Set(['ндс', 'проблем', 'вопросов', 'отсрочки', 'предоплаты']);

const negativeWords = new Set([
  'нет', 'нету', 'неа', 'ни', 'занят', 'занята', 'заняты', 'занято', 'загружен', 'загружена', 'загружены',
  'загрузились', 'загрузился', 'гружусь', 'гружен', 'гружены', 'неактуально', 'неактуальна', 'неинтересно',
  'неинтересен', 'неинтересна', 'отказ', 'отказываюсь', 'отказываемся', 'откажусь', 'откажемся', 'мимо', 'пас',
  'далеко', 'далековато', 'мало', 'маловато', 'дешево', 'дешевая', 'невыгодно', 'нерентабельно', 'неудобно',
  'некогда', 'отбой', 'нереально', 'нельзя',
]);

const busyPlaces: ReadonlyArray<readonly [string, string]> = [
  ['в', 'рейсе'],
  ['на', 'ремонте'],
  ['в', 'ремонте'],
  ['в', 'отпуске'],
];

function isNegativeAt(tokens: readonly Token[], i: number): number {
  const t = tokens[i]!;
  if (t.kind !== 'word') return -1;
  if (t.text === 'не') {
    const next = tokens[i + 1];
    if (next && next.kind === 'word') return notNegating.has(next.text) ? -1 : i + 1;
    // "не-а" and a bare "не" both mean no
    return i;
  }
  if (negativeWords.has(t.text)) {
    if (t.text === 'нет' || t.text === 'нету') {
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (next && next.kind === 'word' && notRefusingAfterNet.has(next.text)) return -1;
      if (prev && prev.kind === 'word' && (prev.text === 'ндс' || prev.text === 'почему' || prev.text === 'отсрочки')) {
        return -1;
      }
    }
    if (t.text === 'далеко' && tokens[i - 1]?.text === 'не') return -1;
    return i;
  }
  for (const [a, b] of busyPlaces) {
    if (t.text === a && tokens[i + 1]?.text === b) return i + 1;
  }
  return -1;
}

export function findPolarity(a: Analysis): Polarity {
  const negativeClauses = new Uint8Array(a.clauseCount);
  const cues: NegativeCue[] = [];
  const { tokens } = a;
  for (let i = 0; i < tokens.length; i++) {
    const last = isNegativeAt(tokens, i);
    if (last < 0) continue;
    cues.push({ first: i, last });
    negativeClauses[tokens[i]!.clause] = 1;
    i = last;
  }
  return { negativeClauses, cues };
}
