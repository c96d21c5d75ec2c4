// The deliverer under Telegram's real limits, against an emulator that enforces them with
// 429 + retry_after: 3,000 messages to distinct chats and 60 to one chat, at the same time.
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { outboxMessages } from '../../db/schema/index.ts';
import { createDeliverer } from '../../src/messaging/deliverer.ts';
import { enqueueOutbox } from '../../src/messaging/outbox.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const TOKEN = '777200:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const DISTINCT = 3000;
const ONE_CHAT = 60;
const SOLO_CHAT = 424_242;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Telegram limits', () => {
  let t: TestDb;
  let emu: TelegramEmulator;
  let apiRoot: string;

  beforeAll(async () => {
    t = await createTestPostgres('tg_limits');
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'chatcrm_limits_bot' }] });
    ({ apiRoot } = await emu.start());
    const items = [
      ...Array.from({ length: DISTINCT }, (_, i) => ({ key: `limits:d:${i}`, chat: 200_000 + i, text: `рассылка ${i}` })),
      ...Array.from({ length: ONE_CHAT }, (_, i) => ({ key: `limits:s:${i}`, chat: SOLO_CHAT, text: `сообщение ${i}` })),
    ];
    // Interleaved, as a broadcast and a busy conversation would be.
    items.sort((a, b) => (a.key.includes(':s:') ? Number(a.key.split(':')[2]) * 50 : Number(a.key.split(':')[2])) - (b.key.includes(':s:') ? Number(b.key.split(':')[2]) * 50 : Number(b.key.split(':')[2])));
    for (const it of items) {
      await enqueueOutbox(t.db, {
        idempotencyKey: it.key,
        channel: 'telegram',
        account: '777200',
        chatId: String(it.chat),
        kind: 'text',
        method: 'sendMessage',
        params: { chat_id: it.chat, text: it.text },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await emu?.stop();
    await t?.drop();
  });

  it('3,000 messages to distinct chats: zero 429s at ~29/s; 60 to one chat at most one a second', async () => {
    const deliverer = createDeliverer({ db: t.db, sender: createTelegramSender({ token: TOKEN, apiRoot }), logger: pino({ level: 'silent' }), pollMs: 50 });
    const started = Date.now();
    await deliverer.start();
    const total = DISTINCT + ONE_CHAT;
    while (emu.sentMessages().length < total && Date.now() - started < 200_000) await sleep(200);
    await deliverer.stop();

    const sends = emu.calls.filter((c) => c.method === 'sendMessage');
    const refused = sends.filter((c) => c.status === 429);
    expect(refused).toHaveLength(0);
    expect(emu.sentMessages()).toHaveLength(total);
    const queued = await t.db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.status, 'queued'));
    expect(queued).toHaveLength(0);

    const ok = sends.filter((c) => c.status === 200).map((c) => c.at).sort((a, b) => a - b);
    const rate = ((ok.length - 1) / (ok.at(-1)! - ok[0]!)) * 1000;
    // The sustained rate is the broadcast bench's figure; here only that pacing does not starve.
    expect(rate).toBeGreaterThanOrEqual(27);

    const solo = emu.sentMessages(SOLO_CHAT);
    expect(solo.map((m) => m.text)).toEqual(Array.from({ length: ONE_CHAT }, (_, i) => `сообщение ${i}`));
    const soloTimes = sends.filter((c) => c.status === 200 && Number(c.params.chat_id) === SOLO_CHAT).map((c) => c.at);
    for (let i = 1; i < soloTimes.length; i++) expect(soloTimes[i]! - soloTimes[i - 1]!).toBeGreaterThanOrEqual(1000);
    console.log(`[telegram-limits] ${ok.length} sent in ${((ok.at(-1)! - ok[0]!) / 1000).toFixed(1)} s: ${rate.toFixed(2)} msg/s, 429s: ${refused.length}; one chat: min gap ${Math.min(...soloTimes.slice(1).map((x, i) => x - soloTimes[i]!))} ms`);
  }, 240_000);
});
