// The log of a real chatcrm process (Telegram webhook against the Bot API emulator, Postgres
// behind a TCP proxy, LOG_LEVEL=info) while updates fail: a 3.9 MB signed update with NUL
// characters, then updates arriving while the database is cut. Every line is read as written:
// no bot token or other configured secret, no customer phone, name or text, no line over 4 KB,
// one msg key, and at most 4 KB of log per failed update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/logger.ts';
import { byteLength, duplicateKeys } from '../support/log-lines.ts';
import { freePort, spawnChatcrm, type ChatcrmProcess } from '../support/spawn-chatcrm.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';
import { waitFor } from '../support/wait-for.ts';

const TOKEN = '7700789:AAHe2eLogsToken_abcdefghijklmnopqrstuvwxyz';
const secrets = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: 'e2e-webhook-secret-0451',
  ADMIN_TOKEN: 'e2e-admin-token-0123456789',
  LEADS_WEBHOOK_TOKEN: 'e2e-leads-token-0123456789',
  WHATSAPP_CLOUD_TOKEN: 'EAAGe2eCloudToken0123456789',
  WHATSAPP_APP_SECRET: 'e2e-app-secret-cafe',
  WHATSAPP_VERIFY_TOKEN: 'e2e-verify-token-beef',
};
const DB_PASSWORD = 'e2e-db-pass-Zq81';
const customers = [
  { id: 81_001, first_name: 'Аполлинария', phone: '+79031110001', text: 'Нужен самосвал щебня на дачу' },
  { id: 81_002, first_name: 'Феофан', phone: '+79031110002', text: 'Сколько стоит перевозка рояля' },
  { id: 81_003, first_name: 'Евстигней', phone: '+79031110003', text: 'Заберите поддоны с Люберец' },
  { id: 81_004, first_name: 'Пелагея', phone: '+79031110004', text: 'Доставка бетона миксером' },
];
const forbidden = [
  ...Object.values(secrets),
  TOKEN.split(':')[1]!,
  DB_PASSWORD,
  ...customers.flatMap((c) => [c.first_name, c.phone, c.phone.slice(2), c.text.split(' ').slice(-2).join(' ')]),
  'Гиперборея',
];

describe('the log of a running chatcrm while updates fail', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let emu: TelegramEmulator;
  let app: ChatcrmProcess;
  let port: number;
  const windows: { name: string; from: number; to: number; failed: number }[] = [];

  beforeAll(async () => {
    t = await createTestPostgres('e2e_logs');
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    // Trust auth on the test server: the password is sent nowhere, but the process is configured with it.
    const url = new URL(t.url!);
    url.port = String(proxy.port);
    url.password = DB_PASSWORD;
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'e2e_logs_bot' }], webhookRetry: { initialDelayMs: 200, maxDelayMs: 1000, timeoutMs: 8000 } });
    const { apiRoot } = await emu.start();
    port = await freePort();
    app = spawnChatcrm(['start'], {
      ...secrets,
      DATABASE_URL: url.toString(),
      HTTP_PORT: String(port),
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/telegram`,
      LOG_LEVEL: 'info',
    });
    await app.waitForLog((l) => l.msg === 'telegram webhook registered', 60_000);
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await emu?.stop();
    await proxy?.close();
    await t?.drop();
  }, 30_000);

  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a customer handled normally leaves no trace of his text, name or phone', async () => {
    const c = customers[0]!;
    emu.userSends(TOKEN, { from: { id: c.id, first_name: c.first_name }, text: `${c.text}, ${c.phone}` });
    await emu.waitForMessage(c.id, undefined, 15_000);
  }, 30_000);

  it('a signed 3.9 MB update with NUL characters, delivered three times', async () => {
    const c = customers[1]!;
    const unit = `${c.text} ${c.phone} Гиперборея ${Object.values(secrets).join(' ')} \u0000 ${'груз '.repeat(20)}${'x'.repeat(400)} `;
    const unitBytes = byteLength(JSON.stringify(unit)) - 2;
    const huge = unit.repeat(Math.floor(3_900_000 / unitBytes));
    const body = JSON.stringify({
      update_id: 990_001,
      message: { message_id: 9, date: Math.floor(Date.now() / 1000), chat: { id: c.id, type: 'private', first_name: c.first_name }, from: { id: c.id, is_bot: false, first_name: c.first_name }, text: huge },
    });
    // Under the webhook body limit (4 MiB), so the update reaches the handlers.
    expect(byteLength(body)).toBeGreaterThan(3_850_000);
    expect(byteLength(body)).toBeLessThan(4 * 1024 * 1024);
    const from = app.lines.length;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secrets.TELEGRAM_WEBHOOK_SECRET },
        body,
      });
      expect(res.status).toBeLessThan(600);
      await res.arrayBuffer();
    }
    await settle(1500);
    windows.push({ name: '3.9 MB update', from, to: app.lines.length, failed: 3 });
  }, 60_000);

  it('updates arriving while the database is cut, then handled once it is back', async () => {
    const from = app.lines.length;
    const before = emu.webhookDeliveries(TOKEN).length;
    proxy.cut();
    for (const c of customers.slice(2)) emu.userSends(TOKEN, { from: { id: c.id, first_name: c.first_name }, text: `${c.text}, ${c.phone}` });
    await settle(4000);
    const failed = emu.webhookDeliveries(TOKEN).slice(before).filter((d) => d.done && (d.status < 200 || d.status >= 300)).length;
    expect(failed).toBeGreaterThan(0);
    proxy.restore();
    for (const c of customers.slice(2)) await emu.waitForMessage(c.id, undefined, 30_000);
    windows.push({ name: 'database cut', from, to: app.lines.length, failed });
  }, 60_000);

  it('an API request refused (404) is logged with its reason', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/contacts/99999999`, { headers: { authorization: `Bearer ${secrets.ADMIN_TOKEN}` } });
    expect(res.status).toBe(404);
    await waitFor(async () => app.logs.find((l) => l.msg === 'request refused'), 5000);
  });

  it('every line: JSON of at most 4 KB, one msg key, no secret, no phone, no name, no text; at most 4 KB of log per failed update', async () => {
    await app.stop();
    const lines = app.lines;
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => /"level":(50|40)/.test(l))).toBe(true);
    const problems: string[] = [];
    for (const line of lines) {
      const head = line.slice(0, 300);
      try {
        JSON.parse(line);
      } catch {
        problems.push(`not JSON: ${head}`);
      }
      if (byteLength(line) > MAX_LINE_BYTES) problems.push(`${byteLength(line)} bytes: ${head}`);
      if (duplicateKeys(line).length) problems.push(`keys ${duplicateKeys(line).join(', ')} twice: ${head}`);
      for (const s of forbidden) if (line.includes(s)) problems.push(`"${s}" in ${head}`);
    }
    for (const w of windows) {
      const bytes = lines.slice(w.from, w.to).reduce((n, l) => n + byteLength(l) + 1, 0);
      if (bytes / w.failed > 4096) problems.push(`${w.name}: ${bytes} bytes of log for ${w.failed} failed updates`);
    }
    expect(problems.slice(0, 40)).toEqual([]);
  }, 30_000);
});
