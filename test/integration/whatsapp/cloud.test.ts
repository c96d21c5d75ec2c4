// The Cloud API channel end to end: Meta's signed webhooks (from the emulator) into the bridge
// bot on a real Postgres, replies out through the outbox and the Graph API emulator.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudChannel } from '../../../bots/whatsapp/cloud-channel.ts';
import { createDb } from '../../../db/client.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { hubSignature256, WhatsAppCloudEmulator } from '../../support/whatsapp-cloud-emulator.ts';
import { identitiesOf, inboundRows, outboxRows, serveApp, silent } from './helpers.ts';

const PETR = '79161234567';
const ACK_RU = 'Спасибо, сообщение получено. Менеджер скоро ответит.';
const VERIFY_TOKEN = 'verify-token-for-tests';

describe('WhatsApp Cloud API channel', () => {
  let db: TestDb;
  const emulator = new WhatsAppCloudEmulator();
  let server: Awaited<ReturnType<typeof serveApp>>;
  let webhookUrl = '';

  beforeAll(async () => {
    db = await createTestPostgres('wa_cloud');
    const { apiRoot } = await emulator.start();
    const channel = createCloudChannel({
      db: db.db,
      apiRoot,
      token: emulator.token,
      phoneId: emulator.phoneNumberId,
      appSecret: emulator.appSecret,
      verifyToken: VERIFY_TOKEN,
      logger: silent,
    });
    const app = new Hono();
    app.route('/webhooks/whatsapp', channel.webhook);
    server = await serveApp(app);
    webhookUrl = `${server.url}/webhooks/whatsapp`;
    emulator.setWebhook(webhookUrl);
  });

  afterAll(async () => {
    await server?.close();
    await emulator.stop();
    await db?.drop();
  });

  it('answers the verification handshake only with the configured token', async () => {
    const ok = await emulator.verifyWebhook({ verifyToken: VERIFY_TOKEN, challenge: '1158201444' });
    expect(ok).toMatchObject({ status: 200, body: '1158201444' });
    const wrong = await emulator.verifyWebhook({ verifyToken: 'guessed' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain(wrong.challenge);
  });

  it('stores a customer message once, links it to a new contact and answers in Russian; redeliveries change nothing', async () => {
    const delivery = await emulator.customerSends({ from: PETR, name: 'Пётр Иванов', text: 'Нужен тент на 20 т до Казани' });
    expect(delivery.status).toBe(200);

    const rows = await inboundRows(db.db);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ channel: 'whatsapp', account: emulator.phoneNumberId, externalId: delivery.wamid, chatId: PETR, kind: 'text', text: 'Нужен тент на 20 т до Казани', senderName: 'Пётр Иванов' });
    expect(row.processedAt).toBeInstanceOf(Date);
    const [linked] = await identitiesOf(db.db, PETR);
    expect(linked?.identity.channel).toBe('whatsapp');
    expect(linked?.contact).toMatchObject({ firstName: 'Пётр', lastName: 'Иванов', phone: `+${PETR}` });
    expect(row.contactId).toBe(linked?.contact.id);

    const answers = emulator.sentMessages(PETR);
    expect(answers.map((m) => [m.type, m.text])).toEqual([['text', ACK_RU]]);

    for (let i = 0; i < 3; i++) expect((await emulator.redeliver(emulator.webhooks.at(-1)!.payloadId)).status).toBe(200);
    expect(await inboundRows(db.db)).toHaveLength(1);
    expect(emulator.sentMessages(PETR)).toHaveLength(1);
    const out = await outboxRows(db.db);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ channel: 'whatsapp', chatId: PETR, method: 'sendMessage', status: 'sent', platformMessageId: answers[0]!.wamid, idempotencyKey: `whatsapp:${emulator.phoneNumberId}:in:${delivery.wamid}:1` });
  });

  it('refuses a webhook with a wrong or missing signature with 401 and stores nothing', async () => {
    const before = (await inboundRows(db.db)).length;
    const wrong = await emulator.customerSends({ from: '79035550101', text: 'подделка', sign: 'wrong-secret' });
    const missing = await emulator.customerSends({ from: '79035550101', text: 'без подписи', sign: 'missing' });
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    expect(await inboundRows(db.db)).toHaveLength(before);
    expect(await identitiesOf(db.db, '79035550101')).toHaveLength(0);
    expect(emulator.sentMessages('79035550101')).toHaveLength(0);
  });

  it('answers a signed body that is not JSON with 400', async () => {
    const raw = '{"object":"whatsapp_business_account",';
    const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature256(raw, emulator.appSecret) }, body: raw });
    expect(res.status).toBe(400);
  });

  it('records delivered and then read on the outbox row, never backwards', async () => {
    const [ack] = emulator.sentMessages(PETR);
    expect((await emulator.emitStatus(ack!.wamid, 'delivered')).status).toBe(200);
    expect((await outboxRows(db.db))[0]?.status).toBe('delivered');
    expect((await emulator.emitStatus(ack!.wamid, 'read')).status).toBe(200);
    expect((await outboxRows(db.db))[0]?.status).toBe('read');
    await emulator.emitStatus(ack!.wamid, 'delivered');
    expect((await outboxRows(db.db))[0]).toMatchObject({ status: 'read', statusAt: expect.any(Date) });
  });

  it('answers a document with the file acknowledgement naming the file', async () => {
    const delivery = await emulator.customerSendsDocument({ from: PETR, name: 'Пётр Иванов', bytes: '%PDF-1.4 заявка', filename: 'заявка-14.pdf', caption: 'Заявка' });
    expect(delivery.status).toBe(200);
    const row = (await inboundRows(db.db)).find((r) => r.externalId === delivery.wamid);
    expect(row).toMatchObject({ kind: 'document', text: 'Заявка' });
    const file = (row!.payload as { message: { file: { fileId: string; name: string } } }).message.file;
    expect(file.name).toBe('заявка-14.pdf');
    expect(emulator.media.has(file.fileId)).toBe(true);
    expect(emulator.sentMessages(PETR).at(-1)?.text).toBe('Файл «заявка-14.pdf» получен, спасибо.');
  });

  it('runs the shared /start on WhatsApp, and turns invite codes away (they link Telegram accounts)', async () => {
    await emulator.customerSends({ from: '79057770011', name: 'Мария', text: '/start' });
    expect((await emulator.waitForMessage('79057770011')).text).toBe('Здравствуйте, Мария! Напишите, что вам нужно, — менеджер ответит здесь же.');
    await emulator.customerSends({ from: '79057770011', name: 'Мария', text: '/start K7Q2-MX9D' });
    expect((await emulator.waitForMessage('79057770011')).text).toBe('Коды приглашения для сотрудников работают только в Telegram: откройте бота там и отправьте /start с кодом.');
  });

  it('stores a reaction nowhere and does not answer it', async () => {
    const before = (await inboundRows(db.db)).length;
    const payload = {
      object: 'whatsapp_business_account',
      entry: [{ id: emulator.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: emulator.phoneNumberId }, contacts: [{ profile: { name: 'Пётр' }, wa_id: PETR }], messages: [{ from: PETR, id: 'wamid.reaction-1', timestamp: '1795424400', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }] } }] }],
    };
    const raw = JSON.stringify(payload);
    const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature256(raw, emulator.appSecret) }, body: raw });
    expect(res.status).toBe(200);
    expect(await inboundRows(db.db)).toHaveLength(before);
  });

  it('answers 5xx when the database is away, and the redelivered webhook is stored once it is back', async () => {
    const dead = await createDb({ DATABASE_URL: db.url!, DATA_DIR: '' });
    await dead.close();
    const broken = createCloudChannel({
      db: dead.db,
      apiRoot: emulator.apiRoot,
      token: emulator.token,
      phoneId: emulator.phoneNumberId,
      appSecret: emulator.appSecret,
      verifyToken: VERIFY_TOKEN,
      logger: silent,
    });
    const app = new Hono();
    app.route('/webhooks/whatsapp', broken.webhook);
    const brokenServer = await serveApp(app);
    try {
      emulator.setWebhook(`${brokenServer.url}/webhooks/whatsapp`);
      const delivery = await emulator.customerSends({ from: '79265550202', name: 'Ольга', text: 'Нужен рефрижератор' });
      expect(delivery.status).toBeGreaterThanOrEqual(500);
      expect((await inboundRows(db.db)).some((r) => r.externalId === delivery.wamid)).toBe(false);

      emulator.setWebhook(webhookUrl);
      expect((await emulator.redeliver(emulator.webhooks.at(-1)!.payloadId)).status).toBe(200);
      expect((await inboundRows(db.db)).filter((r) => r.externalId === delivery.wamid)).toHaveLength(1);
      expect(emulator.sentMessages('79265550202').map((m) => m.text)).toEqual([ACK_RU]);
    } finally {
      emulator.setWebhook(webhookUrl);
      await brokenServer.close();
    }
  });
});
