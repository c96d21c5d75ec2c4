// The one place that reads the environment. Everything else receives a parsed Config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

export const roles = ['all', 'web', 'worker', 'bot'] as const;
export type Role = (typeof roles)[number];
export const telegramModes = ['polling', 'webhook'] as const;
export const whatsappProviders = ['off', 'baileys', 'cloud'] as const;
export const presetNames = ['dealer', 'b2b-supply', 'accessories', 'freight', 'lab'] as const;
export type PresetName = (typeof presetNames)[number];
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (protocols: RegExp, hint: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => {
        try {
          return protocols.test(new URL(v).protocol);
        } catch {
          return false;
        }
      }, hint)
      .optional(),
  );

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    DATABASE_URL: optionalUrl(/^postgres(ql)?:$/, 'must be a postgres:// or postgresql:// URL'),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    REDIS_URL: optionalUrl(/^rediss?:$/, 'must be a redis:// or rediss:// URL'),
    /** Redis key prefix of the job queues; processes that share work share the prefix. */
    QUEUE_PREFIX: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -').default('chatcrm')),
    /** How long a stopping process waits for running work before it gives up. */
    SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).max(60_000).default(4000)),
    HTTP_PORT: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(0).max(65535, 'must be a port 0..65535').default(3000),
    ),
    /** Address the HTTP server binds: loopback by default, 0.0.0.0 (every interface) in containers and behind a proxy. */
    HTTP_HOST: z.preprocess(emptyToUndefined, z.string().regex(/^[\w.:%-]{1,255}$/, 'must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1')),
    /** Time a client has to send a whole request (headers and body); a slower one is cut. */
    HTTP_REQUEST_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1000).max(600_000).default(30_000)),
    /** Time a client has to send the request headers. */
    HTTP_HEADERS_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1000).max(600_000).default(10_000)),
    /** How long an idle kept-alive connection stays open; above the idle timeout of a proxy in front. */
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(600_000).default(5000)),
    /** Open connections the HTTP server accepts at once; more are dropped as they connect. */
    HTTP_MAX_CONNECTIONS: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number' }).int().min(1).max(100_000).default(512)),
    /** Bearer token for GET /metrics; unset: only clients on this machine (loopback) may read it. */
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    TELEGRAM_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^\d+:[\w-]{20,}$/, 'must look like 123456:ABC-DEF... (the token BotFather gave)').optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(
      emptyToUndefined,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://api.telegram.org'),
    ),
    TELEGRAM_MODE: z.preprocess(emptyToUndefined, z.enum(telegramModes).default('polling')),
    TELEGRAM_WEBHOOK_SECRET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
        .optional(),
    ),
    /** Public URL of /webhooks/telegram; when set, the web process registers it with Telegram. */
    TELEGRAM_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    WHATSAPP_PROVIDER: z.preprocess(emptyToUndefined, z.enum(whatsappProviders).default('off')),
    WHATSAPP_CLOUD_API_ROOT: z.preprocess(
      emptyToUndefined,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://graph.facebook.com/v21.0'),
    ),
    WHATSAPP_CLOUD_TOKEN: optionalString,
    WHATSAPP_CLOUD_PHONE_ID: optionalString,
    WHATSAPP_APP_SECRET: optionalString,
    /** Token Meta sends in the Cloud webhook verification handshake. */
    WHATSAPP_VERIFY_TOKEN: optionalString,
    /** Messages a second the Cloud number may send (Meta's default 80); chatcrm uses 80% of it. */
    WHATSAPP_CLOUD_THROUGHPUT: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number' }).int().min(1).max(10_000).optional()),
    /** Name of the WhatsApp Web (Baileys) account whose credentials are kept in Postgres. */
    WHATSAPP_BAILEYS_ACCOUNT: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -').default('default')),
    /** Baileys pacing (ban safety): messages a minute and a day. */
    WHATSAPP_BAILEYS_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number' }).int().min(1).max(60).default(20)),
    WHATSAPP_BAILEYS_DAILY_CAP: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'must be a number' }).int().min(1).default(1000)),
    COMPANY_PRESET: z.preprocess(emptyToUndefined, z.enum(presetNames).optional()),
    TZ_COMPANY: z.preprocess(
      emptyToUndefined,
      z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow').default('Europe/Moscow'),
    ),
    ADMIN_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    /** Shared secret of POST /webhooks/leads/:source (header X-Chatcrm-Token); unset: that webhook answers 503. */
    LEADS_WEBHOOK_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(logLevels).default('info')),
  })
  .superRefine((c, ctx) => {
    if (c.TELEGRAM_MODE === 'webhook' && c.TELEGRAM_BOT_TOKEN && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_MODE=webhook',
      });
    }
    if (c.WHATSAPP_PROVIDER === 'cloud') {
      for (const key of ['WHATSAPP_CLOUD_TOKEN', 'WHATSAPP_CLOUD_PHONE_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when WHATSAPP_PROVIDER=cloud' });
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

// Values never echoed in error messages nor written in logs: they are or carry credentials.
export const secretVariables = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'WHATSAPP_CLOUD_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'ADMIN_TOKEN',
  'LEADS_WEBHOOK_TOKEN',
  'METRICS_TOKEN',
]);

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

/** Parses an environment-like record; throws ConfigError naming every bad variable and why. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const key = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const value = key && !secretVariables.has(key) ? env[key] : undefined;
    const shown = value === undefined ? '' : ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
    return `${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigError(problems, { cause: result.error });
}

/** The secret values of a configuration, for the logger to keep out of every line: passwords of the URLs, the tokens whole. */
export function secretValues(config: Partial<Record<string, unknown>>): string[] {
  const values: string[] = [];
  for (const key of secretVariables) {
    const value = config[key];
    if (typeof value !== 'string' || !value) continue;
    if (key.endsWith('_URL')) {
      try {
        const password = new URL(value).password;
        if (password) values.push(password);
      } catch {
        // not a URL: parseConfig refuses it
      }
    } else values.push(value);
  }
  return values;
}

/** A `.env` file that cannot be read or parsed; the message names the file and the line, never a value. */
export class EnvFileError extends Error {
  override name = 'EnvFileError';
}

export interface EnvFile {
  path: string;
  /** Variables the file sets. */
  variables: number;
  /** Of those, set in the real environment too, which wins. */
  overridden: number;
}

export interface Environment {
  env: Record<string, string | undefined>;
  /** The `.env` read, or null when the working directory has none. */
  envFile: EnvFile | null;
}

/**
 * The process environment over `.env` of the working directory: a variable set in the real
 * environment wins over the file. process.env is left as it is (nothing else reads it).
 * Node's own parser (util.parseEnv) reads the file, after a check that every line is a
 * NAME=value, a comment or blank: parseEnv takes a stray line silently as a variable.
 */
export function readEnvironment(cwd = process.cwd(), real: Record<string, string | undefined> = process.env): Environment {
  const path = resolve(cwd, '.env');
  let content: string;
  try {
    content = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { env: real, envFile: null };
    throw new EnvFileError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  checkEnvFile(path, content);
  const fromFile = parseEnv(content);
  const names = Object.keys(fromFile);
  return {
    env: { ...fromFile, ...real },
    envFile: { path, variables: names.length, overridden: names.filter((n) => real[n] !== undefined).length },
  };
}

function checkEnvFile(path: string, content: string): void {
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*(.*)$/.exec(line);
    if (!m) throw new EnvFileError(`${path}:${i + 1}: expected NAME=value (the line is not shown: it may hold a secret)`);
    const value = m[1]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) < 0) {
      // A quoted value may run over several lines; it must end.
      let j = i + 1;
      while (j < lines.length && !lines[j]!.includes(quote)) j++;
      if (j === lines.length) throw new EnvFileError(`${path}:${i + 1}: the quote opened here is never closed`);
      i = j;
    }
  }
}

/** The process environment (over `.env` of the working directory), read once at the process entry. */
export function loadConfig(): Config {
  return parseConfig(readEnvironment().env);
}
