// 1,000 queued messages; the deliverer process is killed with SIGKILL half-way and started
// again. The emulator's record is the witness: nothing is missing, and a message went out
// twice only if its call was in flight at the kill — at most the deliverer's concurrency,
// each such row marked possibly duplicated.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages } from '../../db/schema/index.ts';
import { enqueueOutbox } from '../../src/messaging/outbox.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const TOKEN = '777100:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const N = 1000;
const CONCURRENCY = 8;
const root = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startDeliverer(url: string, apiRoot: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/run-deliverer.ts', url, TOKEN, apiRoot, String(CONCURRENCY), 'fast'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`deliverer exited with ${code} before it was ready`)));
  });
}

describe('outbox deliverer killed with SIGKILL half-way', () => {
  let t: TestDb;
  let emu: TelegramEmulator;
  let apiRoot: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    t = await createTestPostgres('outbox_crash');
    // The platform's limits are not the subject here; a slow emulator answer keeps calls in flight.
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'chatcrm_crash_bot' }], limits: { enabled: false } });
    ({ apiRoot } = await emu.start());
    for (let i = 0; i < N; i++) {
      await enqueueOutbox(t.db, {
        idempotencyKey: `crash-test:${i}`,
        channel: 'telegram',
        account: '777100',
        chatId: String(100_000 + i),
        kind: 'text',
        method: 'sendMessage',
        params: { chat_id: 100_000 + i, text: `message ${i}` },
      });
    }
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await emu?.stop();
    await t?.drop();
  });

  it('none missing after a restart, duplicates only among the calls in flight', async () => {
    child = await startDeliverer(t.url!, apiRoot);
    while (emu.sentMessages().length < N / 2) await sleep(5);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const atKill = emu.sentMessages().length;
    expect(atKill).toBeGreaterThanOrEqual(N / 2);
    expect(atKill).toBeLessThan(N);

    child = await startDeliverer(t.url!, apiRoot);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const pending = await t.db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.status, 'queued'));
      const sending = await t.db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.status, 'sending'));
      if (pending.length === 0 && sending.length === 0) break;
      if (Date.now() > deadline) throw new Error(`still ${pending.length} queued, ${sending.length} sending`);
      await sleep(100);
    }
    child.kill('SIGTERM');

    const perChat = new Map<number, number>();
    for (const m of emu.sentMessages()) perChat.set(m.chat.id, (perChat.get(m.chat.id) ?? 0) + 1);
    const missing = Array.from({ length: N }, (_, i) => 100_000 + i).filter((chat) => !perChat.has(chat));
    expect(missing).toEqual([]);
    const twice = [...perChat].filter(([, n]) => n > 1).map(([chat]) => String(chat));
    const rows = await t.db.select().from(outboxMessages);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const marked = rows.filter((r) => r.possiblyDuplicated).map((r) => r.chatId);
    for (const chat of twice) expect(marked).toContain(chat);
    expect(marked.length).toBeLessThanOrEqual(CONCURRENCY);
    expect([...perChat.values()].every((n) => n <= 2)).toBe(true);
    console.log(`[outbox-crash] sent before the kill: ${atKill}; sent twice: ${twice.length}; marked possibly duplicated: ${marked.length}`);
  }, 120_000);
});
