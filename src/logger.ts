import { pino, type Logger } from 'pino';
import { secretValues, type Config } from './config.ts';
import { createScrubber, cut } from './log-scrub.ts';
import { createSanitizer, isError } from './log-serializers.ts';

export type { Logger };

/** No line is longer: whatever is logged, the log grows by at most this per call. */
export const MAX_LINE_BYTES = 4096;
const MAX_MESSAGE = 300;
const DEBUG = 20;

export type LoggerConfig = Pick<Config, 'LOG_LEVEL'> & Partial<Config>;

/**
 * Root logger; per update, request and job the callers take `logger.child({...})`. Whatever a
 * call passes goes through the sanitizer before pino sees it (errors at any depth, secrets,
 * customer fields above debug, sizes), and every finished line through the scrubber (the
 * configured secrets and the shapes of secrets) and the line cap. Call sites should still
 * log ids and sizes: this is the guarantee when one does not.
 */
export function createLogger(config: LoggerConfig, destination?: NodeJS.WritableStream): Logger {
  const scrubber = createScrubber(secretValues(config));
  const sanitize = createSanitizer(scrubber);

  const prepare = (args: unknown[], level: number): unknown[] => {
    const keepCustomer = level <= DEBUG;
    const out = args.map((a, i) => {
      if (typeof a === 'string') return sanitize.text(a, i === 0 || i === 1 ? MAX_MESSAGE : 600);
      if (i > 0) return sanitize.value(a, keepCustomer);
      return a;
    });
    let first = out[0];
    if (isError(first)) first = { err: first };
    if (first !== null && typeof first === 'object') {
      // Without a message argument, a msg field is the message (pino's convention).
      out[0] = renamed(sanitize.fields(first, keepCustomer), out[1] !== undefined ? ['level', 'time', 'app', 'msg'] : ['level', 'time', 'app']);
    }
    return out;
  };

  const logger = pino(
    {
      level: config.LOG_LEVEL,
      base: { app: 'chatcrm' },
      serializers: { err: (e: unknown) => (isError(e) ? sanitize.error(e) : e) },
      hooks: {
        logMethod(args, method, level) {
          method.apply(this, prepare(args, level) as Parameters<typeof method>);
        },
        streamWrite: (line) => fitLine(scrubber.line(line)),
      },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
  // pino applies no formatter to a child's bindings; every child is made through the root's
  // `child` (children inherit it), so their bindings are sanitized here, once per child.
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]) {
    return child.call(this, renamed(sanitize.fields(bindings, false), ['level', 'time', 'msg']), options);
  } as Logger['child'];
  return logger;
}

/**
 * pino writes its own level, time, app and msg keys: a field of one of these names would be a
 * second key of that name in the line. It is written as `<name>_`.
 */
function renamed(fields: Record<string, unknown>, reserved: string[]): Record<string, unknown> {
  for (const key of reserved) {
    if (key in fields) {
      fields[`${key}_`] = fields[key];
      delete fields[key];
    }
  }
  return fields;
}

/** The line as is when it fits in MAX_LINE_BYTES; else its strings shortened, else its essentials. */
export function fitLine(line: string): string {
  if (line.length * 3 <= MAX_LINE_BYTES) return line;
  const bytes = Buffer.byteLength(line);
  if (bytes <= MAX_LINE_BYTES) return line;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${JSON.stringify({ level: 50, time: Date.now(), app: 'chatcrm', msg: 'a log line was not JSON and was dropped', bytes })}\n`;
  }
  for (const max of [160, 40]) {
    const shorter = JSON.stringify({ ...(shrink(parsed, max, 0) as object), truncatedFrom: bytes });
    if (Buffer.byteLength(shorter) < MAX_LINE_BYTES) return `${shorter}\n`;
  }
  const err = parsed.err as { type?: unknown; message?: unknown } | undefined;
  const essentials = {
    level: parsed.level,
    time: parsed.time,
    app: parsed.app,
    ...(err && typeof err === 'object' ? { err: { type: String(err.type ?? ''), message: cut(String(err.message ?? ''), 160) } } : {}),
    msg: cut(String(parsed.msg ?? ''), 160),
    truncatedFrom: bytes,
  };
  return `${JSON.stringify(essentials)}\n`;
}

function shrink(v: unknown, max: number, depth: number): unknown {
  if (typeof v === 'string') return cut(v, max);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= 3) return Array.isArray(v) ? `[array of ${v.length}]` : '[object]';
  if (Array.isArray(v)) return v.slice(0, 5).map((x) => shrink(x, max, depth + 1));
  return Object.fromEntries(
    Object.entries(v)
      .slice(0, 16)
      .map(([k, x]) => [cut(k, 40), shrink(x, max, depth + 1)]),
  );
}
