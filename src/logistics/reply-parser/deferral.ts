// Payment deferral in days: "отсрочка 10 б/д" → 10, "по факту выгрузки" → 0. Runs before
// dates and money so "оплата через 5 дней" is neither a ready date nor a rate.
import { Claim, isWord, matchGlued, startsWithAny, type Analysis, type Token } from './normalize.ts';
import { readNumberWords } from './number-words.ts';

export interface DeferralMatch {
  days: number;
  first: number;
  last: number;
  /** How the figure was read, for the logist. */
  note: string;
}

const triggerStems = ['отсрочк', 'отср', 'оплат', 'расчет', 'платим', 'оплачиваем', 'оплачу', 'платеж', 'постоплат', 'оригинал'];
/** Words that tie "по выгрузке" to money rather than to where the truck will be. */
const paymentContextStems = [...triggerStems, 'нал', 'безнал', 'деньги', 'перевод', 'карт'];
const afterFactWords = new Set(['выгрузки', 'разгрузки', 'доставки', 'сдачи', 'получения', 'загрузки']);
const onUnloadWords = new Set(['выгрузке', 'разгрузке', 'выгрузки', 'разгрузки', 'доставке', 'доставки']);
/** Words between the trigger and the figure: "оплата по оригиналам ТТН в течение 10-15 дней". */
const fillerWords = new Set([
  'через', 'в', 'течение', 'до', 'на', 'срок', 'составляет', 'около', 'примерно', 'не', 'более', 'по', 'оригиналам',
  'оригиналу', 'оригиналов', 'сканам', 'скан', 'ттн', 'оттн', 'тн', 'упд', 'документам', 'документов', 'получения',
  'после', 'с', 'момента', 'выгрузки', 'разгрузки', 'банковских', 'рабочих',
]);
const MAX_LOOKAHEAD = 7;

interface DayUnit {
  multiplier: number;
  last: number;
  bankDays: boolean;
}

/** Reads "б/д", "банковских дней", "дн.", "недели"... at token k. */
function readDayUnit(tokens: readonly Token[], k: number): DayUnit | null {
  const t = tokens[k];
  if (!t || t.kind !== 'word' || t.gap === 2) return null;
  for (const parts of [['б', '/', 'д'], ['р', '/', 'д'], ['к', '/', 'д'], ['б', '.', 'д'], ['р', '.', 'д']]) {
    const end = matchGlued(tokens, k, parts);
    if (end >= 0) return { multiplier: 1, last: tokens[end + 1]?.text === '.' && tokens[end + 1]?.gap === 0 ? end + 1 : end, bankDays: true };
  }
  if (t.text === 'бд' || t.text === 'рд') return { multiplier: 1, last: k, bankDays: true };
  if (startsWithAny(t.text, ['банковск', 'банк', 'рабоч', 'раб', 'календарн', 'кален'])) {
    let last = k;
    if (tokens[last + 1]?.text === '.' && tokens[last + 1]?.gap === 0) last++;
    const days = tokens[last + 1];
    if (days && days.kind === 'word' && (days.text.startsWith('дн') || days.text === 'день' || days.text === 'д')) last++;
    else if (!startsWithAny(t.text, ['банковск', 'рабоч', 'календарн'])) return null;
    return { multiplier: 1, last, bankDays: true };
  }
  if (t.text === 'дн' || t.text === 'дней' || t.text === 'дня' || t.text === 'день' || t.text === 'д') {
    return { multiplier: 1, last: t.text === 'дн' && tokens[k + 1]?.text === '.' ? k + 1 : k, bankDays: false };
  }
  if (t.text === 'суток' || t.text === 'сутки') return { multiplier: 1, last: k, bankDays: false };
  if (t.text.startsWith('недел') || t.text === 'нед') return { multiplier: 7, last: k, bankDays: false };
  if (t.text.startsWith('месяц') || t.text === 'мес') return { multiplier: 30, last: k, bankDays: false };
  return null;
}

interface Amount {
  value: number;
  lo: number | null;
  first: number;
  last: number;
}

/** "10", "5-7", "десять". A range is read as its upper end: the later date is the one to plan cash for. */
function readAmount(a: Analysis, k: number): Amount | null {
  const { tokens, claims } = a;
  const t = tokens[k];
  if (!t || claims[k] !== Claim.free) return null;
  let value: number;
  let last: number;
  if (t.kind === 'num') {
    if (t.text.length > 3) return null;
    value = Number(t.text);
    last = k;
  } else {
    const w = readNumberWords(tokens, k);
    if (!w || w.slang || w.thousands) return null;
    value = w.value;
    last = w.last;
  }
  const dash = tokens[last + 1];
  const hi = tokens[last + 2];
  if (dash && dash.text === '-' && dash.gap <= 1 && hi && hi.kind === 'num' && hi.gap <= 1 && hi.text.length <= 3) {
    const hv = Number(hi.text);
    if (hv > value) return { value: hv, lo: value, first: k, last: last + 2 };
  }
  return { value, lo: null, first: k, last };
}

function clauseHasPaymentWord(tokens: readonly Token[], clause: number, around: number): boolean {
  for (let j = around; j >= 0 && tokens[j]!.clause === clause; j--) {
    if (tokens[j]!.kind === 'word' && startsWithAny(tokens[j]!.text, paymentContextStems)) return true;
  }
  for (let j = around + 1; j < tokens.length && tokens[j]!.clause === clause; j++) {
    if (tokens[j]!.kind === 'word' && startsWithAny(tokens[j]!.text, paymentContextStems)) return true;
  }
  return false;
}

function rangeNote(amount: Amount, days: number): string {
  return amount.lo !== null ? `${days} дн. (из диапазона ${amount.lo}–${amount.value} взят максимум)` : `${days} дн.`;
}

/** Zero-day phrases at token i: "по факту [выгрузки]", "предоплата", "без отсрочки", "оплата на выгрузке". */
function readZero(tokens: readonly Token[], i: number): { last: number; note: string } | null {
  const t = tokens[i]!;
  if (t.kind !== 'word') return null;
  if (t.text === 'по' && isWord(tokens[i + 1], 'факту')) {
    const after = tokens[i + 2];
    const last = after && after.kind === 'word' && afterFactWords.has(after.text) ? i + 2 : i + 1;
    return { last, note: '0 дн. (оплата по факту)' };
  }
  if (t.text.startsWith('предоплат')) return { last: i, note: '0 дн. (предоплата)' };
  if (t.text === 'без' && tokens[i + 1]?.text.startsWith('отсрочк')) return { last: i + 1, note: '0 дн. (без отсрочки)' };
  if ((t.text === 'по' || t.text === 'на' || t.text === 'при' || t.text === 'после') && tokens[i + 1]?.kind === 'word') {
    const w = tokens[i + 1]!.text;
    // "после выгрузки 3 дня" counts days from unloading; only a phrase without a figure means zero
    const countsDays = tokens[i + 2]?.kind === 'num' && readDayUnit(tokens, i + 3) !== null;
    if (onUnloadWords.has(w) && !countsDays && clauseHasPaymentWord(tokens, t.clause, i)) {
      return { last: i + 1, note: '0 дн. (оплата на выгрузке)' };
    }
  }
  return null;
}

export function findDeferral(a: Analysis): DeferralMatch | null {
  const { tokens, claims } = a;
  for (let i = 0; i < tokens.length; i++) {
    if (claims[i] !== Claim.free) continue;
    const t = tokens[i]!;
    const zero = readZero(tokens, i);
    if (zero) return { days: 0, first: i, last: zero.last, note: zero.note };

    // "10 б/д", "5-7 банковских дней": the unit alone says it is a deferral
    const amount = readAmount(a, i);
    if (amount) {
      const unit = readDayUnit(tokens, amount.last + 1);
      if (unit && unit.bankDays && amount.value <= 365) {
        const days = amount.value * unit.multiplier;
        for (let c = amount.first; c <= unit.last; c++) claims[c] = Claim.deferral;
        return { days, first: amount.first, last: unit.last, note: rangeNote(amount, days) };
      }
    }

    // "отсрочка 10", "оплата через 5 дней", "отсрочка месяц"
    if (t.kind === 'word' && startsWithAny(t.text, triggerStems)) {
      const isDeferralWord = t.text.startsWith('отср');
      let k = i + 1;
      for (let steps = 0; steps < MAX_LOOKAHEAD; steps++) {
        const cur = tokens[k];
        if (!cur || cur.clause !== t.clause) break;
        const zeroHere = readZero(tokens, k);
        if (zeroHere) return { days: 0, first: i, last: zeroHere.last, note: zeroHere.note };
        if (cur.kind === 'sym' && (cur.text === '-' || cur.text === ':')) {
          k++;
          continue;
        }
        if (cur.kind === 'word' && fillerWords.has(cur.text)) {
          k++;
          continue;
        }
        if (cur.kind === 'word' && cur.text === 'сразу') return { days: 0, first: i, last: k, note: '0 дн. (сразу)' };
        const amt = readAmount(a, k);
        if (amt) {
          const unit = readDayUnit(tokens, amt.last + 1);
          if (unit || (isDeferralWord && amt.value <= 180)) {
            const days = amt.value * (unit?.multiplier ?? 1);
            const last = unit?.last ?? amt.last;
            for (let c = amt.first; c <= last; c++) claims[c] = Claim.deferral;
            return { days, first: i, last, note: rangeNote(amt, days) };
          }
          break;
        }
        if (isDeferralWord) {
          const unit = readDayUnit(tokens, k);
          if (unit && !unit.bankDays) {
            const days = unit.multiplier;
            return { days, first: i, last: unit.last, note: `${days} дн.` };
          }
        }
        break;
      }
    }
  }
  return null;
}
