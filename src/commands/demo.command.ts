import type { Logger } from 'pino';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { runCrmScenario } from '../demo/crm-scenario.ts';

/** Always embedded and in memory: the demo never touches a configured database. */
export async function demoCommand(_config: Config, logger: Logger): Promise<number> {
  const handle = await createDb({ DATA_DIR: 'memory://' });
  try {
    await handle.migrate();
    await runCrmScenario(handle.db, (line) => process.stdout.write(`${line}\n`));
    logger.debug('demo finished');
    return 0;
  } finally {
    await handle.close();
  }
}
