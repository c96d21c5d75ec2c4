import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** Root logger; per update, request and job the callers take `logger.child({...})`. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { app: 'chatcrm' },
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
