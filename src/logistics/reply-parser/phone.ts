// Phone numbers in the ways drivers write them (89161234567, 8 916 123-45-67,
// +7 (903) 555-12-34, 7916...), to E.164. Runs first so a number never becomes a rate.
import { Claim, type Analysis } from './normalize.ts';

export interface PhoneMatch {
  e164: string;
  first: number;
  last: number;
}

const SEPARATORS = new Set(['-', '(', ')', '.']);
// Drivers from neighbouring countries are common; without a "+" only these prefixes are
// trusted for a 12-digit number, anything else would be a guess.
const CIS_PREFIXES = ['375', '380', '998', '996', '992', '993', '994', '995', '374', '373'];
const MAX_DIGITS = 15;

function toE164(digits: string, plus: boolean): string | null {
  const len = digits.length;
  if (plus) {
    if (digits.startsWith('7')) return len === 11 ? `+${digits}` : null;
    if (digits.startsWith('8') && len === 11) return `+7${digits.slice(1)}`;
    return len >= 11 && len <= 13 ? `+${digits}` : null;
  }
  if (len === 11 && (digits[0] === '8' || digits[0] === '7') && '34789'.includes(digits[1]!)) {
    return `+7${digits.slice(1)}`;
  }
  if (len === 10 && digits[0] === '9') return `+7${digits}`;
  if (len === 12) for (const p of CIS_PREFIXES) if (digits.startsWith(p)) return `+${digits}`;
  return null;
}

export function findPhones(a: Analysis): PhoneMatch[] {
  const { tokens, claims } = a;
  const found: PhoneMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'num' || claims[i] !== Claim.free) continue;
    const before = tokens[i - 1];
    // "м3", "№5" or a number inside a word is not the start of a phone.
    if (before && t.gap === 0 && (before.kind === 'word' || before.kind === 'num')) continue;
    let first = i;
    let plus = false;
    if (before && t.gap === 0 && before.text === '+') {
      plus = true;
      first = i - 1;
    } else if (before && t.gap === 0 && before.text === '(') {
      first = i - 1;
      const plusTok = tokens[i - 2];
      if (plusTok && before.gap <= 1 && plusTok.text === '+') {
        plus = true;
        first = i - 2;
      }
    }
    let digits = '';
    let k = i;
    let bestLast = -1;
    let bestE164 = '';
    for (;;) {
      const g = tokens[k]!;
      digits += g.text;
      if (digits.length > MAX_DIGITS) break;
      const e164 = toE164(digits, plus);
      if (e164) {
        bestLast = k;
        bestE164 = e164;
      }
      let j = k + 1;
      let seps = 0;
      while (seps < 2) {
        const s = tokens[j];
        if (!s || s.kind !== 'sym' || s.gap === 2 || !SEPARATORS.has(s.text)) break;
        j++;
        seps++;
      }
      const nextGroup = tokens[j];
      if (!nextGroup || nextGroup.kind !== 'num' || nextGroup.gap === 2 || claims[j] !== Claim.free) break;
      if (seps === 0 && nextGroup.gap === 0) break;
      k = j;
    }
    if (bestLast < 0) continue;
    found.push({ e164: bestE164, first, last: bestLast });
    for (let c = first; c <= bestLast; c++) claims[c] = Claim.phone;
    i = bestLast;
  }
  return found;
}
