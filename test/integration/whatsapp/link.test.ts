// Linking WhatsApp Web: `chatcrm whatsapp login` (its core, runWhatsAppLogin) and the admins'
// GET /api/v1/whatsapp/link, against the Baileys socket stand-in on a real Postgres.
import { DisconnectReason } from '@whiskeysockets/baileys';
import { eq, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkKey, readLinkStatus } from '../../../bots/whatsapp/link-status.ts';
import { usePgAuthState } from '../../../bots/whatsapp/pg-auth-state.ts';
import { startWhatsApp, type WhatsAppConfig, type WhatsAppRuntime } from '../../../bots/whatsapp/whatsapp-runtime.ts';
import { whatsappAuth } from '../../../db/schema/index.ts';
import { LINK_INSTRUCTION, runWhatsAppLogin, whatsappCommand } from '../../../src/commands/whatsapp.command.ts';
import { configSchema } from '../../../src/config.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createApiToken } from '../../../src/crm/api-tokens.ts';
import { createUser } from '../../../src/crm/users.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import { createHttpMetrics } from '../../../src/http/metrics.ts';
import type { App } from '../../../src/http/types.ts';
import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import { BaileysStandIn } from '../../support/baileys-socket-stand-in.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { inboundRows, silent, waitFor } from './helpers.ts';

const ADMIN_TOKEN = 'link-test-admin-token-0123456789';

function capture() {
  const out = { text: '', write: (s: string) => (out.text += s) };
  return out;
}

const terminalQr = (qr: string) => QRCode.toString(qr, { type: 'terminal', small: true });

describe('chatcrm whatsapp login', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestPostgres('wa_link_cli');
  });
  afterAll(() => db?.drop());

  it('prints each QR as a terminal code with the instruction, keeps what a customer wrote meanwhile, and exits 0 once linked', async () => {
    const standIn = new BaileysStandIn();
    const out = capture();
    const run = runWhatsAppLogin({ db: db.db, logger: silent, out, socketFactory: standIn.factory }, { account: 'cli', timeoutMs: 10_000 });
    const first = await standIn.waitForSocket(1);
    await waitFor(async () => first.connection === 'connecting', 1000, 'connecting');
    const qr1 = first.emitQr();
    await waitFor(async () => out.text.includes(LINK_INSTRUCTION), 2000, 'the first QR on the output');
    const block = await terminalQr(qr1);
    expect(block).toMatch(/[▄▀█]/);
    expect(out.text).toContain(block);
    expect(out.text).toContain('WhatsApp → Linked devices → Link a device');
    expect(out.text).toContain('Связанные устройства → Привязка устройства');
    const qr2 = first.emitQr();
    await waitFor(async () => out.text.includes(block) && out.text.lastIndexOf(LINK_INSTRUCTION) > out.text.indexOf(LINK_INSTRUCTION), 2000, 'the second QR');
    expect(out.text.indexOf(block)).toBeLessThan(out.text.indexOf(await terminalQr(qr2)));
    // The status is written after the QR is shown (the terminal does not wait for the database).
    await waitFor(async () => (await readLinkStatus(db.db, 'cli')).qr === qr2, 2000, 'the second QR in the link status');

    first.pair();
    const second = await standIn.waitForSocket(2);
    standIn.customerSends({ from: '79161234567', pushName: 'Пётр', text: 'Здравствуйте' });
    second.open();
    expect(await run).toBe(0);
    expect(out.text).toMatch(/WhatsApp linked \(79990000000:1@s\.whatsapp\.net, account "cli"\)/);
    expect(second.connection).toBe('close');
    expect(standIn.sockets).toHaveLength(2);

    const auth = await usePgAuthState(db.db, 'cli');
    expect(auth.linked).toBe(true);
    expect(auth.state.creds.registered).toBe(true);
    expect(await readLinkStatus(db.db, 'cli')).toMatchObject({ status: 'linked', qr: null });
    // Stored for the bot process to handle (its recovery sweep), not answered from here.
    const rows = await inboundRows(db.db);
    expect(rows.map((r) => [r.account, r.text, r.processedAt])).toEqual([['cli', 'Здравствуйте', null]]);
    expect(standIn.sent).toEqual([]);
  });

  it('says so and exits 0 without connecting when the device is already linked', async () => {
    const standIn = new BaileysStandIn({ autoOpen: true });
    const out = capture();
    expect(await runWhatsAppLogin({ db: db.db, logger: silent, out, socketFactory: standIn.factory }, { account: 'cli', timeoutMs: 2000 })).toBe(0);
    expect(out.text).toContain('already linked');
    expect(out.text).toContain('79990000000:1@s.whatsapp.net');
    expect(standIn.sockets).toHaveLength(0);
  });

  it('exits 1 with a clear message when nobody scans in time', async () => {
    const standIn = new BaileysStandIn({ autoOpen: true });
    const out = capture();
    const started = Date.now();
    expect(await runWhatsAppLogin({ db: db.db, logger: silent, out, socketFactory: standIn.factory }, { account: 'slow', timeoutMs: 400 })).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(out.text).toContain(await terminalQr(standIn.socket.qrs[0]!));
    expect(out.text).toContain('The QR code was not scanned within 0.4 s');
    expect(standIn.socket.connection).toBe('close');
    expect((await usePgAuthState(db.db, 'slow')).linked).toBe(false);
  });

  it('exits 1 when WhatsApp logs the device out, and when it refuses the number (403) without retrying', async () => {
    const out = capture();
    const standIn = new BaileysStandIn();
    const run = runWhatsAppLogin({ db: db.db, logger: silent, out, socketFactory: standIn.factory }, { account: 'gone', timeoutMs: 10_000 });
    (await standIn.waitForSocket(1)).close(DisconnectReason.loggedOut);
    expect(await run).toBe(1);
    expect(out.text).toContain('WhatsApp logged the device out before it was linked');
    expect(await readLinkStatus(db.db, 'gone')).toMatchObject({ status: 'logged_out', qr: null });

    const refusing = new BaileysStandIn();
    const out2 = capture();
    const run2 = runWhatsAppLogin({ db: db.db, logger: silent, out: out2, socketFactory: refusing.factory }, { account: 'banned', timeoutMs: 10_000 });
    (await refusing.waitForSocket(1)).close(DisconnectReason.forbidden);
    expect(await run2).toBe(1);
    expect(out2.text).toContain('WhatsApp refused the connection (code 403)');
    await new Promise((r) => setTimeout(r, 100));
    expect(refusing.sockets).toHaveLength(1);
  });

  it('refuses bad arguments with the usage (exit 2) before opening any database', async () => {
    const config = configSchema.parse({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(await whatsappCommand(['login', '--timeout', 'soon'], config, silent)).toBe(2);
    expect(await whatsappCommand(['login', '--timeout', '0'], config, silent)).toBe(2);
    expect(await whatsappCommand(['logout'], config, silent)).toBe(2);
    expect(await whatsappCommand(['login', '--frobnicate'], config, silent)).toBe(2);
  });
});

describe('GET /api/v1/whatsapp/link', () => {
  let db: TestDb;
  let app: App;
  let managerToken: string;
  let runtime: WhatsAppRuntime | null = null;
  const standIn = new BaileysStandIn();
  const config: WhatsAppConfig = {
    WHATSAPP_PROVIDER: 'baileys',
    WHATSAPP_CLOUD_API_ROOT: 'https://graph.facebook.com/v21.0',
    WHATSAPP_CLOUD_TOKEN: undefined,
    WHATSAPP_CLOUD_PHONE_ID: undefined,
    WHATSAPP_APP_SECRET: undefined,
    TELEGRAM_BOT_TOKEN: undefined,
    WHATSAPP_BAILEYS_ACCOUNT: 'office',
  };

  const get = async (token: string | null, on: App = app) => {
    const res = await on.request('/api/v1/whatsapp/link', { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const link = async () => (await get(ADMIN_TOKEN)).body as { account: string; status: string; qr: string | null; qr_svg: string | null; updated_at: string | null };

  beforeAll(async () => {
    db = await createTestPostgres('wa_link_http');
    const manager = await createUser(db.db, systemActor, { name: 'Анна', roles: ['manager', 'supervisor'] });
    managerToken = (await createApiToken(db.db, systemActor, manager.id)).token;
    app = createHttpApp({
      dbHandle: db,
      jobs: createInProcessJobs({ logger: silent }),
      config: { ADMIN_TOKEN, WHATSAPP_PROVIDER: 'baileys', WHATSAPP_BAILEYS_ACCOUNT: 'office' },
      logger: silent,
      metrics: createHttpMetrics(),
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await db?.drop();
  });

  it('answers 401 without a token and 403 to a non-admin', async () => {
    const none = await get(null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'unauthorized' } });
    const manager = await get(managerToken);
    expect(manager.status).toBe(403);
    expect(manager.body).toMatchObject({ error: { code: 'forbidden' } });
    expect(JSON.stringify(manager.body)).not.toContain('qr_svg');
  });

  it('is not there unless WhatsApp runs on Baileys', async () => {
    const cloudless = createHttpApp({ dbHandle: db, jobs: createInProcessJobs({ logger: silent }), config: { ADMIN_TOKEN }, logger: silent, metrics: createHttpMetrics() });
    expect((await get(ADMIN_TOKEN, cloudless)).status).toBe(404);
  });

  it('shows the admin the QR the bot process got, as text and SVG, until it is older than 60 s', async () => {
    expect(await link()).toEqual({ account: 'office', status: 'waiting_for_scan', qr: null, qr_svg: null, updated_at: null, refused_code: null });
    runtime = await startWhatsApp({ db: db.db, config, logger: silent, web: false, bot: true, socketFactory: standIn.factory, onQr: () => {} });
    const sock = await standIn.waitForSocket(1);
    await waitFor(async () => sock.connection === 'connecting', 1000, 'connecting');
    const qr = sock.emitQr();
    const shown = await waitFor(async () => {
      const l = await link();
      return l.qr === qr ? l : null;
    }, 2000, 'the QR on the API');
    expect(shown.status).toBe('waiting_for_scan');
    expect(shown.qr_svg).toBe(await QRCode.toString(qr, { type: 'svg' }));
    expect(shown.qr_svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(Math.abs(Date.parse(shown.updated_at!) - Date.now())).toBeLessThan(5000);
    expect((await get(ADMIN_TOKEN)).headers.get('cache-control')).toBe('no-store');

    // A minute on: the phone cannot scan that QR any more.
    await db.db.update(whatsappAuth).set({ updatedAt: sql`now() - interval '61 seconds'` }).where(eq(whatsappAuth.key, linkKey('office')));
    expect(await link()).toMatchObject({ status: 'waiting_for_scan', qr: null, qr_svg: null });

    const fresh = sock.emitQr();
    await waitFor(async () => (await link()).qr === fresh, 2000, 'the next QR');
  });

  it('says linked once the phone has scanned, refused (with the code) while WhatsApp refuses the number, and logged_out after WhatsApp ends the session', async () => {
    const first = standIn.socket;
    first.pair();
    const sock = await standIn.waitForSocket(2);
    sock.open();
    const linked = await waitFor(async () => {
      const l = await link();
      return l.status === 'linked' ? l : null;
    }, 2000, 'linked');
    expect(linked).toMatchObject({ account: 'office', qr: null, qr_svg: null, refused_code: null });

    // WhatsApp refusing the number: shown as such (not as linked) while the bot keeps trying.
    sock.close(DisconnectReason.forbidden);
    const refused = await waitFor(async () => {
      const l = await link();
      return l.status === 'refused' ? l : null;
    }, 2000, 'refused');
    expect(refused).toMatchObject({ refused_code: 403, qr: null });
    const again = await standIn.waitForSocket(3);
    again.open();
    await waitFor(async () => (await link()).status === 'linked', 2000, 'linked again');
    expect(await link()).toMatchObject({ refused_code: null });

    again.close(DisconnectReason.loggedOut);
    await waitFor(async () => (await link()).status === 'logged_out', 2000, 'logged_out');
    expect((await usePgAuthState(db.db, 'office')).linked).toBe(false);
  });
});
