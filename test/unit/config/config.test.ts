import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/config.ts';

describe('config', () => {
  it('defaults to the embedded setup', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ DATA_DIR: './data', HTTP_PORT: 3000, TELEGRAM_MODE: 'polling', WHATSAPP_PROVIDER: 'off', TZ_COMPANY: 'Europe/Moscow' });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', REDIS_URL: ' ', HTTP_PORT: '' }).HTTP_PORT).toBe(3000);
  });

  it('names every bad variable in one error, without echoing secrets', () => {
    let err: unknown;
    try {
      parseConfig({
        HTTP_PORT: '70000',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        TZ_COMPANY: 'Mars/Olympus',
        TELEGRAM_MODE: 'carrier-pigeon',
        ADMIN_TOKEN: 'short',
        COMPANY_PRESET: 'bakery',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['ADMIN_TOKEN', 'COMPANY_PRESET', 'DATABASE_URL', 'HTTP_PORT', 'TELEGRAM_MODE', 'TZ_COMPANY']);
    expect((err as Error).message).not.toContain('hunter2');
    expect((err as Error).message).not.toContain('short');
    expect((err as Error).message).toContain('Mars/Olympus');
  });

  it('requires the webhook secret in webhook mode and the Cloud API settings for cloud', () => {
    expect(() => parseConfig({ TELEGRAM_MODE: 'webhook', TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' })).toThrow(/TELEGRAM_WEBHOOK_SECRET: is required/);
    expect(() => parseConfig({ WHATSAPP_PROVIDER: 'cloud', WHATSAPP_CLOUD_TOKEN: 't' })).toThrow(/WHATSAPP_CLOUD_PHONE_ID[\s\S]*WHATSAPP_APP_SECRET|WHATSAPP_APP_SECRET[\s\S]*WHATSAPP_CLOUD_PHONE_ID/);
    expect(parseConfig({ WHATSAPP_PROVIDER: 'cloud', WHATSAPP_CLOUD_TOKEN: 't', WHATSAPP_CLOUD_PHONE_ID: '1', WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v' }).WHATSAPP_PROVIDER).toBe('cloud');
  });
});
