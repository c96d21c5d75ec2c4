import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvFileError, parseConfig, readEnvironment, secretValues } from '../../../src/config.ts';

const folderWith = (content: string | null) => {
  const dir = mkdtempSync(join(tmpdir(), 'chatcrm-envfile-'));
  if (content !== null) writeFileSync(join(dir, '.env'), content);
  return dir;
};

describe('.env', () => {
  it('is read under the real environment: a variable set in both takes the real value', () => {
    const dir = folderWith('# comment\n\nHTTP_PORT=1\nexport TELEGRAM_MODE=webhook\r\nLOG_LEVEL=warn\n');
    const { env, envFile } = readEnvironment(dir, { HTTP_PORT: '8080', PATH: '/bin' });
    expect(env).toMatchObject({ HTTP_PORT: '8080', TELEGRAM_MODE: 'webhook', LOG_LEVEL: 'warn', PATH: '/bin' });
    expect(envFile).toEqual({ path: join(dir, '.env'), variables: 3, overridden: 1 });
    expect(parseConfig(env).HTTP_PORT).toBe(8080);
  });

  it('takes quoted values, a value over several lines, a byte order mark, and leaves process.env alone', () => {
    const dir = folderWith('\uFEFFADMIN_TOKEN="abc def # not a comment"\nWHATSAPP_APP_SECRET=\'single\'\nTELEGRAM_WEBHOOK_SECRET="multi\nline"\n');
    const before = { ...process.env };
    const { env } = readEnvironment(dir, {});
    expect(env).toEqual({ ADMIN_TOKEN: 'abc def # not a comment', WHATSAPP_APP_SECRET: 'single', TELEGRAM_WEBHOOK_SECRET: 'multi\nline' });
    expect(process.env).toEqual(before);
  });

  it('is optional: without it the environment is the real one and nothing is read', () => {
    const real = { LOG_LEVEL: 'info' };
    expect(readEnvironment(folderWith(null), real)).toEqual({ env: real, envFile: null });
  });

  it('a line that is not NAME=value, or a quote never closed, is an error naming the file and the line, not the value', () => {
    const stray = folderWith('LOG_LEVEL=info\nTELEGRAM_BOT_TOKEN 123456:SECRETSECRETSECRETSECRET\n');
    expect(() => readEnvironment(stray, {})).toThrow(new EnvFileError(`${join(stray, '.env')}:2: expected NAME=value (the line is not shown: it may hold a secret)`));
    const open = folderWith('ADMIN_TOKEN="never closed\nLOG_LEVEL=info\n');
    expect(() => readEnvironment(open, {})).toThrow(`${join(open, '.env')}:1: the quote opened here is never closed`);
    const unreadable = folderWith(null);
    mkdirSync(join(unreadable, '.env'));
    expect(() => readEnvironment(unreadable, {})).toThrow(`${join(unreadable, '.env')}: cannot be read (EISDIR)`);
  });
});

describe('secretValues', () => {
  it('the tokens whole and the passwords of the URLs, for the logger to keep out', () => {
    expect(
      secretValues({ TELEGRAM_BOT_TOKEN: '1:abc', DATABASE_URL: 'postgres://u:p%40ss@h/db', REDIS_URL: 'redis://h:6379', ADMIN_TOKEN: 'admin-token-0123456789', LOG_LEVEL: 'info' }).sort(),
    ).toEqual(['1:abc', 'admin-token-0123456789', 'p%40ss'].sort());
  });
});
