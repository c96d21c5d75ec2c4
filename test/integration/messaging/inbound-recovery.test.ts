// The recovery sweep on the real Postgres with the Telegram bot against the Bot API emulator:
// an update that was stored (and acknowledged) but never handled — the process died — is
// handled once; a failed run waits for its backoff and its replies get keys of their own; two
// sweepers never take the same message.
import type { Update } from 'grammy/types';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../bots/telegram/create-telegram-bot.ts';
import { createTelegramSender } from '../../../bots/telegram/telegram-sender.ts';
import { telegramToInbound } from '../../../bots/telegram/to-inbound.ts';
import { inboundMessages, outboxMessages } from '../../../db/schema/index.ts';
import { createDeliverer } from '../../../src/messaging/deliverer.ts';
import { acceptInbound, markInboundFailed } from '../../../src/messaging/inbox.ts';
import { startInboundRecovery } from '../../../src/messaging/inbound-recovery.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

const TOKEN = '777101:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const ACCOUNT = '777101';
const silent = pino({ level: 'silent' });

describe('inbound recovery sweep', () => {
  let t: TestDb;
  let emu: TelegramEmulator;
  let bot: ReturnType<typeof createTelegramBot>;
  let nextUpdate = 500_000;

  beforeAll(async () => {
    t = await createTestPostgres('recovery');
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'chatcrm_recovery_bot' }] });
    const { apiRoot } = await emu.start();
    const deliverer = createDeliverer({ db: t.db, sender: createTelegramSender({ token: TOKEN, apiRoot }), logger: silent });
    bot = createTelegramBot({ db: t.db, token: TOKEN, apiRoot, deliverer, logger: silent, mode: 'webhook' });
    await bot.init();
  }, 60_000);
  afterAll(async () => {
    await emu?.stop();
    await t?.drop();
  });

  /** What a webhook leaves behind when the process dies right after its 200: a stored, unprocessed update. */
  async function storedButNotHandled(chatId: number, text: string, ageMs = 120_000): Promise<number> {
    const update = {
      update_id: nextUpdate++,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Олег' }, from: { id: chatId, is_bot: false, first_name: 'Олег' }, text },
    } as Update;
    const accepted = await acceptInbound(t.db, telegramToInbound(update, ACCOUNT)!, update);
    await t.db.update(inboundMessages).set({ receivedAt: new Date(Date.now() - ageMs) }).where(eq(inboundMessages.id, accepted.row.id));
    return accepted.row.id;
  }

  const sweeper = () =>
    startInboundRecovery({ db: t.db, channel: 'telegram', account: ACCOUNT, logger: silent, minAgeMs: 60_000, intervalMs: 3_600_000, sweepAtStart: false, redispatch: (row) => bot.handleUpdate(row.payload.raw as Update) });

  const rowOf = async (id: number) => (await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, id)))[0]!;

  it('an acknowledged update the process never handled is handled once by the sweep', async () => {
    const id = await storedButNotHandled(7101, 'Нужна фура до Самары');
    const young = await storedButNotHandled(7102, 'только что пришло', 1_000);
    const recovery = sweeper();
    try {
      await recovery.sweepOnce();
      expect((await rowOf(id)).processedAt).not.toBeNull();
      expect(emu.sentMessages(7101).map((m) => m.text)).toEqual(['Спасибо, сообщение получено. Менеджер скоро ответит.']);
      // Still being handled where it arrived, as far as the sweep can tell: left alone.
      expect((await rowOf(young)).processedAt).toBeNull();
      expect(emu.sentMessages(7102)).toHaveLength(0);
      // Processed: the next pass has nothing to do.
      expect(await recovery.sweepOnce()).toBe(0);
      expect(emu.sentMessages(7101)).toHaveLength(1);
    } finally {
      await recovery.stop();
    }
  });

  it('a failed run waits for its backoff, then runs again with replies of its own', async () => {
    const id = await storedButNotHandled(7201, 'Повторите, пожалуйста');
    // The first run failed after it had told the customer so (outbox key ...:1 is taken).
    await t.db.insert(outboxMessages).values({
      idempotencyKey: `telegram:${ACCOUNT}:in:${(await rowOf(id)).externalId}:1`,
      channel: 'telegram',
      account: ACCOUNT,
      chatId: '7201',
      kind: 'text',
      method: 'sendMessage',
      params: { chat_id: 7201, text: 'Что-то пошло не так.' },
      status: 'sent',
    });
    await markInboundFailed(t.db, id, 'Error: boom');
    const recovery = sweeper();
    try {
      expect(await recovery.sweepOnce()).toBe(0);
      expect((await rowOf(id)).attempts).toBe(1);
      await t.db.update(inboundMessages).set({ retryAt: sql`now() - interval '1 second'` }).where(eq(inboundMessages.id, id));
      expect(await recovery.sweepOnce()).toBe(1);
      expect((await rowOf(id)).processedAt).not.toBeNull();
      expect(emu.sentMessages(7201).map((m) => m.text)).toEqual(['Спасибо, сообщение получено. Менеджер скоро ответит.']);
      const keys = (await t.db.select().from(outboxMessages).where(eq(outboxMessages.chatId, '7201'))).map((r) => r.idempotencyKey).sort();
      expect(keys).toEqual([expect.stringMatching(/:1$/), expect.stringMatching(/:r1:1$/)]);
    } finally {
      await recovery.stop();
    }
  });

  it('two sweepers at once handle each stored update once', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => storedButNotHandled(7300 + i, `заявка ${i}`)));
    const a = sweeper();
    const b = sweeper();
    try {
      const [na, nb] = await Promise.all([a.sweepOnce(), b.sweepOnce()]);
      expect(na + nb).toBe(12);
      for (const [i, id] of ids.entries()) {
        expect((await rowOf(id)).processedAt).not.toBeNull();
        expect(emu.sentMessages(7300 + i)).toHaveLength(1);
      }
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
