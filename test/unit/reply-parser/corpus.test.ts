import { describe, expect, it } from 'vitest';
import { parsedReplySchema, toContractJson } from '../../../src/logistics/reply-parser/parse-reply.ts';
import { replyCorpus } from './corpus.ts';
import { parse } from './helpers.ts';

describe('benchmark corpus', () => {
  it.each(replyCorpus.map((t) => [t]))('%j parses to a valid contract with explanations', (text) => {
    const r = parse(text);
    expect(parsedReplySchema.parse(toContractJson(r, 'c'))).toBeTruthy();
    expect(r.explanations.some((e) => e.field === 'kind')).toBe(true);
    if (r.rate !== null) expect(r.explanations.some((e) => e.field === 'rate')).toBe(true);
  });
});
