// Whatever arrives from a chat, the parser answers with a valid contract object and never
// throws: arbitrary Unicode, grapheme soup, and strings built from the parser's own
// vocabulary so that the money, date, phone and intent paths all run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsedReplySchema, parseReply, toContractJson } from '../../../src/logistics/reply-parser/parse-reply.ts';
import { NOW, TZ } from './helpers.ts';

const RUNS = 100_000;

const vocabulary = [
  '85', '000', '76', '8', '9', '1', '2', '20', '25', '11', '2026', '89161234567', '+7', '(903)', '555', '-', '.',
  ',', '/', ':', '?', '!', '%', '₽', '+', 'к', 'k', 'К', 'т', 'т.р.', 'тр', 'тыр', 'тыс', 'тысяч', 'штук',
  'косарей', 'руб', 'р', 'р/км', 'км', 'куба', 'м3', 'паллеты', 'тонн', 'машины', 'с', 'без', 'ндс', 'НДС', 'нал',
  'безнал', 'б/н', 'б/д', 'р/с', 'на', 'карту', 'отсрочка', 'оплата', 'по', 'факту', 'выгрузки', 'через', 'два',
  'дня', 'завтра', 'послезавтра', 'сегодня', 'в', 'среду', 'пн', 'чт', 'ноября', '-го', 'числа', 'сто', 'двадцать',
  'пять', 'полтинник', 'сотка', 'за', 'минимум', 'не', 'поеду', 'нет', 'занят', 'стоп', 'отпишите', 'пишите',
  'диспетчер', 'звоните', 'какой', 'вес', 'сколько', 'а', 'готов', 'есть', 'машина', 'тент', 'реф', 'изотерм',
  'борт', 'газель', 'трал', 'ок', '👍', '🚛', 'ё', 'Ё', '\n', ' ', '  ', '\u00a0', '\u200b', 'İ', 'ß', '\ud83d',
  '\udc4d', '\u0301',
];

const vocabularyText = fc
  .array(fc.constantFrom(...vocabulary), { maxLength: 60 })
  .chain((parts) => fc.constant(parts.join('')).chain((joined) =>
    fc.boolean().map((spaced) => (spaced ? parts.join(' ') : joined)),
  ));

// Weights in percent of runs; one run in a hundred is a giant of up to 10,000 characters,
// the size of a pasted document.
const anyText = fc.oneof(
  { weight: 40, arbitrary: vocabularyText },
  { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 14, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 10, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 300 }) },
  { weight: 15, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789 .,-+/()кт'), maxLength: 400 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 2_000, maxLength: 10_000 }) },
);

describe('parseReply on arbitrary input', () => {
  it(
    `never throws and always satisfies the contract (${RUNS} runs)`,
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const parsed = parseReply(text, { now: NOW, tz: TZ });
          const contract = parsedReplySchema.safeParse(toContractJson(parsed, 'p'));
          if (!contract.success) throw new Error(`${JSON.stringify(text)}: ${contract.error.message}`);
          for (const e of parsed.explanations) {
            if (typeof e.field !== 'string' || typeof e.source !== 'string' || typeof e.value !== 'string') {
              throw new Error(`bad explanation for ${JSON.stringify(text)}`);
            }
          }
        }),
        { numRuns: RUNS, seed: 20261123 },
      );
    },
    120_000,
  );

  it('huge strings are handled within the cap', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 9_000, maxLength: 10_000 }), (text) => {
        const started = performance.now();
        const parsed = parseReply(`85к ${text}`, { now: NOW, tz: TZ });
        expect(parsed.rate).toBe(85000);
        expect(performance.now() - started).toBeLessThan(100);
      }),
      { numRuns: 200, seed: 7 },
    );
  }, 60_000);
});
