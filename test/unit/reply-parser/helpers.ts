// Shared clock and a shorthand for table-driven cases: every case is read at the same
// reference time as the labelled sample (Monday 2026-11-23 09:00 Moscow).
import { parseReply } from '../../../src/logistics/reply-parser/parse-reply.ts';
import type { ParsedReply } from '../../../src/logistics/reply-parser/types.ts';

export const NOW = new Date('2026-11-23T09:00:00+03:00');
export const TZ = 'Europe/Moscow';

export type Expected = Partial<Omit<ParsedReply, 'explanations' | 'confidence'>>;

export function parse(text: string, now: Date = NOW, tz: string = TZ): ParsedReply {
  return parseReply(text, { now, tz });
}

/** Only the fields a case names are compared; `null` in a case asserts the field is empty. */
export function pick(reply: ParsedReply, expected: Expected): Expected {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) out[key] = reply[key as keyof ParsedReply];
  return out as Expected;
}
