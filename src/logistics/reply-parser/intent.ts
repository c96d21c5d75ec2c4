// What the reply is: an offer, a decline, an opt-out, a pointer to someone else, a question,
// or nothing we can act on. Opt-outs must never be mistaken for declines: a decline keeps the
// carrier in the broadcast list, an opt-out removes them from it.
import { isWord, startsWithAny, type Analysis, type Token } from './normalize.ts';
import type { Polarity } from './polarity.ts';
import type { ReplyKind } from './types.ts';

export interface IntentFacts {
  hasRate: boolean;
  hasRatePerKm: boolean;
  /** The rate came with a unit or a cue, not as a bare number. */
  rateIsMarked: boolean;
  rateIsCounter: boolean;
  hasPhone: boolean;
  /** A ready date from a clause that does not say no. */
  hasReadyAt: boolean;
  hasVehicle: boolean;
}

export interface Intent {
  kind: ReplyKind;
  confidence: number;
  /** Token span of the words that decided it, if any. */
  cue: { first: number; last: number } | null;
  reason: string;
}

interface Span {
  first: number;
  last: number;
}

const optoutWords = new Set([
  'стоп', 'stop', 'отпишите', 'отпиши', 'отпишись', 'отпишитесь', 'отписаться', 'отписка', 'отписывайте',
  'unsubscribe', 'спам', 'спамите', 'спамить', 'заблокирую', 'заблокировать', 'надоели', 'исключите',
  'удалите', 'удалить', 'удаляйте',
]);
const optoutAfterNe = new Set([
  'присылайте', 'присылать', 'беспокойте', 'беспокоить', 'отправляйте', 'отправлять', 'спамьте', 'слать',
  'шлите', 'рассылайте', 'пишите', 'писать', 'звоните',
]);
const enoughVerbs = new Set(['писать', 'слать', 'спамить', 'присылать', 'звонить', 'отправлять', 'беспокоить']);

const strongRedirect = ['диспетчер', 'логист', 'менеджер', 'руководител', 'начальник', 'обращайтесь', 'свяжитесь', 'директор'];
const weakRedirect = new Set([
  'пишите', 'напишите', 'звоните', 'позвоните', 'звонить', 'писать', 'набирайте', 'наберите', 'номер', 'тел',
  'телефон', 'вотсап', 'ватсап', 'вацап', 'whatsapp', 'telegram', 'телеграм', 'телега', 'тг', 'вайбер', 'viber',
  'связь', 'контакт', 'контакты', 'вопросы', 'решает', 'сотовый',
]);

const questionWords = new Set([
  'какой', 'какая', 'какое', 'какие', 'каков', 'какова', 'каким', 'какую', 'какого', 'какому', 'каких', 'сколько',
  'когда', 'куда', 'откуда', 'где', 'почему', 'зачем', 'кто', 'чей', 'чья', 'ли', 'уточните', 'подскажите',
]);
/** After these a question word is not a question: "когда угодно", "как обычно", "где-то 85". */
const notQuestionAfter = new Set(['угодно', 'обычно', 'всегда', 'договоримся', 'договорились', 'скажете', 'и', 'нибудь', 'либо', 'то']);
const clauseStartQuestions = new Set(['что', 'как', 'нужна', 'нужен', 'нужно', 'нужны', 'есть']);

const positiveWords = new Set([
  'да', 'ага', 'угу', 'yes', 'готов', 'готова', 'готовы', 'беру', 'берем', 'возьму', 'возьмем', 'возьмемся',
  'беремся', 'могу', 'можем', 'смогу', 'сможем', 'поеду', 'поедем', 'едем', 'еду', 'свободен', 'свободна',
  'свободны', 'свободно', 'свободная', 'освобожусь', 'освободимся', 'освобождаюсь', 'давайте', 'давай',
  'интересно', 'актуально', 'согласен', 'согласна', 'согласны', 'подходит', 'устраивает', 'забираю', 'забираем',
  'ставьте', 'ставь', 'бронируйте', 'забронируйте', 'подам', 'подадим', 'подача', 'загружусь', 'загрузимся',
  'загрузиться', 'рядом', 'стою', 'нахожусь', 'буду', 'будем', 'выезжаю', 'приеду', 'подъеду', 'поехали',
  'договорились', 'идет', 'интересует', 'работаем', 'против', 'можно', 'пойдет', 'подойдет',
]);
const vehicleNouns = ['машин', 'авто', 'тягач', 'фур', 'газел', 'реф', 'тент', 'борт', 'трал', 'изотерм', 'самосвал', 'контейнер'];

function findOptout(tokens: readonly Token[], hasPhone: boolean): Span | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    if (optoutWords.has(t.text)) return { first: i, last: i };
    if (t.text === 'не' && tokens[i + 1]?.kind === 'word') {
      const verb = tokens[i + 1]!.text;
      if (optoutAfterNe.has(verb)) {
        // "не пишите, звоните 8916..." hands over a number instead of leaving
        if ((verb === 'пишите' || verb === 'звоните') && hasPhone) continue;
        return { first: i, last: i + 1 };
      }
      if (verb === 'надо' || verb === 'нужно') {
        // "не надо писать", "не надо больше писать", "не нужно мне рассылку"
        for (let j = i + 2; j <= i + 3; j++) {
          const obj = tokens[j]?.text ?? '';
          if (enoughVerbs.has(obj) || obj.startsWith('рассылк')) return { first: i, last: j };
        }
      }
    }
    if (t.text === 'хватит' && enoughVerbs.has(tokens[i + 1]?.text ?? '')) return { first: i, last: i + 1 };
    if ((t.text === 'уберите' || t.text === 'вычеркните') && tokens[i + 1]?.kind === 'word') return { first: i, last: i + 1 };
    if (t.text.startsWith('рассылк')) {
      for (let j = Math.max(0, i - 3); j <= i + 3 && j < tokens.length; j++) {
        const w = tokens[j]!;
        if (w.kind === 'word' && (w.text === 'не' || w.text.startsWith('убер') || w.text.startsWith('удал') || w.text.startsWith('отпис') || w.text.startsWith('исключ'))) {
          return { first: Math.min(i, j), last: Math.max(i, j) };
        }
      }
    }
  }
  return null;
}

function findRedirect(tokens: readonly Token[]): { strong: Span | null; weak: Span | null } {
  let strong: Span | null = null;
  let weak: Span | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'sym' && t.text === '@' && tokens[i + 1]?.kind === 'word' && tokens[i + 1]!.gap === 0) {
      strong ??= { first: i, last: i + 1 };
      continue;
    }
    if (t.kind !== 'word') continue;
    if (startsWithAny(t.text, strongRedirect)) strong ??= { first: i, last: i };
    else if ((t.text === 'к' || t.text === 'через') && ['нему', 'ней', 'него', 'нее'].includes(tokens[i + 1]?.text ?? '')) {
      strong ??= { first: i, last: i + 1 };
    } else if (weakRedirect.has(t.text)) weak ??= { first: i, last: i };
  }
  return { strong, weak };
}

function findQuestion(tokens: readonly Token[]): { span: Span; mark: boolean } | null {
  let byWord: Span | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'sym' && (t.text === '?' || t.text === '¿')) return { span: { first: i, last: i }, mark: true };
    if (byWord || t.kind !== 'word') continue;
    const next = tokens[i + 1];
    const nextText = next && next.kind !== 'num' ? (next.text === '-' ? tokens[i + 2]?.text ?? '' : next.text) : '';
    if (questionWords.has(t.text)) {
      if (notQuestionAfter.has(nextText) || (t.text === 'почему' && nextText === 'нет')) continue;
      byWord = { first: i, last: i };
      continue;
    }
    const clauseStart = i === 0 || tokens[i - 1]!.clause !== t.clause;
    if (clauseStart && clauseStartQuestions.has(t.text) && next && next.kind === 'word') {
      if (t.text === 'как' && notQuestionAfter.has(nextText)) continue;
      if (t.text === 'есть' && !isWord(next, 'ли')) continue;
      if (t.text === 'что' && !['за', 'по', 'с', 'там', 'везем', 'везти', 'грузим'].includes(nextText)) continue;
      byWord = { first: i, last: i + 1 };
      continue;
    }
    // "а оплата какая" — a reply opening with "а" asks about something
    if (i === 0 && t.text === 'а' && next && next.kind === 'word') byWord = { first: 0, last: 1 };
  }
  return byWord ? { span: byWord, mark: false } : null;
}

function findPositive(tokens: readonly Token[], polarity: Polarity): Span | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'sym' && t.text === '+') {
      const next = tokens[i + 1];
      // "+" on its own, not "+ндс" or "+7..."
      if (!next || next.gap > 0 || next.text === '+') return { first: i, last: i };
      continue;
    }
    if (t.kind !== 'word') continue;
    const prevNe = isWord(tokens[i - 1], 'не');
    if (positiveWords.has(t.text) && !prevNe) {
      if (t.text === 'против') continue;
      if (polarity.negativeClauses[t.clause] && t.text === 'да') continue;
      return { first: i, last: i };
    }
    if (t.text === 'против' && prevNe) return { first: i - 1, last: i };
    if (t.text === 'есть' || t.text === 'имеется' || (t.text === 'в' && isWord(tokens[i + 1], 'наличии'))) {
      // "есть машина", "реф есть"
      for (let j = Math.max(0, i - 2); j <= i + 2 && j < tokens.length; j++) {
        const w = tokens[j]!;
        if (j !== i && w.kind === 'word' && w.clause === t.clause && startsWithAny(w.text, vehicleNouns)) {
          return { first: Math.min(i, j), last: Math.max(i, j) };
        }
      }
    }
    if (t.text === 'на' && isWord(tokens[i + 1], 'месте')) return { first: i, last: i + 1 };
    if (t.text === 'нет' && isWord(tokens[i + 1], 'проблем')) return { first: i, last: i + 1 };
    if (t.text === 'без' && isWord(tokens[i + 1], 'проблем')) return { first: i, last: i + 1 };
    if (t.text === 'почему' && isWord(tokens[i + 1], 'нет')) return { first: i, last: i + 1 };
    if (t.text === 'не' && isWord(tokens[i + 1], 'вопрос')) return { first: i, last: i + 1 };
  }
  return null;
}

function hasContent(tokens: readonly Token[]): boolean {
  for (const t of tokens) if (t.kind !== 'sym' || t.text === '+' || t.text === '?') return true;
  return false;
}

function hasWords(tokens: readonly Token[]): boolean {
  for (const t of tokens) if (t.kind !== 'sym') return true;
  return false;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function decideIntent(a: Analysis, polarity: Polarity, facts: IntentFacts): Intent {
  const { tokens } = a;
  const scale = a.truncated ? 0.8 : 1;
  const result = (kind: ReplyKind, confidence: number, cue: Span | null, reason: string): Intent => ({
    kind,
    confidence: round2(Math.min(1, Math.max(0, confidence * scale))),
    cue,
    reason,
  });

  if (!hasContent(tokens)) return result('unclear', tokens.length === 0 ? 0.05 : 0.1, null, 'нет текста, который можно разобрать');

  const question = findQuestion(tokens);
  const optout = findOptout(tokens, facts.hasPhone);
  if (optout) {
    // An opt-out is honoured even when the message goes on ("стоп, а какой вес?"): better to
    // lose a lead than to keep writing to someone who said stop. Mixed messages are flagged
    // as less certain so a logist can look.
    const mixed = question !== null || facts.hasRate || facts.hasRatePerKm;
    return result('optout', mixed ? 0.7 : 0.95, optout, 'просит больше не присылать рассылку');
  }

  const negative = polarity.cues[0] ?? null;

  if (facts.hasRate || facts.hasRatePerKm) {
    let c = facts.rateIsMarked ? 0.92 : 0.8;
    if (question) c -= 0.1;
    if (negative && !facts.rateIsCounter) c -= 0.1;
    const reason = facts.rateIsCounter ? 'встречная ставка' : facts.hasRate ? 'названа ставка' : 'названа ставка за км';
    return result('offer', c, null, reason);
  }

  const redirect = findRedirect(tokens);
  const positive = findPositive(tokens, polarity);
  if (facts.hasPhone && (redirect.strong || redirect.weak)) {
    return result('redirect', 0.9, redirect.strong ?? redirect.weak, 'дан другой контакт');
  }
  if (facts.hasPhone && !positive && !facts.hasReadyAt) return result('redirect', 0.6, null, 'в ответе только номер телефона');

  if (question) {
    const c = !hasWords(tokens) ? 0.5 : question.mark ? 0.85 : 0.65;
    return result('question', c, question.span, 'задан вопрос');
  }

  if (redirect.strong && !positive) return result('redirect', 0.55, redirect.strong, 'отсылает к другому человеку, номера нет');

  if (negative) {
    if (positive && facts.hasReadyAt) return result('offer', 0.6, positive, 'свободен позже, названа дата');
    const c = positive ? 0.6 : 0.88;
    return result('decline', c, negative, 'отказ');
  }

  if (positive) {
    const c = facts.hasReadyAt || facts.hasVehicle ? 0.8 : 0.7;
    return result('offer', c, positive, 'готов взять, ставка не названа');
  }
  if (facts.hasReadyAt || facts.hasVehicle) {
    return result('offer', 0.55, null, facts.hasReadyAt ? 'названа дата готовности' : 'назван тип машины');
  }
  return result('unclear', 0.2, null, 'не удалось понять ответ');
}
