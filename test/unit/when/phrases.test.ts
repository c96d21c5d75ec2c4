import { describe, expect, it } from 'vitest';
import { formatInZone, readWhen } from '../../../src/automation/when/index.ts';
import { phraseGroups } from './phrases.ts';

describe.each(phraseGroups)('$name', ({ now, timeZone, rows }) => {
  it.each(rows)('$id: $text → $at', ({ text, at, past }) => {
    const reading = readWhen(text, { now: new Date(now), timeZone });
    expect(reading.at === null ? null : formatInZone(reading.at, timeZone)).toBe(at);
    expect(reading.past).toBe(past === true);
    expect(reading.explain).not.toBe('');
  });
});

it('the table has at least 150 phrases, Russian and English', () => {
  const rows = phraseGroups.flatMap((g) => g.rows);
  expect(rows.length).toBeGreaterThanOrEqual(150);
  expect(rows.filter((r) => /[а-я]/i.test(r.text)).length).toBeGreaterThan(80);
  expect(rows.filter((r) => /^[\x20-\x7e]*$/.test(r.text) && /[a-z]/i.test(r.text)).length).toBeGreaterThan(30);
});
