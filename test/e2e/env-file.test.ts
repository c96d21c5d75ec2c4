// `.env` of the working directory is read at start, under the real environment: a bot token
// put there turns Telegram on, a variable set in the environment wins over the file, the
// start log says which file and how many variables (never a value), and a malformed file is
// one line naming the file and the line, exit 1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnChatcrm, type ChatcrmProcess } from '../support/spawn-chatcrm.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const TOKEN = '7700999:AAHenvFileToken_abcdefghijklmnopqrstuvwxyz';
const ADMIN_TOKEN = 'env-file-admin-token-0123456789';

describe('.env in the working directory', () => {
  let t: TestDb;
  let emu: TelegramEmulator;
  let app: ChatcrmProcess;
  let dir: string;
  let port: number;

  beforeAll(async () => {
    t = await createTestPostgres('e2e_env');
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'env_file_bot' }] });
    const { apiRoot } = await emu.start();
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'chatcrm-env-'));
    writeFileSync(
      join(dir, '.env'),
      [
        '# chatcrm settings of this folder',
        `DATABASE_URL=${t.url}`,
        `TELEGRAM_BOT_TOKEN=${TOKEN}`,
        `TELEGRAM_API_ROOT="${apiRoot}"`,
        `export ADMIN_TOKEN='${ADMIN_TOKEN}'`,
        '',
        'HTTP_PORT=1',
        'LOG_LEVEL=error',
      ].join('\n'),
    );
    // HTTP_PORT and LOG_LEVEL set in the real environment too: these win.
    app = spawnChatcrm(['start'], { HTTP_PORT: String(port), LOG_LEVEL: 'info' }, { cwd: dir });
    await app.waitForLog((l) => l.msg === 'telegram polling', 60_000);
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await emu?.stop();
    await t?.drop();
  }, 30_000);

  it('is read: Telegram runs with the token from the file and answers a customer', async () => {
    emu.userSends(TOKEN, { from: { id: 77_001, first_name: 'Ян' }, text: 'Здравствуйте' });
    const reply = await emu.waitForMessage(77_001, undefined, 15_000);
    expect(reply.text).toBeTruthy();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/contacts`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('the real environment wins over the file; the start log names the file and counts, never a value', () => {
    expect(app.logs.find((l) => l.msg === 'HTTP listening')).toMatchObject({ port });
    // LOG_LEVEL=error in the file would have hidden every info line.
    const read = app.logs.find((l) => l.msg === '.env read');
    expect(read).toMatchObject({ level: 30, file: join(dir, '.env'), variables: 6, overriddenByEnvironment: 2 });
    for (const line of app.lines) {
      expect(line).not.toContain(TOKEN.split(':')[1]);
      expect(line).not.toContain(ADMIN_TOKEN);
    }
  });

  it('a malformed .env is one line naming the file and the line, exit 1', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'chatcrm-env-bad-'));
    writeFileSync(join(bad, '.env'), `LOG_LEVEL=info\nTELEGRAM_BOT_TOKEN ${TOKEN}\n`);
    const p = spawnChatcrm(['migrate'], {}, { cwd: bad });
    expect(await p.waitExit()).toBe(1);
    expect(p.lines).toEqual([`chatcrm: ${join(bad, '.env')}:2: expected NAME=value (the line is not shown: it may hold a secret)`]);
  });

  it('without .env nothing is said of it', async () => {
    const none = mkdtempSync(join(tmpdir(), 'chatcrm-env-none-'));
    const p = spawnChatcrm(['migrate'], { DATABASE_URL: t.url! }, { cwd: none });
    expect(await p.waitExit()).toBe(0);
    expect(p.lines.some((l) => l.includes('.env'))).toBe(false);
    expect(p.logs.find((l) => l.msg === 'migrations applied')).toBeDefined();
  }, 30_000);
});
