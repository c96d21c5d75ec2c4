// Turns a reply into tokens every extractor reads. Tokens keep their offsets in the original
// text so an explanation can quote the driver's own words ("85К", "с НДС"), while their text
// is normalized (lowercase, ё→е, Latin look-alikes inside Cyrillic words mapped back).

/**
 * Replies longer than this are cut before analysis. Real replies are a line or two; a
 * pasted document or a flood must not cost more than a few microseconds per character.
 */
export const MAX_ANALYZED_CHARS = 2000;

export type TokenKind = 'num' | 'word' | 'sym';

export interface Token {
  readonly kind: TokenKind;
  /** Normalized text: digits as written, words lowercased, a symbol as one code point. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Whitespace before the token: 0 none (glued), 1 spaces, 2 a line break. */
  readonly gap: 0 | 1 | 2;
  /** Index of the clause (split at , ; ! ? line breaks, sentence dots, "но"). */
  readonly clause: number;
}

/** Which extractor took a token, so that "25.11" or a phone number never becomes a rate. */
export const Claim = { free: 0, phone: 1, deferral: 2, date: 3, time: 4, money: 5, perKm: 6 } as const;

export interface Analysis {
  /** The analyzed part of the original text (offsets of tokens point into it). */
  readonly source: string;
  readonly tokens: readonly Token[];
  readonly clauseCount: number;
  readonly truncated: boolean;
  readonly originalLength: number;
  /** One entry per token, a Claim value. Extractors run in a fixed order and fill it. */
  readonly claims: Uint8Array;
}

const CLASS_SPACE = 0;
const CLASS_NEWLINE = 1;
const CLASS_DIGIT = 2;
const CLASS_LETTER = 3;
const CLASS_OTHER = 4;
const CLASS_MARK = 5;

const letterRe = /\p{L}/u;
const markRe = /\p{M}/u;

function classify(code: number, ch: string): number {
  if (code >= 48 && code <= 57) return CLASS_DIGIT;
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) return CLASS_LETTER;
  if (code >= 0x400 && code <= 0x4ff) return CLASS_LETTER;
  if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029 || code === 0x85) return CLASS_NEWLINE;
  if (code <= 32 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200d)) return CLASS_SPACE;
  if (code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff || code === 0x7f) return CLASS_SPACE;
  if (code < 0xc0) return CLASS_OTHER;
  if (letterRe.test(ch)) return CLASS_LETTER;
  if (markRe.test(ch)) return CLASS_MARK;
  return CLASS_OTHER;
}

function lowerChar(code: number, ch: string): string {
  if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
  if (code >= 0x410 && code <= 0x42f) return String.fromCharCode(code + 32);
  if (code === 0x401 || code === 0x451) return 'е';
  if (code < 0x80 || (code >= 0x430 && code <= 0x44f)) return ch;
  const lower = ch.toLowerCase();
  return lower === 'ё' ? 'е' : lower;
}

// Drivers type on whatever keyboard is at hand: "c НДС" with a Latin c, "8OOOO" aside.
const latinToCyrillic: Record<string, string> = {
  a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в',
};
const hasLatin = /[a-z]/;
const hasCyrillic = /[а-я]/;

function fixMixedScript(word: string): string {
  if (!hasLatin.test(word) || !hasCyrillic.test(word)) return word;
  let out = '';
  for (const ch of word) out += latinToCyrillic[ch] ?? ch;
  return out;
}

const DASHES = new Set(['–', '—', '−', '‒']);
const CLAUSE_SYMBOLS = new Set([',', ';', '!', '?', '…', '¿', '¡']);

function normalizeSymbol(ch: string): string {
  if (DASHES.has(ch)) return '-';
  if (ch === '\\') return '/';
  if (ch === '，') return ',';
  if (ch === '？') return '?';
  return ch;
}

/** Cut at the cap without splitting a surrogate pair. */
function cut(text: string): string {
  if (text.length <= MAX_ANALYZED_CHARS) return text;
  let end = MAX_ANALYZED_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

export function analyze(text: string): Analysis {
  const source = cut(text);
  const raw: Array<{ kind: TokenKind; text: string; start: number; end: number; gap: 0 | 1 | 2 }> = [];
  let gap: 0 | 1 | 2 = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    let code = source.charCodeAt(i);
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const low = source.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = ((code - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const ch = width === 1 ? source[i]! : source.slice(i, i + 2);
    const cls = classify(code, ch);
    if (cls === CLASS_SPACE) {
      if (gap === 0) gap = 1;
      i += width;
      continue;
    }
    if (cls === CLASS_NEWLINE) {
      gap = 2;
      i += width;
      continue;
    }
    if (cls === CLASS_DIGIT) {
      const start = i;
      while (i < n) {
        const c = source.charCodeAt(i);
        if (c < 48 || c > 57) break;
        i++;
      }
      raw.push({ kind: 'num', text: source.slice(start, i), start, end: i, gap });
      gap = 0;
      continue;
    }
    if (cls === CLASS_LETTER) {
      const start = i;
      let word = '';
      while (i < n) {
        let c = source.charCodeAt(i);
        let w = 1;
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
          const low = source.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            c = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
            w = 2;
          }
        }
        const s = w === 1 ? source[i]! : source.slice(i, i + 2);
        const k = classify(c, s);
        if (k !== CLASS_LETTER && k !== CLASS_MARK) break;
        // Combining marks are dropped: a stress accent ("за́втра") or a decomposed "ё" (е + ̈)
        // must not hide the word.
        if (k === CLASS_LETTER) word += lowerChar(c, s);
        i += w;
      }
      raw.push({ kind: 'word', text: fixMixedScript(word), start, end: i, gap });
      gap = 0;
      continue;
    }
    raw.push({ kind: 'sym', text: normalizeSymbol(ch), start: i, end: i + width, gap });
    gap = 0;
    i += width;
  }
  // A lone Latin "c" before НДС is the preposition "с" typed on the wrong layout.
  for (const t of raw) if (t.kind === 'word' && t.text === 'c') t.text = 'с';

  const tokens: Token[] = [];
  let clause = 0;
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k]!;
    if (k > 0 && (t.gap === 2 || (t.kind === 'word' && t.text === 'но'))) {
      const prev = tokens[tokens.length - 1];
      // Avoid empty clauses: a separator followed by a line break is one boundary.
      if (prev && !(prev.kind === 'sym' && isClauseSymbol(raw, k - 1))) clause++;
    }
    tokens.push({ ...t, clause });
    if (t.kind === 'sym' && isClauseSymbol(raw, k)) clause++;
  }
  const clauseCount = tokens.length === 0 ? 0 : tokens[tokens.length - 1]!.clause + 1;
  return {
    source,
    tokens,
    clauseCount,
    truncated: source.length < text.length,
    originalLength: text.length,
    claims: new Uint8Array(tokens.length),
  };
}

function isClauseSymbol(raw: ReadonlyArray<{ kind: TokenKind; text: string; gap: number }>, k: number): boolean {
  const t = raw[k]!;
  if (CLAUSE_SYMBOLS.has(t.text)) return true;
  if (t.text !== '.') return false;
  // A dot ends a sentence unless it closes an abbreviation ("т.р.", "тыс.", "руб.") or sits
  // inside a number or date ("1.5", "25.11").
  const next = raw[k + 1];
  if (next && next.gap === 0) return false;
  const prev = raw[k - 1];
  if (!prev) return true;
  if (prev.kind === 'word' && prev.text.length <= 4) return false;
  return true;
}

/** The analyzed original text from token `from` to token `to`, inclusive. */
export function sourceOf(a: Analysis, from: number, to: number): string {
  const first = a.tokens[from];
  const last = a.tokens[to];
  if (!first || !last) return '';
  return a.source.slice(first.start, last.end);
}

export function isWord(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text === text;
}

export function isSym(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'sym' && t.text === text;
}

export function wordIn(t: Token | undefined, set: ReadonlySet<string>): boolean {
  return t !== undefined && t.kind === 'word' && set.has(t.text);
}

export function startsWithAny(word: string, stems: readonly string[]): boolean {
  for (const s of stems) if (word.startsWith(s)) return true;
  return false;
}

/**
 * Matches glued abbreviations such as "б/н", "р/с", "т.р." at token i: `parts` alternate
 * words and symbols with no whitespace between them. Returns the last token index or -1.
 */
export function matchGlued(tokens: readonly Token[], i: number, parts: readonly string[]): number {
  for (let k = 0; k < parts.length; k++) {
    const t = tokens[i + k];
    if (!t || t.text !== parts[k]) return -1;
    if (k > 0 && t.gap !== 0) return -1;
  }
  return i + parts.length - 1;
}
