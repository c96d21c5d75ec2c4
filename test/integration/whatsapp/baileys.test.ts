// The WhatsApp Web channel against the Baileys socket stand-in, on a real Postgres: linking,
// store-once, replies, reconnects, logout, refusals, failed receipts, resends, auth state in
// the database.
import { DisconnectReason, initAuthCreds, proto } from '@whiskeysockets/baileys';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BaileysChannel, createBaileysChannel } from '../../../bots/whatsapp/baileys-channel.ts';
import { usePgAuthState } from '../../../bots/whatsapp/pg-auth-state.ts';
import { users, whatsappAuth } from '../../../db/schema/index.ts';
import { enqueueOutbox } from '../../../src/messaging/outbox.ts';
import { BaileysStandIn, type BaileysSocketStandIn } from '../../support/baileys-socket-stand-in.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { identitiesOf, inboundRows, outboxRows, silent, waitFor } from './helpers.ts';

const PETR = '79161234567';
const PETR_JID = `${PETR}@s.whatsapp.net`;
const ACK_RU = 'Спасибо, сообщение получено. Менеджер скоро ответит.';
const TELEGRAM_ACCOUNT = '7000000001';
const ACCOUNT = 'main';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The channel on the stand-in, paced for tests, quick to reconnect, telling admins on TELEGRAM_ACCOUNT. */
const channelOn = (db: TestDb, standIn: BaileysStandIn, more: { onQr?: (qr: string) => void } = {}) =>
  createBaileysChannel({
    db: db.db,
    account: ACCOUNT,
    logger: silent,
    socketFactory: standIn.factory,
    pacing: { perMinute: 600, minGapMs: 0, maxGapMs: 1 },
    telegramAccount: TELEGRAM_ACCOUNT,
    backoff: { initialMs: 20, maxMs: 100 },
    deliverer: { pollMs: 50 },
    ...more,
  });

describe('WhatsApp Web channel (Baileys)', () => {
  let db: TestDb;
  const standIn = new BaileysStandIn();
  let channel: BaileysChannel;
  const qrs: string[] = [];
  let sock: BaileysSocketStandIn;

  beforeAll(async () => {
    db = await createTestPostgres('wa_baileys');
    channel = await channelOn(db, standIn, { onQr: (qr) => qrs.push(qr) });
    await channel.start();
  });

  afterAll(async () => {
    await channel?.stop();
    await db?.drop();
  });

  it('shows the QR, and after linking (515) connects again with the saved credentials', async () => {
    expect(channel.auth.linked).toBe(false);
    const first = await standIn.waitForSocket(1);
    await waitFor(async () => first.connection === 'connecting', 1000, 'connecting');
    const qr = first.emitQr();
    expect(qrs).toEqual([qr]);
    first.pair();
    sock = await standIn.waitForSocket(2);
    expect(sock.config.auth.creds.me?.id).toBe(standIn.meJid);
    sock.open();
    expect(channel.transport.status()).toBe('open');
  });

  it('stores a customer message once, links a new contact and answers on WhatsApp; the same upsert twice changes nothing', async () => {
    const msg = sock.customerSends({ from: PETR, pushName: 'Пётр Иванов', text: 'Нужна машина на завтра' });
    const answer = await standIn.waitForSent(PETR);
    expect(answer.text).toBe(ACK_RU);
    expect(answer.jid).toBe(PETR_JID);
    await channel.transport.idle();

    sock.deliver([msg]);
    await channel.transport.idle();
    const rows = await inboundRows(db.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'whatsapp', account: ACCOUNT, externalId: msg.key.id, chatId: PETR, kind: 'text', text: 'Нужна машина на завтра', senderName: 'Пётр Иванов' });
    const [linked] = await identitiesOf(db.db, PETR);
    expect(linked?.contact).toMatchObject({ firstName: 'Пётр', lastName: 'Иванов', phone: `+${PETR}` });
    expect(rows[0]?.contactId).toBe(linked?.contact.id);
    expect(standIn.sent.filter((s) => s.text === ACK_RU)).toHaveLength(1);
    const out = await outboxRows(db.db);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ channel: 'whatsapp', account: ACCOUNT, status: 'sent', platformMessageId: answer.message.key.id });
  });

  it('answers a LID-addressed chat by the phone number WhatsApp gives alongside', async () => {
    sock.customerSends({ from: '79035550101', pushName: 'Анна', text: 'Добрый день', addressing: 'lid' });
    const answer = await standIn.waitForSent('79035550101');
    expect(answer.jid).toBe('79035550101@s.whatsapp.net');
    await channel.transport.idle();
    expect((await inboundRows(db.db)).at(-1)).toMatchObject({ chatId: '79035550101', senderExternalId: '79035550101' });
  });

  it('ignores our own messages: the append echo of a send and a fromMe notify', async () => {
    const before = (await inboundRows(db.db)).length;
    const own = standIn.sent[0]!.message;
    sock.ev.emit('messages.upsert', { messages: [own], type: 'append' });
    sock.ev.emit('messages.upsert', { messages: [own], type: 'notify' });
    await sleep(50);
    await channel.transport.idle();
    const rows = await inboundRows(db.db);
    expect(rows).toHaveLength(before);
    expect(rows.some((r) => r.externalId === own.key.id)).toBe(false);
  });

  it('records delivery receipts on the outbox row', async () => {
    const [first] = await outboxRows(db.db);
    sock.emitStatus(first!.platformMessageId!, 'delivered');
    await waitFor(async () => (await outboxRows(db.db))[0]?.status === 'delivered', 2000, 'delivered');
    sock.emitStatus(first!.platformMessageId!, 'read');
    await waitFor(async () => (await outboxRows(db.db))[0]?.status === 'read', 2000, 'read');
  });

  it('answers a resend request from the outbox', async () => {
    const sent = standIn.sent[0]!;
    const message = await sock.requestResend(sent.message.key);
    expect(message).toEqual({ extendedTextMessage: { text: ACK_RU } });
    expect(await sock.requestResend({ remoteJid: PETR_JID, fromMe: true, id: '3EB0UNKNOWN' })).toBeUndefined();
  });

  it('keeps the credentials and signal keys in Postgres, readable by a new transport', async () => {
    const [row] = await db.db
      .select({ type: sql<string>`jsonb_typeof(${whatsappAuth.value})` })
      .from(whatsappAuth)
      .where(eq(whatsappAuth.key, `${ACCOUNT}:creds`));
    expect(row?.type).toBe('object');
    const again = await usePgAuthState(db.db, ACCOUNT);
    expect(again.linked).toBe(true);
    expect(again.state.creds.me?.id).toBe(standIn.meJid);
    expect(again.state.creds.me?.lid).toBe(standIn.meLid);
    expect(Buffer.from(again.state.creds.noiseKey.private).equals(Buffer.from(sock.config.auth.creds.noiseKey.private))).toBe(true);

    const keyPair = initAuthCreds().signedIdentityKey;
    await again.state.keys.set({ 'pre-key': { '17': keyPair }, 'app-state-sync-key': { AAA: { keyData: Buffer.from([1, 2, 3]), timestamp: 5 } } });
    const third = await usePgAuthState(db.db, ACCOUNT);
    const got = await third.state.keys.get('pre-key', ['17', '18']);
    expect(Object.keys(got)).toEqual(['17']);
    expect(Buffer.from(got['17']!.public).equals(Buffer.from(keyPair.public))).toBe(true);
    const sync = await third.state.keys.get('app-state-sync-key', ['AAA']);
    expect(sync.AAA).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(sync.AAA!.keyData!)).toEqual(Buffer.from([1, 2, 3]));
    await third.state.keys.set({ 'pre-key': { '17': null } });
    expect(await third.state.keys.get('pre-key', ['17'])).toEqual({});

    // A restart: another stand-in and transport, the same database.
    const restartedStandIn = new BaileysStandIn();
    const restarted = await createBaileysChannel({ db: db.db, account: ACCOUNT, logger: silent, socketFactory: restartedStandIn.factory, telegramAccount: null });
    try {
      restarted.transport.start();
      const s = await restartedStandIn.waitForSocket(1);
      expect(s.config.auth.creds.me?.id).toBe(standIn.meJid);
      expect(restarted.auth.linked).toBe(true);
    } finally {
      await restarted.transport.stop();
    }
  });

  it('reconnects with a new socket after a lost connection (408)', async () => {
    const count = standIn.sockets.length;
    sock.close(DisconnectReason.connectionLost);
    expect(channel.transport.status()).toBe('reconnecting');
    sock = await standIn.waitForSocket(count + 1);
    sock.open();
    expect(channel.transport.status()).toBe('open');
    sock.customerSends({ from: PETR, pushName: 'Пётр Иванов', text: 'Вы на связи?' });
    expect((await standIn.waitForSent(PETR)).text).toBe(ACK_RU);
  });

  it('on loggedOut (401) stops without reconnecting, forgets the credentials and tells each admin on Telegram once', async () => {
    const a1 = await makeUser(db.db, ['admin'], { telegramUserId: 500001, language: 'ru' });
    const a2 = await makeUser(db.db, ['admin', 'manager'], { telegramUserId: 500002, language: 'en' });
    await makeUser(db.db, ['admin']);
    await makeUser(db.db, ['admin'], { telegramUserId: 500003, isActive: false });
    await makeUser(db.db, ['manager'], { telegramUserId: 500004 });
    const count = standIn.sockets.length;

    sock.close(DisconnectReason.loggedOut);
    const notices = await waitFor(async () => {
      const rows = (await outboxRows(db.db)).filter((r) => r.channel === 'telegram');
      return rows.length === 2 ? rows : null;
    }, 2000, 'admin notices');
    await sleep(200);
    expect(standIn.sockets).toHaveLength(count);
    expect(channel.transport.status()).toBe('logged_out');
    expect(notices.map((n) => [n.account, n.chatId, n.method, n.status])).toEqual([
      [TELEGRAM_ACCOUNT, String(a1.user.telegramUserId), 'sendMessage', 'queued'],
      [TELEGRAM_ACCOUNT, String(a2.user.telegramUserId), 'sendMessage', 'queued'],
    ]);
    expect(String(notices[0]!.params.text)).toMatch(/^WhatsApp отключен/);
    expect(String(notices[1]!.params.text)).toMatch(/^WhatsApp is disconnected/);
    expect(notices[0]!.idempotencyKey).toMatch(new RegExp(`^whatsapp:${ACCOUNT}:logged-out:\\d+:user:${a1.user.id}$`));
    const left = await db.db.select({ key: whatsappAuth.key }).from(whatsappAuth).where(like(whatsappAuth.key, `${ACCOUNT}:%`));
    expect(left).toEqual([]);
  });
});

describe('WhatsApp Web channel (Baileys): WhatsApp refusing the number, failed receipts', () => {
  let db: TestDb;
  const standIn = new BaileysStandIn();
  let channel: BaileysChannel;

  beforeAll(async () => {
    db = await createTestPostgres('wa_baileys_refused');
    channel = await channelOn(db, standIn);
  });

  afterAll(async () => {
    await channel?.stop();
    await db?.drop();
  });

  it('on 403 keeps reconnecting and tells each admin once, in his language, however often WhatsApp refuses; 411 is told apart', async () => {
    const ru = await makeUser(db.db, ['admin'], { telegramUserId: 600001, language: 'ru' });
    const en = await makeUser(db.db, ['admin'], { telegramUserId: 600002, language: 'en' });
    await makeUser(db.db, ['manager'], { telegramUserId: 600003 });
    await channel.start();
    for (let n = 1; n <= 3; n++) (await standIn.waitForSocket(n)).close(DisconnectReason.forbidden);
    const told = async (code: number) => (await outboxRows(db.db)).filter((r) => r.channel === 'telegram' && r.idempotencyKey.includes(`:refused:${code}:`));
    const forbidden = await waitFor(async () => ((await told(403)).length === 2 ? told(403) : null), 2000, 'refusal notices');
    // Still trying: a fourth connection after the third refusal.
    const fourth = await standIn.waitForSocket(4);
    await sleep(100);
    expect(await told(403)).toHaveLength(2);
    expect(forbidden.map((r) => r.chatId).sort()).toEqual([String(ru.user.telegramUserId), String(en.user.telegramUserId)].sort());
    const textTo = (id: number | null) => String(forbidden.find((r) => r.chatId === String(id))!.params.text);
    expect(textTo(ru.user.telegramUserId)).toMatch(/^WhatsApp не пускает номер \(main, код 403,/);
    expect(textTo(en.user.telegramUserId)).toMatch(/^WhatsApp refuses the number \(main, code 403,/);

    fourth.close(DisconnectReason.multideviceMismatch);
    const device = await waitFor(async () => ((await told(411)).length === 2 ? told(411) : null), 2000, 'device notices');
    expect(device.map((r) => String(r.params.text)).sort()[0]).toMatch(/^WhatsApp does not accept the linked device/);
    (await standIn.waitForSocket(5)).open();
    expect(channel.transport.status()).toBe('open');
  });

  it("a staff member's message WhatsApp reports failed (an error receipt) comes back to its author on Telegram, once", async () => {
    const sock = standIn.sockets.at(-1)!;
    const [author] = await db.db.select().from(users).where(eq(users.telegramUserId, 600001));
    sock.customerSends({ from: PETR, pushName: 'Пётр Иванов', text: 'Добрый день' });
    await standIn.waitForSent(PETR);
    await enqueueOutbox(db.db, {
      idempotencyKey: 'answer:test:1',
      channel: 'whatsapp',
      account: ACCOUNT,
      chatId: PETR,
      kind: 'text',
      method: 'sendMessage',
      params: { chat_id: Number(PETR), text: 'Счёт пришлю завтра' },
      authorId: author!.id,
    });
    channel.deliverer.wake();
    const sent = await standIn.waitForSent(PETR, (m) => m.text === 'Счёт пришлю завтра');
    // A receipt comes after the send's own answer, once the row is marked sent with its id.
    await waitFor(async () => (await outboxRows(db.db)).some((r) => r.platformMessageId === sent.message.key.id && r.status === 'sent'), 2000, 'marked sent');
    sock.emitStatus(sent.message.key, 'error');
    sock.emitStatus(sent.message.key, 'error');
    const told = await waitFor(async () => {
      const rows = (await outboxRows(db.db)).filter((r) => r.idempotencyKey.startsWith('staff:undelivered:'));
      return rows.length > 0 ? rows : null;
    }, 2000, 'the author told');
    await sleep(200);
    expect((await outboxRows(db.db)).filter((r) => r.idempotencyKey.startsWith('staff:undelivered:'))).toHaveLength(1);
    expect(told[0]).toMatchObject({ channel: 'telegram', account: TELEGRAM_ACCOUNT, chatId: '600001' });
    expect(String(told[0]!.params.text)).toBe(
      '⚠️ Ваш ответ клиенту в WhatsApp не доставлен.\nПлатформа сообщила, что сообщение не доставлено, не назвав причину.\n\nВаш ответ:\nСчёт пришлю завтра',
    );
  });
});
