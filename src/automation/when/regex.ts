// Shared pieces of the recognizers' regular expressions: word boundaries that know Cyrillic
// (\b does not), and a loop over all matches with their spans.

/** Not preceded by a letter or digit. */
export const L = '(?<![\\p{L}\\p{N}])';
/** Not followed by a letter or digit. */
export const R = '(?![\\p{L}\\p{N}])';

export function re(source: string): RegExp {
  return new RegExp(source, 'gu');
}

export function* matches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    yield m;
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

export function span(m: RegExpExecArray): { start: number; end: number } {
  return { start: m.index, end: m.index + m[0].length };
}
