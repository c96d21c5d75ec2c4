// A stop while an update is being handled, through real processes: chatcrm polls the Telegram
// emulator through a proxy that holds its sendMessage calls unanswered, so the customer's
// update is still being handled when SIGTERM comes. Work that finishes within
// SHUTDOWN_TIMEOUT_MS finishes (the reply goes out) and the process exits 0; work that does not
// is named in one log line and the process exits 1 at the deadline; a second signal exits at
// once. On the embedded database and on Postgres with Redis.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHoldProxy, type HoldProxy } from '../support/hold-proxy.ts';
import { freePort, spawnChatcrm, type ChatcrmProcess } from '../support/spawn-chatcrm.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

// One bot per scenario: a stopped process leaves its held update unconfirmed, and another bot
// keeps it from being fetched again by the next process.
const tokens = ['771001', '771002', '771003', '771004', '771005'].map((id) => `${id}:STOP-TEST-TOKEN-ABCDEFGHIJKLMNOP`);
// The exit is measured from the signal; the process may also take a little to flush and end.
const EXIT_MARGIN_MS = 700;

describe('stopping with an update in hand', () => {
  let emu: TelegramEmulator;
  let proxy: HoldProxy;
  let pg: TestDb;
  const dataDir = mkdtempSync(join(tmpdir(), 'chatcrm-stop-'));
  const prefix = `e2e-stop-${randomBytes(4).toString('hex')}`;
  let user = 9100;

  beforeAll(async () => {
    emu = new TelegramEmulator({ bots: tokens.map((token, i) => ({ token, username: `stop_test_${i}_bot` })) });
    const { apiRoot } = await emu.start();
    proxy = await startHoldProxy(apiRoot);
    pg = await createTestPostgres('e2e_stop');
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await emu?.stop();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const databases = {
    embedded: () => ({ DATA_DIR: dataDir }),
    'Postgres and Redis': () => ({ DATABASE_URL: pg.url!, REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: prefix }),
  };

  /** chatcrm polling the bot, a customer's message in hand: its reply held by the proxy. */
  async function handling(token: string, env: Record<string, string>, timeoutMs: number): Promise<{ p: ChatcrmProcess; chat: number }> {
    proxy.release();
    const p = spawnChatcrm(['start'], { ...env, HTTP_PORT: String(await freePort()), TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: proxy.url, SHUTDOWN_TIMEOUT_MS: String(timeoutMs) });
    await p.waitForLog((l) => l.msg === 'HTTP listening', 60_000);
    proxy.hold(/\/sendMessage$/);
    const chat = ++user;
    emu.userSends(token, { from: { id: chat, first_name: 'Ольга' }, text: 'Нужна доставка в Тверь' });
    await proxy.waitHeld(1);
    return { p, chat };
  }

  for (const [label, env] of Object.entries(databases)) {
    describe(label, () => {
      it('finishes the update in hand within SHUTDOWN_TIMEOUT_MS and exits 0', async () => {
        const { p, chat } = await handling(label === 'embedded' ? tokens[0]! : tokens[1]!, env(), 4000);
        setTimeout(() => proxy.release(), 1000);
        const { code, ms } = await p.stop('SIGTERM');
        console.log(`[stop-in-flight] ${label}, work finishing after 1 s: exit ${code} in ${ms} ms`);
        expect(code).toBe(0);
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(4000 + EXIT_MARGIN_MS);
        expect(emu.sentMessages(chat)).toHaveLength(1);
        expect(p.logs.some((l) => l.msg === 'stopped')).toBe(true);
        expect(p.logs.filter((l) => Number(l.level) >= 40)).toEqual([]);
      }, 90_000);

      it('exits 1 at the deadline when the update is still in hand, naming it in one line', async () => {
        const { p, chat } = await handling(label === 'embedded' ? tokens[2]! : tokens[3]!, env(), 2000);
        const { code, ms } = await p.stop('SIGTERM');
        console.log(`[stop-in-flight] ${label}, work stuck: exit ${code} in ${ms} ms`);
        expect(code).toBe(1);
        // The work had the deadline less the share kept for the queue and the database (500 ms of 2 s).
        expect(ms).toBeGreaterThanOrEqual(1400);
        expect(ms).toBeLessThan(2000 + EXIT_MARGIN_MS);
        const timedOut = p.logs.filter((l) => String(l.msg).startsWith('work still running at the stop deadline'));
        expect(timedOut).toHaveLength(1);
        expect(timedOut[0]!.stillRunning).toEqual(['telegram (1 update being handled)']);
        expect(p.logs.some((l) => l.msg === 'stopped')).toBe(false);
        expect(emu.sentMessages(chat)).toHaveLength(0);
      }, 90_000);
    });
  }

  it('a second signal exits at once', async () => {
    const { p } = await handling(tokens[4]!, databases['Postgres and Redis'](), 20_000);
    p.child.kill('SIGTERM');
    await p.waitForLog((l) => l.msg === 'stopping');
    const { code, ms } = await p.stop('SIGINT');
    console.log(`[stop-in-flight] second signal: exit ${code} in ${ms} ms`);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(1500);
    expect(p.logs.find((l) => l.msg === 'second signal: exiting now')).toMatchObject({ stillRunning: ['telegram (1 update being handled)'] });
  }, 90_000);
});
