import type { Logger } from 'pino';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';

export async function migrateCommand(config: Config, logger: Logger): Promise<number> {
  const handle = await createDb(config);
  try {
    await handle.migrate();
    logger.info({ db: handle.kind }, 'migrations applied');
    return 0;
  } finally {
    await handle.close();
  }
}
