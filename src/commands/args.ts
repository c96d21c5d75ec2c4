import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createDb, type Db } from '../../db/client.ts';
import type { Config } from '../config.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util parseArgs, with its errors turned into a UsageError for a clean message. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Parses the arguments, or prints the problem and the usage and gives null (exit code 2). */
export function parseOrUsage<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseCommandArgs(args, options);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${usage}`);
      return null;
    }
    throw err;
  }
}

/** Opens the configured database, applies migrations, runs `fn`, and closes it whatever happens. */
export async function withMigratedDb<T>(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>, fn: (db: Db) => Promise<T>): Promise<T> {
  const handle = await createDb(config);
  try {
    await handle.migrate();
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}
