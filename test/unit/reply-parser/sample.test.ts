// The labelled sample shared with the scorer (../shared/tools/score-replies.py), compared
// the same way: numbers within 0.5, everything else by equality, only the fields labelled.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsedReplySchema, toContractJson } from '../../../src/logistics/reply-parser/parse-reply.ts';
import { NOW, parse } from './helpers.ts';

interface Labelled {
  id: string;
  text: string;
  expect: Record<string, unknown>;
}

const sampleUrl = new URL('../../../../shared/data/carrier-replies.sample.jsonl', import.meta.url);

function load(): Labelled[] {
  // A missing sample must fail the suite, never skip it.
  const raw = readFileSync(sampleUrl, 'utf8');
  return raw
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labelled);
}

function same(want: unknown, got: unknown): boolean {
  if (typeof want === 'number' && typeof got === 'number') return Math.abs(want - got) < 0.5;
  return want === got;
}

describe('labelled carrier replies sample', () => {
  const labels = load();

  it('has the expected reference set', () => {
    expect(labels.length).toBeGreaterThanOrEqual(45);
    expect(NOW.toISOString()).toBe('2026-11-23T06:00:00.000Z');
  });

  it('scores kind on all but at most one line and ≥ 97% of the other fields', () => {
    let kindMisses = 0;
    let fieldChecks = 0;
    let fieldHits = 0;
    const misses: string[] = [];
    for (const label of labels) {
      const out = parsedReplySchema.parse(toContractJson(parse(label.text), label.id)) as Record<string, unknown>;
      for (const [field, want] of Object.entries(label.expect)) {
        const ok = same(want, out[field]);
        if (field === 'kind') {
          if (!ok) kindMisses++;
        } else {
          fieldChecks++;
          if (ok) fieldHits++;
        }
        if (!ok) misses.push(`${label.id} ${field}: want ${JSON.stringify(want)} got ${JSON.stringify(out[field])} | ${label.text}`);
      }
    }
    expect(kindMisses, misses.join('\n')).toBeLessThanOrEqual(1);
    expect(fieldHits / fieldChecks, misses.join('\n')).toBeGreaterThanOrEqual(0.97);
    // The target is the whole sample; keep it that way.
    expect(misses).toEqual([]);
  });
});
