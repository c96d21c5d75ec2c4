// VAT and the form of payment. Kept together because they interlock: a rate "с НДС" is paid
// by bank transfer to the carrier's account unless the driver says otherwise.
import { isSym, isWord, matchGlued, startsWithAny, type Analysis, type Token } from './normalize.ts';
import type { PaymentKind, VatKind } from './types.ts';

export interface Mention<T> {
  value: T;
  first: number;
  last: number;
}

const withBefore = new Set(['с', 'со', 'вкл', 'включая', 'включено', 'включен', 'учетом', '+', 'плюс']);
const vatWords = new Set(['ндс', 'nds', 'vat']);
const payingVerbs = ['плат', 'работ', 'облага', 'включ'];

function vatAt(tokens: readonly Token[], i: number): Mention<VatKind> | null {
  const t = tokens[i]!;
  if (t.kind !== 'word') return null;
  if (t.text === 'безндс') return { value: 'without', first: i, last: i };
  if (t.text === 'усн' || t.text.startsWith('упрощен') || t.text === 'упрощенка') return { value: 'without', first: i, last: i };
  if (t.text === 'осно') return { value: 'with', first: i, last: i };
  if (!vatWords.has(t.text)) return null;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (isWord(prev, 'без')) return { value: 'without', first: i - 1, last: i };
  if (isWord(next, 'нет') || isWord(prev, 'нет')) {
    return isWord(prev, 'нет') ? { value: 'without', first: i - 1, last: i } : { value: 'without', first: i, last: i + 1 };
  }
  // "с НДС не работаем", "НДС не платим"
  if (isWord(next, 'не') && startsWithAny(tokens[i + 2]?.text ?? '', payingVerbs)) {
    return { value: 'without', first: i, last: i + 2 };
  }
  // "не плательщики НДС", "не работаем с НДС", "неплательщик ндс"
  for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
    const w = tokens[j]!;
    if (w.kind !== 'word') continue;
    if (w.text.startsWith('неплательщик')) return { value: 'without', first: j, last: i };
    if (w.text === 'не' && startsWithAny(tokens[j + 1]?.text ?? '', payingVerbs)) {
      return { value: 'without', first: j, last: i };
    }
  }
  if (prev && (withBefore.has(prev.text) || (prev.kind === 'sym' && prev.text === '+'))) {
    return { value: 'with', first: i - 1, last: i };
  }
  // "в т.ч. НДС"
  if (isSym(prev, '.') && tokens[i - 2]?.text === 'ч') return { value: 'with', first: Math.max(0, i - 4), last: i };
  return { value: 'with', first: i, last: i };
}

export function findVat(a: Analysis): Mention<VatKind>[] {
  const out: Mention<VatKind>[] = [];
  for (let i = 0; i < a.tokens.length; i++) {
    const m = vatAt(a.tokens, i);
    if (m) {
      out.push(m);
      i = Math.max(i, m.last);
    }
  }
  return out;
}

const cashWords = new Set([
  'нал', 'нала', 'налом', 'наличные', 'наличными', 'наличных', 'наличка', 'наличкой', 'наличку', 'налик', 'наликом',
  'наличный', 'наличным', 'кэш', 'кеш', 'кэшем', 'кешем', 'cash', 'кэша', 'кеша',
]);
const bankWords = new Set([
  'безнал', 'безнала', 'безналом', 'безналу', 'безналичка', 'безналичкой', 'безналичный', 'безналичные',
  'безналичными', 'безналичным', 'безналичная', 'безналичной', 'безналичному', 'бн', 'перечисление',
  'перечислением', 'безналичного',
]);
const cardWords = new Set([
  'карта', 'карту', 'картой', 'карты', 'карте', 'карточку', 'карточка', 'карточкой', 'сбер', 'сбербанк', 'сберу',
  'сбп', 'тинькофф', 'тинек', 'тиньков', 'перевод', 'переводом', 'переводу',
]);
/** "по счету" is a bank transfer; "за счет заказчика" is not. */
const accountLeads = new Set(['по', 'на', 'через', 'выставлю', 'выставим', 'выставляем', 'расчетный']);

function paymentAt(tokens: readonly Token[], i: number): Mention<PaymentKind> | null {
  const t = tokens[i]!;
  if (t.kind !== 'word') return null;
  if (cashWords.has(t.text)) return { value: 'cash', first: i, last: i };
  if (bankWords.has(t.text)) return { value: 'bank', first: i, last: i };
  if (cardWords.has(t.text)) {
    // "перевод на карту" reads as one phrase
    if ((t.text === 'перевод' || t.text === 'переводом') && isWord(tokens[i + 1], 'на') && cardWords.has(tokens[i + 2]?.text ?? '')) {
      return { value: 'card', first: i, last: i + 2 };
    }
    const first = isWord(tokens[i - 1], 'на') ? i - 1 : i;
    return { value: 'card', first, last: i };
  }
  for (const parts of [['б', '/', 'н'], ['б', '.', 'н'], ['р', '/', 'с'], ['р', '/', 'сч'], ['р', '.', 'с'], ['б', '-', 'н']]) {
    const end = matchGlued(tokens, i, parts);
    if (end >= 0) {
      const first = isWord(tokens[i - 1], 'на') ? i - 1 : i;
      return { value: 'bank', first, last: end };
    }
  }
  if (startsWithAny(t.text, ['счет']) && t.text.length <= 5 && accountLeads.has(tokens[i - 1]?.text ?? '')) {
    return { value: 'bank', first: i - 1, last: i };
  }
  if (t.text === 'расчетный' || t.text === 'расчетного') return { value: 'bank', first: i, last: i };
  if (t.text === 'на' && isWord(tokens[i + 1], 'руки')) return { value: 'cash', first: i, last: i + 1 };
  return null;
}

export function findPayment(a: Analysis): Mention<PaymentKind>[] {
  const out: Mention<PaymentKind>[] = [];
  for (let i = 0; i < a.tokens.length; i++) {
    const m = paymentAt(a.tokens, i);
    if (m) {
      out.push(m);
      i = Math.max(i, m.last);
    }
  }
  return out;
}

/**
 * With several mentions ("85 с НДС / 75 без"), the one nearest the chosen rate describes it;
 * a mention after the rate wins a tie, as drivers write the figure first.
 */
export function pickNearest<T>(mentions: readonly Mention<T>[], anchor: number | null): Mention<T> | null {
  if (mentions.length === 0) return null;
  if (anchor === null) return mentions[0]!;
  let best: Mention<T> | null = null;
  let bestDistance = Infinity;
  for (const m of mentions) {
    const d = m.first >= anchor ? m.first - anchor : anchor - m.last + 0.5;
    if (d < bestDistance) {
      best = m;
      bestDistance = d;
    }
  }
  return best;
}
