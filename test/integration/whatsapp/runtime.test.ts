// startWhatsApp as main.ts will call it, per provider and role.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhatsApp, type WhatsAppConfig, WhatsAppConfigError } from '../../../bots/whatsapp/whatsapp-runtime.ts';
import { BaileysStandIn } from '../../support/baileys-socket-stand-in.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { WhatsAppCloudEmulator } from '../../support/whatsapp-cloud-emulator.ts';
import { serveApp, silent } from './helpers.ts';

const base: WhatsAppConfig = {
  WHATSAPP_PROVIDER: 'off',
  WHATSAPP_CLOUD_API_ROOT: 'https://graph.facebook.com/v21.0',
  WHATSAPP_CLOUD_TOKEN: undefined,
  WHATSAPP_CLOUD_PHONE_ID: undefined,
  WHATSAPP_APP_SECRET: undefined,
  TELEGRAM_BOT_TOKEN: undefined,
};

describe('startWhatsApp', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestPostgres('wa_runtime');
  });
  afterAll(() => db?.drop());

  it('does nothing when WhatsApp is off, and refuses a Cloud setup without its secrets', async () => {
    expect(await startWhatsApp({ db: db.db, config: base, logger: silent, web: true, bot: true })).toBeNull();
    await expect(startWhatsApp({ db: db.db, config: { ...base, WHATSAPP_PROVIDER: 'cloud' }, logger: silent, web: true, bot: true })).rejects.toBeInstanceOf(WhatsAppConfigError);
  });

  it('Cloud: gives the web process the webhook route, which stores and answers', async () => {
    const emulator = new WhatsAppCloudEmulator();
    const { apiRoot } = await emulator.start();
    const config: WhatsAppConfig = {
      ...base,
      WHATSAPP_PROVIDER: 'cloud',
      WHATSAPP_CLOUD_API_ROOT: apiRoot,
      WHATSAPP_CLOUD_TOKEN: emulator.token,
      WHATSAPP_CLOUD_PHONE_ID: emulator.phoneNumberId,
      WHATSAPP_APP_SECRET: emulator.appSecret,
      WHATSAPP_VERIFY_TOKEN: 'runtime-verify',
    };
    const botOnly = await startWhatsApp({ db: db.db, config, logger: silent, web: false, bot: true });
    expect(botOnly?.webhook).toBeNull();
    await botOnly?.stop();
    const runtime = await startWhatsApp({ db: db.db, config, logger: silent, web: true, bot: false });
    const app = new Hono();
    app.route('/webhooks/whatsapp', runtime!.webhook!);
    const server = await serveApp(app);
    try {
      emulator.setWebhook(`${server.url}/webhooks/whatsapp`);
      expect((await emulator.verifyWebhook({ verifyToken: 'runtime-verify', challenge: '42' })).body).toBe('42');
      expect((await emulator.customerSends({ from: '79161230000', name: 'Сергей', text: 'Здравствуйте' })).status).toBe(200);
      expect(emulator.sentMessages('79161230000').map((m) => m.text)).toEqual(['Спасибо, сообщение получено. Менеджер скоро ответит.']);
    } finally {
      await runtime?.stop();
      await server.close();
      await emulator.stop();
    }
  });

  it('Baileys: runs the connection where the bot role runs and hands out the QR; nothing in a web-only process', async () => {
    const standIn = new BaileysStandIn({ autoOpen: true });
    const config: WhatsAppConfig = { ...base, WHATSAPP_PROVIDER: 'baileys', WHATSAPP_BAILEYS_ACCOUNT: 'office' };
    expect(await startWhatsApp({ db: db.db, config, logger: silent, web: true, bot: false, socketFactory: standIn.factory })).toBeNull();
    expect(standIn.sockets).toHaveLength(0);
    const qrs: string[] = [];
    const runtime = await startWhatsApp({ db: db.db, config, logger: silent, web: false, bot: true, socketFactory: standIn.factory, onQr: (qr) => qrs.push(qr) });
    try {
      expect(runtime?.provider).toBe('baileys');
      const sock = await standIn.waitForSocket(1);
      await new Promise((r) => setTimeout(r, 20));
      expect(qrs).toEqual(sock.qrs);
      expect(qrs).toHaveLength(1);
      expect(runtime?.baileys?.status()).toBe('connecting');
    } finally {
      await runtime?.stop();
    }
    expect(runtime?.baileys?.status()).toBe('stopped');
  });
});
