import type { Logger } from 'pino';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { parseOrUsage } from './args.ts';

export const usage = 'usage: chatcrm migrate   apply pending database migrations (chatcrm start applies them too)\n';

export async function migrateCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, {}, usage);
  if (!parsed) return 2;
  if (parsed.positionals.length > 0) {
    process.stderr.write(`migrate takes no argument: "${parsed.positionals[0]}"\n${usage}`);
    return 2;
  }
  const handle = await createDb(config);
  try {
    await handle.migrate();
    logger.info({ db: handle.kind }, 'migrations applied');
    return 0;
  } finally {
    await handle.close();
  }
}
