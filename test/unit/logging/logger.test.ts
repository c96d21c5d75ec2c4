// The logger's guarantees, whatever a call site passes: no configured secret and nothing shaped
// like one, at any depth; no customer text, name or phone above debug; no line over 4 KB; one
// msg key per line.
import { describe, expect, it } from 'vitest';
import { cut, createScrubber } from '../../../src/log-scrub.ts';
import { MAX_LINE_BYTES } from '../../../src/logger.ts';
import { byteLength, captureLogger, duplicateKeys } from '../../support/log-lines.ts';

const secrets = {
  TELEGRAM_BOT_TOKEN: '7700123:AAFlogsTestToken_abcdefghijklmnopqrstuvw',
  TELEGRAM_WEBHOOK_SECRET: 'tg-webhook-secret-4711',
  WHATSAPP_CLOUD_TOKEN: 'EAAGcloudtoken0123456789abcdefZZ',
  WHATSAPP_APP_SECRET: 'app-secret-f00dfeed',
  WHATSAPP_VERIFY_TOKEN: 'verify-token-8080',
  ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  LEADS_WEBHOOK_TOKEN: 'leads-token-0123456789abcdef',
  DATABASE_URL: 'postgres://chatcrm:db-pass-Xq7%23z@db.internal:5432/crm',
  REDIS_URL: 'redis://:redis-pass-9Kk@cache.internal:6379',
};
// What must never appear: the values, and the passwords as they are in the URL and decoded.
const forbidden = [
  secrets.TELEGRAM_BOT_TOKEN,
  'AAFlogsTestToken_abcdefghijklmnopqrstuvw',
  secrets.TELEGRAM_WEBHOOK_SECRET,
  secrets.WHATSAPP_CLOUD_TOKEN,
  secrets.WHATSAPP_APP_SECRET,
  secrets.WHATSAPP_VERIFY_TOKEN,
  secrets.ADMIN_TOKEN,
  secrets.LEADS_WEBHOOK_TOKEN,
  'db-pass-Xq7%23z',
  'db-pass-Xq7#z',
  'redis-pass-9Kk',
];
const config = { LOG_LEVEL: 'info' as const, ...secrets };

const expectClean = (lines: string[], extra: string[] = []) => {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const s of [...forbidden, ...extra]) expect(line, `"${s}" in ${line.slice(0, 300)}`).not.toContain(s);
    expect(byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(() => JSON.parse(line)).not.toThrow();
  }
};

describe('logger: secrets', () => {
  it('replaces every configured secret wherever it is: message, nested fields, errors and their causes, bindings, keys, format arguments', () => {
    const { log, lines } = captureLogger(config);
    const all = Object.values(secrets).join(' | ');
    log.info(`starting with ${all}`);
    log.info({ a: { b: { c: { note: all } } }, list: [[all]] }, 'nested');
    log.warn({ [secrets.ADMIN_TOKEN]: 1 }, 'a secret as a key');
    log.child({ via: all }).info('bindings');
    log.info('format %s and %o', all, { deep: all });
    const cause = Object.assign(new Error(`inner ${all}`), { config: { url: secrets.DATABASE_URL }, hint: all });
    log.error({ err: new Error(`outer ${all}`, { cause }) }, 'failed');
    log.error(new Error(all));
    log.error({ failure: { reason: new Error(all) } }, 'an error deeper than err');
    expectClean(lines);
    expect(lines.join('\n')).toContain('[redacted');
  });

  it('replaces what is shaped like a secret though nobody configured it: bot tokens in URLs, API tokens, signatures, Bearer headers, URL passwords', () => {
    const { log, lines } = captureLogger({ LOG_LEVEL: 'info' });
    const foreign = [
      'https://api.telegram.org/bot5550001:AAHforeignTokenZZZZZZZZZZZZZZZZZZZZZ/sendMessage',
      'ccrm_Q2hhdGNybVRva2VuMDEyMzQ1Njc4OWFi',
      'sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      'postgres://app:hunter2-long@10.0.0.5/crm',
    ];
    log.error({ err: new Error(`request to ${foreign[0]} failed`), seen: foreign.slice(1) }, foreign.join(' '));
    expectClean(lines, ['AAHforeignTokenZZZZZZZZZZZZZZZZZZZZZ', 'Q2hhdGNybVRva2VuMDEyMzQ1Njc4OWFi', '9f86d081884c7d659a2f', 'eyJhbGciOiJIUzI1NiJ9', 'hunter2-long']);
  });

  it('redacts fields named like secrets at any depth (token, authorization, signature, password)', () => {
    const { log, lines } = captureLogger({ LOG_LEVEL: 'info' });
    log.info({ req: { headers: { authorization: 'opaque-credential-1', 'x-hub-signature-256': 'opaque-credential-2' } }, deep: { a: { token: 'opaque-credential-3', password: 'opaque-credential-4' } } }, 'request');
    expectClean(lines, ['opaque-credential']);
  });

  it('a cut never leaves the start of a secret no pattern knows', () => {
    const unknownSecret = 'Zk9'.repeat(20);
    const s = `${'word '.repeat(118)}x${unknownSecret} tail`;
    const scrubbed = createScrubber([]).text(s, 600);
    expect(scrubbed).not.toContain('Zk9Zk9');
    expect(scrubbed).toContain(`[${s.length} chars]`);
    // A known token across the cut is recognised in full before the cut.
    const token = secrets.TELEGRAM_BOT_TOKEN;
    const t = `${'a '.repeat(290)}${token} and more`;
    expect(createScrubber([]).text(t, 600)).not.toMatch(/7700123|AAFlogs/);
    expect(cut('short', 600)).toBe('short');
  });
});

describe('logger: size', () => {
  it('no line exceeds 4 KB whatever is logged: a 3 MB error message, huge fields, wide and deep objects, cycles', () => {
    const { log, lines } = captureLogger(config);
    const phone = '+79161234567';
    const big = `${'груз '.repeat(600_000)}${phone}`;
    log.error({ err: new Error(big) }, 'a 3 MB error message');
    log.error(Object.assign(new Error('with a big property'), { blob: big, nested: { more: big } }));
    log.warn({ body: big, text: big, other: big }, 'big fields');
    log.info(big);
    const wide: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) wide[`k${i}`] = 'v'.repeat(600);
    log.info({ wide }, 'wide');
    log.info({ many: Array.from({ length: 100_000 }, (_, i) => ({ i, s: 'x'.repeat(500) })) }, 'long array');
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 1000; i++) deep = { deep };
    log.info({ deep }, 'deep');
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    log.info({ cyclic }, 'cycle');
    const fields: Record<string, string> = {};
    for (let i = 0; i < 24; i++) fields[`f${i}`] = `${i} `.repeat(300);
    log.info(fields, 'many fields, each under the string cap');
    expect(lines).toHaveLength(9);
    expectClean(lines, [phone]);
    const first = JSON.parse(lines[0]!) as { err: { message: string } };
    expect(first.err.message).toContain(`[${big.length} chars]`);
  });
});

describe('logger: customer data', () => {
  const update = {
    update_id: 90001,
    message: {
      message_id: 3,
      from: { id: 42, first_name: 'Евлампий', last_name: 'Тестов', username: 'evlampiy_t' },
      chat: { id: 42, type: 'private' },
      text: 'Нужна доставка цемента, звоните +79161234567',
      contact: { phone_number: '+79161234500', first_name: 'Евлампий' },
    },
  };
  const customer = ['Евлампий', 'Тестов', 'evlampiy_t', 'цемента', '+79161234567', '79161234500'];

  it('above debug, a customer text, name or phone is its size, ids stay; at debug they are written (secrets still not)', () => {
    const { log, lines } = captureLogger(config);
    log.info({ update }, 'update');
    log.error({ update, contact: { name: 'Евлампий Тестов', phone: '+79161234567' } }, 'failed');
    expectClean(lines, customer);
    const parsed = JSON.parse(lines[0]!) as { update: typeof update };
    expect(parsed.update.update_id).toBe(90001);
    expect(parsed.update.message.from.id).toBe(42);
    expect(parsed.update.message.text).toBe(`[${update.message.text.length} chars]`);

    const debug = captureLogger({ ...config, LOG_LEVEL: 'debug' });
    debug.log.debug({ update, token: secrets.TELEGRAM_BOT_TOKEN }, 'update');
    expectClean(debug.lines);
    expect(debug.lines[0]).toContain('цемента');
    expect(debug.lines[0]).toContain('Евлампий');
  });
});

describe('logger: failed queries as text', () => {
  it("drizzle's failed-query message keeps its statement and loses its parameters, wherever it is (a stored lastError, a message)", () => {
    const { log, lines } = captureLogger(config);
    const failure = 'Error: Failed query: insert into "inbound_messages" ("text") values ($1)\nparams: Привезите "щебень", +79161234567,\nвторая строка';
    log.warn({ inbound: 7, lastError: failure }, 'handling a stored message again');
    log.error(`handling failed: ${failure}`);
    expectClean(lines, ['щебень', '79161234567', 'вторая строка']);
    expect(lines[0]).toContain('insert into \\"inbound_messages\\"');
    expect(lines[0]).toContain('params: [omitted]');
  });
});

describe('logger: keys', () => {
  it('no line carries two msg keys (nor two level or time keys), whatever the fields are named', () => {
    const { log, lines } = captureLogger(config);
    log.info({ code: 'not_found', msg: 'contact 5 not found' }, 'request refused');
    log.warn({ level: 'high', time: 5 }, 'fields named as pino names its own');
    log.child({ msg: 'bound' }).info('child');
    log.info({ msg: 'the only message' });
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(duplicateKeys(line), line).toEqual([]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'request refused', msg_: 'contact 5 not found' });
    expect(JSON.parse(lines[3]!)).toMatchObject({ msg: 'the only message' });
  });
});
