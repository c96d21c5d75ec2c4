// Date reader throughput on one core: readWhen over the phrase table of the unit tests (and
// the shared labelled sample when present), in a plain loop. A chat needs a few thousand a
// second at most; the target is 5,000 phrases/s. Prints figures for people, then one JSON line.
import { readFileSync } from 'node:fs';
import { readWhen } from '../../src/automation/when/index.ts';
import { phraseGroups } from '../unit/when/phrases.ts';

const TARGET_PHRASES_PER_S = 5_000;
const TIMED = 100_000;
const WARMUP = 10_000;

function sampleTexts(): string[] {
  try {
    const raw = readFileSync(new URL('../../../shared/data/when-phrases.sample.jsonl', import.meta.url), 'utf8');
    return raw
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { text: string }).text);
  } catch {
    return [];
  }
}

const texts = [...phraseGroups.flatMap((g) => g.rows.map((r) => r.text)), ...sampleTexts()];
const opts = { now: new Date('2026-04-29T11:20:00+03:00'), timeZone: 'Europe/Moscow' };

let sink = 0;
const read = (i: number): void => {
  sink += readWhen(texts[i % texts.length]!, opts).rest.length;
};
for (let i = 0; i < WARMUP; i++) read(i);

const started = process.hrtime.bigint();
for (let i = 0; i < TIMED; i++) read(i);
const elapsedNs = Number(process.hrtime.bigint() - started);
const phrasesPerS = Math.round(TIMED / (elapsedNs / 1e9));

const samples = new Float64Array(TIMED / 4);
for (let i = 0; i < samples.length; i++) {
  const t0 = process.hrtime.bigint();
  read(i);
  samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
}
samples.sort();
const pct = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
const p50 = Math.round(pct(0.5) * 10) / 10;
const p99 = Math.round(pct(0.99) * 10) / 10;

console.log(`date reader: ${texts.length} distinct phrases, ${TIMED} read in one process`);
console.log(`  throughput  ${phrasesPerS.toLocaleString('en-US')} phrases/s (target ${TARGET_PHRASES_PER_S.toLocaleString('en-US')})`);
console.log(`  latency     p50 ${p50} µs, p99 ${p99} µs per phrase`);
if (sink < 0) console.log(sink);
console.log(JSON.stringify({ bench: 'when', phrases_per_s: phrasesPerS, p50_us: p50, p99_us: p99, target_phrases_per_s: TARGET_PHRASES_PER_S }));
