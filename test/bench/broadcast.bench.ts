// Broadcast send rate under Telegram's real limits: M messages to distinct chats are put in the
// outbox, then the real deliverer (the default Telegram sender and its limits) drains them
// into the Bot API emulator, which enforces Telegram's limits (30 msg/s per bot, 1 msg/s per
// chat) and answers 429 beyond them. The rate is taken from the emulator's own record of the
// accepted sendMessage calls, first to last. `--messages=N` changes M (default 900).
// Prints figures for people, then one JSON line with the same figures.
import { pino } from 'pino';
import { botIdOf, createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { createDeliverer } from '../../src/messaging/deliverer.ts';
import { enqueueOutbox } from '../../src/messaging/outbox.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres } from '../support/test-db.ts';
import { intFlag, round2 } from './bench-support.ts';

const TOKEN = '888003:BENCH-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const MESSAGES = intFlag('messages', 900);
const TARGET_MSG_PER_S = 28.5;
const TIMEOUT_MS = Math.max(60_000, (MESSAGES / 20) * 1000 + 30_000);
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'chatcrm_broadcast_bot' }] });
const { apiRoot } = await emu.start();
const t = await createTestPostgres('bench_broadcast');
const account = botIdOf(TOKEN);

let stats = { sent: 0, failed: 0, rateLimited: 0 };
let timedOut = false;
try {
  for (let i = 0; i < MESSAGES; i++) {
    const chatId = 30_000_000 + i;
    await enqueueOutbox(t.db, {
      idempotencyKey: `bench-broadcast-${i}`,
      channel: 'telegram',
      account,
      chatId: String(chatId),
      kind: 'text',
      method: 'sendMessage',
      params: { chat_id: chatId, text: `Рассылка: новые цены на перевозки, сообщение ${i + 1}` },
    });
  }
  console.log(`broadcast: ${MESSAGES} messages to distinct chats, real deliverer and Telegram limits (emulator enforces 30 msg/s per bot, 1 msg/s per chat)`);
  const deliverer = createDeliverer({ db: t.db, sender: createTelegramSender({ token: TOKEN, apiRoot }), logger: silent, pollMs: 50 });
  const deadline = Date.now() + TIMEOUT_MS;
  await deliverer.start();
  for (;;) {
    stats = deliverer.stats();
    if (stats.sent + stats.failed >= MESSAGES) break;
    if (Date.now() > deadline) {
      timedOut = true;
      break;
    }
    await sleep(100);
  }
  await deliverer.stop();
  stats = deliverer.stats();
} finally {
  await emu.stop();
  await t.drop();
}

const sends = emu.calls.filter((c) => c.method === 'sendMessage');
const accepted = sends.filter((c) => c.status === 200).map((c) => c.at);
const http429 = sends.filter((c) => c.status === 429).length;
const spanS = accepted.length > 1 ? (accepted[accepted.length - 1]! - accepted[0]!) / 1000 : 0;
const msgPerS = spanS > 0 ? round2((accepted.length - 1) / spanS) : 0;

console.log(`  sent      ${accepted.length}/${MESSAGES} accepted by the emulator in ${round2(spanS)} s (deliverer: ${stats.sent} sent, ${stats.failed} failed, ${stats.rateLimited} rate-limited)${timedOut ? '  TIMED OUT' : ''}`);
console.log(`  rate      ${msgPerS} msg/s sustained, first to last send (target ≥ ${TARGET_MSG_PER_S})`);
console.log(`  429s      ${http429} answered by the emulator (target 0)`);
console.log(`  targets   rate ${msgPerS >= TARGET_MSG_PER_S ? 'met' : 'MISSED'}, 429s ${http429 === 0 ? 'met' : 'MISSED'}`);
console.log(JSON.stringify({ bench: 'broadcast', messages: MESSAGES, msg_per_s: msgPerS, http_429: http429, target_msg_per_s: TARGET_MSG_PER_S }));
