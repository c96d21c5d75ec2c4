// Real errors through the project's logger: grammY's BotError around a real Context whose api
// holds the token, GrammyError and HttpError from real calls to the Bot API emulator, drizzle's
// DrizzleQueryError from failing statements on Postgres and on PGlite with a customer's phone
// in their parameters. Each line: what helps (ids, method, SQLSTATE, constraint, table), never
// the token, the phone, the name or a parameter, and at most 4 KB.
import { sql } from 'drizzle-orm';
import { Bot, BotError, type Context, GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../../db/schema/index.ts';
import { MAX_LINE_BYTES } from '../../../src/logger.ts';
import { byteLength, captureLogger } from '../../support/log-lines.ts';
import { TelegramEmulator } from '../../support/telegram-emulator.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

const TOKEN = '7700456:AAHserializerTestToken_0123456789abcdef';
const TOKEN_SECRET = TOKEN.split(':')[1]!;
const PHONE = '+79161230077';
const NAME = 'Евлампия';
const TEXT = 'Привезите кирпич на объект в Химках';
const never = [TOKEN, TOKEN_SECRET, PHONE, PHONE.slice(1), NAME, 'Химках'];

const expectSafe = (lines: string[]) => {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const s of never) expect(line, `"${s}" in ${line}`).not.toContain(s);
    expect(byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
  }
};

const customerUpdate = (updateId: number): Update =>
  ({
    update_id: updateId,
    message: { message_id: 1, date: 1_760_000_000, chat: { id: 4242, type: 'private', first_name: NAME }, from: { id: 4242, is_bot: false, first_name: NAME }, text: `${TEXT}, ${PHONE}` },
  }) as Update;

describe('logging real errors', () => {
  let emu: TelegramEmulator;
  let apiRoot: string;

  beforeAll(async () => {
    emu = new TelegramEmulator({ bots: [{ token: TOKEN, username: 'logs_serializer_bot' }], strictChats: true });
    ({ apiRoot } = await emu.start());
  });
  afterAll(async () => {
    await emu?.stop();
  });

  const newBot = () => new Bot<Context>(TOKEN, { client: { apiRoot }, botInfo: { id: 7700456, is_bot: true, first_name: 'Logs', username: 'logs_serializer_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false } as Bot['botInfo'] });

  it('a GrammyError from a failed sendMessage: method, code and description, not the text sent', async () => {
    const bot = newBot();
    const err = await bot.api.sendMessage(999_001, `${TEXT}, ${PHONE}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    const { log, lines } = captureLogger({ LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: TOKEN });
    log.error({ err }, 'platform refused a message');
    expectSafe(lines);
    const { err: logged } = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(logged).toMatchObject({ type: 'GrammyError', method: 'sendMessage', error_code: (err as GrammyError).error_code, description: (err as GrammyError).description });
    expect(lines[0]).not.toContain('кирпич');
  });

  it('an HttpError whose cause names the Bot API URL: the token is out, even for a logger told no secret', async () => {
    const bot = newBot();
    emu.failNext(1, 'network', { method: 'sendMessage' });
    const err = await bot.api.sendMessage(999_002, TEXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    // What a fetch error says of its URL, as undici and node-fetch word it.
    const cause = new Error(`request to ${apiRoot}/bot${TOKEN}/sendMessage failed, reason: socket hang up`);
    const wrapped = new HttpError("Network request for 'sendMessage' failed!", cause);
    for (const config of [{ LOG_LEVEL: 'info' as const }, { LOG_LEVEL: 'info' as const, TELEGRAM_BOT_TOKEN: TOKEN }]) {
      const { log, lines } = captureLogger(config);
      log.error({ err }, 'send failed');
      log.error({ err: wrapped }, 'send failed');
      expectSafe(lines);
      expect(JSON.parse(lines[1]!)).toMatchObject({ err: { type: 'HttpError', cause: { type: 'Error' } } });
    }
  });

  for (const kind of ['postgres', 'pglite'] as const) {
    describe(`on ${kind}`, () => {
      let t: TestDb;
      beforeAll(async () => {
        t = await createTestDb(kind, 'log_serializer');
      }, 60_000);
      afterAll(async () => {
        await t?.drop();
      });

      const failingInsert = () => t.db.insert(contacts).values({ firstName: NAME, phone: PHONE, comment: TEXT, companyId: 987_654_321 });

      it('a BotError around a real Context (its api holds the token) with a DrizzleQueryError inside: the inner error and the update id', async () => {
        const bot = newBot();
        bot.on('message', async () => {
          await failingInsert();
        });
        const caught = (await bot.handleUpdate(customerUpdate(55_001)).catch((e: unknown) => e)) as BotError<Context>;
        expect(caught).toBeInstanceOf(BotError);
        expect(caught.ctx.api.token).toBe(TOKEN);

        const { log, lines } = captureLogger({ LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: TOKEN });
        log.error({ err: caught, update: 55_001 }, 'update handling failed');
        log.error(caught);
        log.error({ err: caught.error }, 'handler failed');
        log.warn({ ctx: caught.ctx }, 'a context logged whole');
        expectSafe(lines);
        for (const line of lines) expect(line).not.toMatch(/params|кирпич|987654321/);

        const { err } = JSON.parse(lines[0]!) as { err: Record<string, unknown> & { cause: Record<string, unknown> } };
        expect(err).toMatchObject({ type: 'DrizzleQueryError', update_id: 55_001, chat_id: 4242 });
        expect(err.message).toBe('Failed query: insert into "contacts"');
        expect(err.cause).toMatchObject({ code: '23503', table: 'contacts' });
        expect(String(err.cause.constraint)).toMatch(/company_id/);
        expect(err.cause.detail).toBe('Key (company_id)=(…) is not present in table "companies".');
        expect(JSON.parse(lines[3]!)).toMatchObject({ ctx: { update_id: 55_001, chat_id: 4242 } });
      });

      it('a data error whose Postgres message quotes the value: the value is cut from the message', async () => {
        const err = await t.db.execute(sql`select ${PHONE}::int as n`).catch((e: unknown) => e);
        expect(String(((err as Error).cause as Error).message)).toContain(PHONE);
        const { log, lines } = captureLogger({ LOG_LEVEL: 'info' });
        log.error({ err }, 'query failed');
        expectSafe(lines);
        const logged = JSON.parse(lines[0]!) as { err: { cause: Record<string, unknown> } };
        expect(logged.err.cause).toMatchObject({ type: kind === 'postgres' ? 'PostgresError' : 'DatabaseError', code: '22003', message: 'value "…" is out of range for type integer' });
      });
    });
  }
});
