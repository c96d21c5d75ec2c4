// Inbound webhook throughput, the whole path: POST /webhooks/telegram → secret check →
// insert-once → route → outbox reply sent through the deliverer, on the real Postgres (a fresh
// test database). Telegram is played by a second process (inbound-driver.ts): the Bot API
// emulator receiving the replies and a closed-loop load generator posting the webhooks with a
// fixed number of requests in flight. This process runs only the bot, served by
// @hono/node-server on 127.0.0.1. The same load then goes to a bare grammY + Hono echo bot
// with no database (the baseline), in this process too. Platform send limits are lifted (in
// the deliverer and the emulator) so the figures measure our path, not Telegram's 30 msg/s.
// updates/s counts handled updates (the reply sent), over the time from the first post to the
// last reply; latency is the webhook's answer, saturated (closed loop) and at half the
// saturated rate (open loop, what a bot with room to spare answers). Prints figures, then one
// JSON line.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Api, Bot, webhookCallback } from 'grammy';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/prepared.ts';
import { createTelegramBot } from '../../bots/telegram/create-telegram-bot.ts';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createHttpMetrics } from '../../src/http/metrics.ts';
import { createInProcessJobs } from '../../src/jobs/in-process-driver.ts';
import { createDeliverer } from '../../src/messaging/deliverer.ts';
import { RateLimiter } from '../../src/messaging/rate-limiter.ts';
import { createTestPostgres } from '../support/test-db.ts';
import { intFlag, type LoadResult, round2, serveFetch } from './bench-support.ts';
import type { DriverReply, DriverRequest } from './inbound-driver.ts';

const TOKEN = '888001:BENCH-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const BASELINE_TOKEN = '888002:BENCH-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const SECRET = 'bench-webhook-secret';
const WARMUP = intFlag('warmup', 300);
const UPDATES = intFlag('updates', 3000);
const CONCURRENCY = intFlag('concurrency', 32);
const TARGETS = { updates_per_s: 1000, ratio: 0.4, p99_ms: 50 };
const silent = pino({ level: 'silent' });

let nextUpdateId = 1_000_000;
let nextUserId = 20_000_000;
const texts = ['Нужен трактор МТЗ-82', 'Сколько стоит доставка в Казань?', 'Добрый день, есть ли в наличии паллеты?', 'Когда будет машина?', 'Hello, I need a truck'];

/** Customer text messages, each from a user not seen before (a private chat of its own). */
function updates(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = nextUserId++;
    const text = texts[i % texts.length]!;
    out.push(
      JSON.stringify({
        update_id: nextUpdateId++,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id, type: 'private', first_name: 'Клиент' },
          from: { id, is_bot: false, first_name: 'Клиент', language_code: text.startsWith('Hello') ? 'en' : 'ru' },
          text,
        },
      }),
    );
  }
  return out;
}

// ---- the driver process (Telegram) ----------------------------------------------------------
const driver = fork(fileURLToPath(new URL('./inbound-driver.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, BENCH_TOKENS: JSON.stringify([TOKEN, BASELINE_TOKEN]) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let waiting: ((m: DriverReply) => void) | null = null;
driver.on('message', (m: DriverReply) => waiting?.(m));
const nextReply = () => new Promise<DriverReply>((resolve) => (waiting = resolve));
const ready = await nextReply();
if (ready.op !== 'ready') throw new Error('bench driver did not start');
const { apiRoot } = ready;

interface Run {
  load: LoadResult;
  handledPerSecond: number;
  replies: number;
}
async function run(url: string, token: string, n: number, perSecond?: number): Promise<Run> {
  const req: DriverRequest = {
    op: 'load',
    url,
    bodies: updates(n),
    concurrency: CONCURRENCY,
    ...(perSecond ? { perSecond } : {}),
    headers: { 'x-telegram-bot-api-secret-token': SECRET },
    token,
    expectReplies: n,
  };
  const answer = nextReply();
  driver.send(req);
  const m = await answer;
  if (m.op !== 'loaded') throw new Error('unexpected driver answer');
  return { load: m.load, handledPerSecond: Math.round(m.replies / (m.repliedMs / 1000)), replies: m.replies };
}

/** Warm-up, then saturated (closed loop), then open loop at half the saturated rate. */
async function phases(url: string, token: string) {
  await run(url, token, WARMUP);
  const saturated = await cpuOf(() => run(url, token, UPDATES));
  const rate = saturated.r.handledPerSecond;
  const half = await cpuOf(() => run(url, token, Math.min(UPDATES, Math.max(200, rate * 5)), Math.max(1, Math.round(rate / 2))));
  return { saturated, half };
}

const t = await createTestPostgres('bench_inbound');
const cleanups: (() => Promise<void>)[] = [];
let chatcrm: Run;
let baseline: Run;
/** Open loop at half the saturated rate: the ack latency of a bot with room to spare. */
let chatcrmHalf: Run;
let chatcrmHealth = { unprocessed: -1, failed: -1 };
let baselineHalf: Run;
const cpu = { chatcrm: 0, baseline: 0, chatcrmHalf: 0, baselineHalf: 0 };
const cpuOf = async (f: () => Promise<Run>) => {
  const c0 = process.cpuUsage();
  const r = await f();
  const c = process.cpuUsage(c0);
  return { r, cpuMsPerUpdate: (c.user + c.system) / 1000 / r.load.requests };
};
try {
  // ---- chatcrm: the real app ------------------------------------------------------------
  const sender = createTelegramSender({ token: TOKEN, apiRoot });
  sender.limiter = new RateLimiter({
    perAccount: { max: 1_000_000, windowMs: 1000 },
    perChatGapMs: 0,
    perGroup: { max: 1_000_000, windowMs: 1000 },
    isGroup: () => false,
  });
  const deliverer = createDeliverer({ db: t.db, sender, logger: silent, pollMs: 50 });
  await deliverer.start();
  cleanups.push(() => deliverer.stop());
  const botInfo = await new Api(TOKEN, { apiRoot }).getMe();
  const bot = createTelegramBot({ db: t.db, token: TOKEN, apiRoot, deliverer, logger: silent, mode: 'webhook', botInfo });
  const app = createHttpApp({
    dbHandle: t,
    jobs: createInProcessJobs({ logger: silent }),
    config: { ADMIN_TOKEN: undefined },
    logger: silent,
    metrics: createHttpMetrics(),
    webhooks: { telegram: { bot, secretToken: SECRET } },
  });
  const served = await serveFetch(app.fetch);
  cleanups.push(served.close);

  // ---- baseline: grammY + Hono echo bot, no database -------------------------------------
  const echo = new Bot(BASELINE_TOKEN, { client: { apiRoot }, botInfo: await new Api(BASELINE_TOKEN, { apiRoot }).getMe() });
  echo.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  const echoApp = new Hono();
  const echoHandle = webhookCallback(echo, 'hono', { secretToken: SECRET });
  echoApp.post('/webhooks/telegram', (c) => echoHandle(c));
  const echoServed = await serveFetch(echoApp.fetch);
  cleanups.push(echoServed.close);

  const hook = (base: string) => `${base}/webhooks/telegram`;
  console.log(`inbound webhook: ${UPDATES.toLocaleString('en-US')} distinct customer updates after ${WARMUP} warm-up, ${CONCURRENCY} in flight`);
  console.log('  Telegram (emulator + load generator) in a second process; this process runs only the bot');
  console.log('  Telegram send limits LIFTED for this bench (deliverer and emulator), so the reply path is not paced at 30 msg/s');
  console.log(`  chatcrm: real Postgres (${t.url?.replace(/^.*\//, '')}), reply via outbox + deliverer; baseline: grammY + Hono echo, no database`);

  const a = await phases(hook(served.url), TOKEN);
  [chatcrm, chatcrmHalf, cpu.chatcrm, cpu.chatcrmHalf] = [a.saturated.r, a.half.r, a.saturated.cpuMsPerUpdate, a.half.cpuMsPerUpdate];
  chatcrmHealth = await handledWell(t.db);
  const b = await phases(hook(echoServed.url), BASELINE_TOKEN);
  [baseline, baselineHalf, cpu.baseline, cpu.baselineHalf] = [b.saturated.r, b.half.r, b.saturated.cpuMsPerUpdate, b.half.cpuMsPerUpdate];
} finally {
  for (const c of cleanups.reverse()) await c().catch((err: unknown) => console.error('cleanup failed', err));
  driver.send({ op: 'stop' } satisfies DriverRequest);
  await t.drop();
}

/**
 * Handled means handled well: every update processed and no run failed (a failed run gets a
 * reply too, the apology, so counting replies alone would not tell).
 */
async function handledWell(db: Db): Promise<{ unprocessed: number; failed: number }> {
  const counts = async () =>
    rowsOf<{ unprocessed: number; failed: number }>(
      await db.execute(sql`select count(*) filter (where processed_at is null)::int as unprocessed, count(*) filter (where attempts > 0)::int as failed from inbound_messages`),
    )[0]!;
  // The reply goes out before its update is marked processed: give the last marks a moment.
  for (let i = 0; i < 100; i++) {
    const c = await counts();
    if (c.unprocessed === 0) return c;
    await new Promise((r) => setTimeout(r, 50));
  }
  return counts();
}

function describe(label: string, r: Run, cpuMs: number): void {
  const other = Object.entries(r.load.statuses).filter(([s]) => s !== '200');
  console.log(
    `  ${label.padEnd(9)} ${r.handledPerSecond.toLocaleString('en-US').padStart(6)} updates/s handled   ack p50 ${r.load.p50Ms} ms, p99 ${r.load.p99Ms} ms, max ${r.load.maxMs} ms   ` +
      `replies ${r.replies}/${r.load.requests}   ${round2(cpuMs)} ms CPU per update` +
      (other.length ? `   non-200: ${other.map(([s, n]) => `${s}×${n}`).join(', ')}` : ''),
  );
}

const ratio = round2(chatcrm.handledPerSecond / baseline.handledPerSecond);
console.log(`  saturated (closed loop, ${CONCURRENCY} in flight):`);
describe('chatcrm', chatcrm, cpu.chatcrm);
describe('baseline', baseline, cpu.baseline);
const half = (label: string, r: Run, rate: number, cpuMs: number) =>
  console.log(
    `  ${label.padEnd(9)} at ${rate} updates/s offered: ack p50 ${r.load.p50Ms} ms, p99 ${r.load.p99Ms} ms, max ${r.load.maxMs} ms   replies ${r.replies}/${r.load.requests}   ${round2(cpuMs)} ms CPU per update`,
  );
console.log('  half load (open loop at half the saturated rate):');
half('chatcrm', chatcrmHalf, Math.round(chatcrm.handledPerSecond / 2), cpu.chatcrmHalf);
half('baseline', baselineHalf, Math.round(baseline.handledPerSecond / 2), cpu.baselineHalf);
console.log(`  ratio     ${ratio} of the bare echo bot`);
console.log(`  chatcrm   updates left unprocessed: ${chatcrmHealth.unprocessed}, runs failed: ${chatcrmHealth.failed}`);
if (chatcrmHealth.unprocessed !== 0 || chatcrmHealth.failed !== 0) console.log('  INVALID   some updates were not handled well: the figures above do not count');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log(
  `  targets   ≥ ${TARGETS.updates_per_s} updates/s ${verdict(chatcrm.handledPerSecond >= TARGETS.updates_per_s)}, ` +
    `ratio ≥ ${TARGETS.ratio} ${verdict(ratio >= TARGETS.ratio)}, p99 ≤ ${TARGETS.p99_ms} ms ${verdict(chatcrm.load.p99Ms <= TARGETS.p99_ms)}`,
);
console.log(
  JSON.stringify({
    bench: 'inbound',
    updates_per_s: chatcrm.handledPerSecond,
    p50_ms: chatcrm.load.p50Ms,
    p99_ms: chatcrm.load.p99Ms,
    cpu_ms_per_update: round2(cpu.chatcrm),
    half_load_per_s: Math.round(chatcrm.handledPerSecond / 2),
    half_load_p50_ms: chatcrmHalf.load.p50Ms,
    half_load_p99_ms: chatcrmHalf.load.p99Ms,
    half_load_cpu_ms_per_update: round2(cpu.chatcrmHalf),
    baseline_updates_per_s: baseline.handledPerSecond,
    baseline_p99_ms: baseline.load.p99Ms,
    baseline_cpu_ms_per_update: round2(cpu.baseline),
    baseline_half_load_p99_ms: baselineHalf.load.p99Ms,
    ratio,
    unprocessed: chatcrmHealth.unprocessed,
    failed_runs: chatcrmHealth.failed,
    targets: TARGETS,
  }),
);
