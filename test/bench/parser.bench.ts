// Reply parser throughput on one core: a plain loop in this process over a realistic mix
// (the labelled sample plus our own corpus), repeated. Prints figures for people, then one
// JSON line with the same figures.
import { readFileSync } from 'node:fs';
import { parseReply } from '../../src/logistics/reply-parser/parse-reply.ts';
import { replyCorpus } from '../unit/reply-parser/corpus.ts';

const TARGET_REPLIES_PER_S = 20_000;
const TIMED_REPLIES = 200_000;
const WARMUP_REPLIES = 20_000;

function sampleTexts(): string[] {
  try {
    const raw = readFileSync(new URL('../../../shared/data/carrier-replies.sample.jsonl', import.meta.url), 'utf8');
    return raw
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { text: string }).text);
  } catch {
    return [];
  }
}

const texts = [...sampleTexts(), ...replyCorpus];
const opts = { now: new Date('2026-11-23T09:00:00+03:00'), tz: 'Europe/Moscow' };

let sink = 0;
for (let i = 0; i < WARMUP_REPLIES; i++) sink += parseReply(texts[i % texts.length]!, opts).confidence;

// Throughput: no timer calls inside the loop.
const started = process.hrtime.bigint();
for (let i = 0; i < TIMED_REPLIES; i++) sink += parseReply(texts[i % texts.length]!, opts).confidence;
const elapsedNs = Number(process.hrtime.bigint() - started);
const repliesPerS = Math.round(TIMED_REPLIES / (elapsedNs / 1e9));

// Latency distribution: a separate pass timing each call.
const samples = new Float64Array(TIMED_REPLIES / 4);
for (let i = 0; i < samples.length; i++) {
  const t0 = process.hrtime.bigint();
  sink += parseReply(texts[i % texts.length]!, opts).confidence;
  samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
}
samples.sort();
const pct = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
const p50 = Math.round(pct(0.5) * 10) / 10;
const p99 = Math.round(pct(0.99) * 10) / 10;

console.log(`reply parser: ${texts.length} distinct replies, ${TIMED_REPLIES} parsed in one process`);
console.log(`  throughput  ${repliesPerS.toLocaleString('en-US')} replies/s (target ${TARGET_REPLIES_PER_S.toLocaleString('en-US')})`);
console.log(`  latency     p50 ${p50} µs, p99 ${p99} µs per reply`);
if (sink < 0) console.log(sink);
console.log(
  JSON.stringify({
    bench: 'parser',
    replies_per_s: repliesPerS,
    p50_us: p50,
    p99_us: p99,
    target_replies_per_s: TARGET_REPLIES_PER_S,
  }),
);
