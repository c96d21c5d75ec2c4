// WhatsApp Web pacing: random gaps between sends, messages per minute, the daily cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaileysSender, defaultBaileysPacing, PacedLimiter } from '../../../bots/whatsapp/baileys-sender.ts';
import { createDeliverer } from '../../../src/messaging/deliverer.ts';
import { enqueueOutbox } from '../../../src/messaging/outbox.ts';
import { BaileysStandIn, makeInMemoryAuthState } from '../../support/baileys-socket-stand-in.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { outboxRows, silent, waitFor } from './helpers.ts';

describe('WhatsApp Web pacing', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestPostgres('wa_pacing');
  });
  afterAll(() => db?.drop());

  it('defaults to 20 a minute, 1.5-4 s apart, 1000 a day', () => {
    expect(defaultBaileysPacing).toEqual({ perMinute: 20, minGapMs: 1500, maxGapMs: 4000, dailyCap: 1000 });
  });

  it('leaves a random gap within the bounds after each send, and no more than perMinute in a minute', () => {
    const limiter = new PacedLimiter({ perMinute: 3, minGapMs: 1500, maxGapMs: 4000, dailyCap: 1000 }, () => 0.5);
    expect(limiter.reserve('a', 0)).toBe(0);
    expect(limiter.reserve('b', 1000)).toBe(1750);
    expect(limiter.reserve('b', 2750)).toBe(0);
    expect(limiter.reserve('c', 5500)).toBe(0);
    // Three in the last minute: the fourth waits for the first to leave the window.
    expect(limiter.reserve('d', 8250)).toBe(60_000 - 8250 + 1);
  });

  it('sends three queued messages at least the minimum gap apart', async () => {
    const standIn = new BaileysStandIn();
    const auth = makeInMemoryAuthState();
    auth.creds.me = { id: standIn.meJid, name: standIn.meName };
    const sock = standIn.factory({ auth });
    await new Promise((r) => setImmediate(r));
    sock.open();
    // When each send starts: the stand-in stamps its record after building the message, which
    // takes longer the first time.
    const starts: number[] = [];
    const timed = { sendMessage: (...args: Parameters<typeof sock.sendMessage>) => (starts.push(Date.now()), sock.sendMessage(...args)) };
    const sender = createBaileysSender({ account: 'pace', socket: () => timed, pacing: { minGapMs: 300, maxGapMs: 400 } });
    for (const [i, chat] of ['79160000001', '79160000002', '79160000001'].entries()) {
      await enqueueOutbox(db.db, { idempotencyKey: `pace:${i}`, channel: 'whatsapp', account: 'pace', chatId: chat, kind: 'text', method: 'sendMessage', params: { chat_id: Number(chat), text: `Рассылка ${i + 1}` } });
    }
    const deliverer = createDeliverer({ db: db.db, sender, logger: silent, pollMs: 20 });
    const started = Date.now();
    await deliverer.start();
    try {
      await waitFor(async () => standIn.sent.length === 3, 5000, 'three sends');
    } finally {
      await deliverer.stop();
    }
    const at = starts;
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(300);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(300);
    expect(at[1]! - at[0]!).toBeLessThan(3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    // Chats are served in parallel; within a chat the order holds.
    expect(standIn.sent.map((s) => s.text).sort()).toEqual(['Рассылка 1', 'Рассылка 2', 'Рассылка 3']);
    expect(standIn.sent.filter((s) => s.jid.startsWith('79160000001')).map((s) => s.text)).toEqual(['Рассылка 1', 'Рассылка 3']);
    expect((await outboxRows(db.db)).filter((r) => r.account === 'pace').map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('is rate limited until the next UTC day once the daily cap is reached, counting what the outbox already sent', async () => {
    const standIn = new BaileysStandIn();
    const auth = makeInMemoryAuthState();
    auth.creds.me = { id: standIn.meJid, name: standIn.meName };
    const sock = standIn.factory({ auth });
    await new Promise((r) => setImmediate(r));
    sock.open();
    const now = Date.parse('2026-11-23T21:00:00Z');
    const asked: Date[] = [];
    const sender = createBaileysSender({
      account: 'cap',
      socket: () => sock,
      pacing: { dailyCap: 2 },
      now: () => now,
      sentSince: async (since) => {
        asked.push(since);
        return 1;
      },
    });
    expect(await sender.send('sendMessage', { chat_id: 79160000003, text: 'Первое' })).toMatchObject({ ok: true });
    expect(await sender.send('sendMessage', { chat_id: 79160000003, text: 'Второе' })).toEqual({
      ok: false,
      kind: 'rate_limited',
      retryAfterMs: 3 * 3600_000,
      message: 'daily cap of 2 WhatsApp Web messages reached',
    });
    expect(asked).toEqual([new Date('2026-11-23T00:00:00Z')]);
    expect(standIn.sent.map((s) => s.text)).toEqual(['Первое']);
  });

  it('is transient while WhatsApp Web is not connected, permanent for a file it cannot send', async () => {
    const offline = createBaileysSender({ account: 'off', socket: () => null });
    expect(await offline.send('sendMessage', { chat_id: 1, text: 'x' })).toMatchObject({ ok: false, kind: 'transient', message: 'WhatsApp Web is not connected' });
    const noMedia = createBaileysSender({ account: 'off', socket: () => ({ sendMessage: async () => undefined }) });
    expect(await noMedia.send('sendDocument', { chat_id: 1, document: 'file-id-1' })).toMatchObject({ ok: false, kind: 'permanent' });
  });
});
