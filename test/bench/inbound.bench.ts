// Inbound webhook throughput, the whole path: POST /webhooks/telegram → secret check →
// insert-once → route → outbox reply sent through the deliverer, on the real Postgres (a fresh
// test database) with the Bot API emulator as Telegram, served by @hono/node-server on
// 127.0.0.1 and loaded from this process with a fixed number of requests in flight. The same
// load then goes to a bare grammY + Hono echo bot with no database (the baseline). Platform
// send limits are lifted (in the deliverer and the emulator) so the figures measure our path,
// not Telegram's 30 msg/s. Prints figures for people, then one JSON line with the same figures.
import { Api, Bot, webhookCallback } from 'grammy';
import { Hono } from 'hono';
import { pino } from 'pino';
import { createTelegramBot } from '../../bots/telegram/create-telegram-bot.ts';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createHttpMetrics } from '../../src/http/metrics.ts';
import { createInProcessJobs } from '../../src/jobs/in-process-driver.ts';
import { createDeliverer } from '../../src/messaging/deliverer.ts';
import { RateLimiter } from '../../src/messaging/rate-limiter.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres } from '../support/test-db.ts';
import { intFlag, type LoadResult, postLoad, round2, serveFetch } from './bench-support.ts';

const TOKEN = '888001:BENCH-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const BASELINE_TOKEN = '888002:BENCH-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const SECRET = 'bench-webhook-secret';
const WARMUP = intFlag('warmup', 200);
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

const sentBy = (emu: TelegramEmulator, token: string) => emu.calls.filter((c) => c.token === token && c.method === 'sendMessage' && c.status === 200).length;

function describe(label: string, r: LoadResult): void {
  const other = Object.entries(r.statuses).filter(([s]) => s !== '200');
  console.log(
    `  ${label.padEnd(9)} ${r.perSecond.toLocaleString('en-US').padStart(6)} updates/s   ack p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms` +
      (other.length ? `   non-200: ${other.map(([s, n]) => `${s}×${n}`).join(', ')}` : ''),
  );
}

const emu = new TelegramEmulator({
  bots: [
    { token: TOKEN, username: 'chatcrm_bench_bot' },
    { token: BASELINE_TOKEN, username: 'echo_bench_bot' },
  ],
  limits: { globalPerSecond: 1_000_000, perChatMinIntervalMs: 0, perChatToleranceMs: 0, groupPerMinute: 1_000_000 },
});
const { apiRoot } = await emu.start();
const t = await createTestPostgres('bench_inbound');

const cleanups: (() => Promise<void>)[] = [];
let chatcrm: LoadResult;
let baseline: LoadResult;
let repliesChatcrm = 0;
let repliesBaseline = 0;
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

  const headers = { 'x-telegram-bot-api-secret-token': SECRET };
  const hook = (base: string) => `${base}/webhooks/telegram`;

  console.log(`inbound webhook: ${UPDATES.toLocaleString('en-US')} distinct customer updates after ${WARMUP} warm-up, ${CONCURRENCY} in flight, one process`);
  console.log('  Telegram send limits LIFTED for this bench (deliverer and emulator), so the reply path is not paced at 30 msg/s');
  console.log(`  chatcrm: real Postgres (${t.url?.replace(/^.*\//, '')}), reply via outbox + deliverer; baseline: grammY + Hono echo, no database`);

  await postLoad(hook(served.url), updates(WARMUP), CONCURRENCY, headers);
  chatcrm = await postLoad(hook(served.url), updates(UPDATES), CONCURRENCY, headers);
  repliesChatcrm = sentBy(emu, TOKEN);

  await postLoad(hook(echoServed.url), updates(WARMUP), CONCURRENCY, headers);
  baseline = await postLoad(hook(echoServed.url), updates(UPDATES), CONCURRENCY, headers);
  repliesBaseline = sentBy(emu, BASELINE_TOKEN);
} finally {
  for (const c of cleanups.reverse()) await c().catch((err: unknown) => console.error('cleanup failed', err));
  await emu.stop();
  await t.drop();
}

const ratio = round2(chatcrm.perSecond / baseline.perSecond);
describe('chatcrm', chatcrm);
describe('baseline', baseline);
console.log(`  replies sent: chatcrm ${repliesChatcrm}/${WARMUP + UPDATES}, baseline ${repliesBaseline}/${WARMUP + UPDATES}`);
console.log(`  ratio     ${ratio} of the bare echo bot`);
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log(
  `  targets   ≥ ${TARGETS.updates_per_s} updates/s ${verdict(chatcrm.perSecond >= TARGETS.updates_per_s)}, ` +
    `ratio ≥ ${TARGETS.ratio} ${verdict(ratio >= TARGETS.ratio)}, p99 ≤ ${TARGETS.p99_ms} ms ${verdict(chatcrm.p99Ms <= TARGETS.p99_ms)}`,
);
console.log(
  JSON.stringify({
    bench: 'inbound',
    updates_per_s: chatcrm.perSecond,
    p50_ms: chatcrm.p50Ms,
    p99_ms: chatcrm.p99Ms,
    baseline_updates_per_s: baseline.perSecond,
    baseline_p99_ms: baseline.p99Ms,
    ratio,
    targets: TARGETS,
  }),
);
