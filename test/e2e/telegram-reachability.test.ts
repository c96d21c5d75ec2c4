// Whether a customer can be written to on Telegram, kept from what Telegram tells the bot: he
// blocks it (my_chat_member: kicked), unblocks it (member), a send to him comes back 403, he
// writes again. Read back through the API, where a manager sees it on the contact's channels.
import type { RunnerHandle } from '@grammyjs/runner';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../bots/telegram/create-telegram-bot.ts';
import { startPolling } from '../../bots/telegram/polling.ts';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { contactIdentities, outboxMessages } from '../../db/schema/index.ts';
import { createDeliverer, type Deliverer } from '../../src/messaging/deliverer.ts';
import { enqueueOutbox } from '../../src/messaging/outbox.ts';
import { ADMIN_TOKEN, caller, staff, testApp } from '../integration/http/http-test-app.ts';
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { waitFor } from '../support/wait-for.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const TOKEN = '777301:TEST-TOKEN-ABCDEFGHIJKLMNOPQRSTU';
const silent = pino({ level: 'silent' });
describe('a Telegram customer reachable or not', () => {
  let t: TestDb;
  let emu: TelegramEmulator;
  let deliverer: Deliverer;
  let runner: RunnerHandle;
  const call = caller(() => testApp(t));

  beforeAll(async () => {
    t = await createTestPostgres('reachability');
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'chatcrm_reach_bot' }] });
    const { apiRoot } = await emu.start();
    deliverer = createDeliverer({ db: t.db, sender: createTelegramSender({ token: TOKEN, apiRoot }), logger: silent, pollMs: 50, backoffMs: 50 });
    await deliverer.start();
    runner = await startPolling(createTelegramBot({ db: t.db, token: TOKEN, apiRoot, deliverer, logger: silent, mode: 'polling' }));
  }, 60_000);
  afterAll(async () => {
    if (runner?.isRunning()) await runner.stop();
    await deliverer?.stop();
    await emu?.stop();
    await t?.drop();
  });

  const identityOf = async (userId: number) =>
    (await t.db.select().from(contactIdentities).where(and(eq(contactIdentities.channel, 'telegram'), eq(contactIdentities.externalId, String(userId)))))[0];
  const channelsOf = async (contactId: number, token = ADMIN_TOKEN) => {
    const res = await call('GET', `/api/v1/contacts/${contactId}/channels`, token);
    return { status: res.status, body: (await res.json()) as { items: Record<string, unknown>[] } };
  };

  /** He writes, is answered, and is a contact with one Telegram identity. */
  async function customerWrites(user: { id: number; first_name: string; language_code?: string }, text: string) {
    emu.userSends(TOKEN, { from: user, text });
    await emu.waitForMessage(user.id, undefined, 10_000);
    return waitFor(() => identityOf(user.id));
  }

  it('blocking the bot marks him unreachable at Telegram\'s time; unblocking clears it; the API shows both', async () => {
    const user = { id: 9301, first_name: 'Фёдор' };
    const identity = await customerWrites(user, 'Нужна доставка щебня');
    expect((await channelsOf(identity.contactId)).body.items).toEqual([
      expect.objectContaining({ channel: 'telegram', externalId: '9301', displayName: 'Фёдор', reachable: true, unreachableSince: null, unreachableReason: null }),
    ]);

    const blocked = emu.userBlocksBot(TOKEN, user);
    const marked = await waitFor(async () => (await identityOf(user.id))?.unreachableAt && (await identityOf(user.id)));
    expect(marked.unreachableReason).toBe('blocked the bot');
    expect(marked.unreachableAt!.getTime()).toBe(blocked.my_chat_member!.date * 1000);
    const seen = await channelsOf(identity.contactId);
    expect(seen.status).toBe(200);
    expect(seen.body.items[0]).toMatchObject({ reachable: false, unreachableSince: marked.unreachableAt!.toISOString(), unreachableReason: 'blocked the bot' });

    emu.userUnblocksBot(TOKEN, user);
    await waitFor(async () => (await identityOf(user.id))?.unreachableAt === null);
    expect((await channelsOf(identity.contactId)).body.items[0]).toMatchObject({ reachable: true, unreachableReason: null });
  });

  it('a send refused with 403 marks him; his next message clears it, and he is answered', async () => {
    const user = { id: 9302, first_name: 'Глеб' };
    await customerWrites(user, 'Есть ли паллеты?');
    // Blocked with no update reaching the bot (it was down then): only the send tells.
    emu.blockChat(user.id);
    const { row } = await enqueueOutbox(t.db, { idempotencyKey: 'reach:9302:1', channel: 'telegram', account: '777301', chatId: '9302', kind: 'text', method: 'sendMessage', params: { chat_id: 9302, text: 'Паллеты есть' } });
    deliverer.wake();
    const failed = await waitFor(async () => (await t.db.select().from(outboxMessages).where(eq(outboxMessages.id, row.id)))[0]?.status === 'failed');
    expect(failed).toBe(true);
    expect((await identityOf(user.id))!.unreachableReason).toMatch(/blocked by the user/);

    emu.unblockChat(user.id);
    const before = emu.sentMessages(user.id).length;
    emu.userSends(TOKEN, { from: user, text: 'Ау, вы тут?' });
    await waitFor(async () => emu.sentMessages(user.id).length > before);
    await waitFor(async () => (await identityOf(user.id))?.unreachableAt === null);
    expect(await identityOf(user.id)).toMatchObject({ unreachableReason: null });
  });

  it('the channels of a contact: 404 for none, 401 without a token, and a manager without rights to him is refused', async () => {
    expect((await channelsOf(999_999)).status).toBe(404);
    expect((await call('GET', '/api/v1/contacts/1/channels', null)).status).toBe(401);
    const identity = (await identityOf(9301))!;
    const stranger = await staff(t, 'Чужой менеджер', ['manager']);
    const res = await channelsOf(identity.contactId, stranger.token);
    expect(res.status).toBe(403);
  });
});
