import type { Logger } from 'pino';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { createApiToken } from '../crm/api-tokens.ts';
import { NotFoundError } from '../crm/errors.ts';
import { parseCommandArgs, UsageError } from './args.ts';

const usage = 'usage: chatcrm token create --user <id> [--label <text>]\n';

export async function tokenCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandArgs(args, { user: { type: 'string' }, label: { type: 'string' } });
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${usage}`);
      return 2;
    }
    throw err;
  }
  const userId = Number(parsed.values.user);
  if (parsed.positionals[0] !== 'create' || !Number.isInteger(userId) || userId <= 0) {
    process.stderr.write(usage);
    return 2;
  }
  const handle = await createDb(config);
  try {
    await handle.migrate();
    const { token, id } = await createApiToken(handle.db, systemActor, userId, parsed.values.label);
    logger.info({ userId, tokenId: id }, 'api token created');
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (err) {
    if (err instanceof NotFoundError) {
      process.stderr.write(`no user ${userId}\n`);
      return 2;
    }
    throw err;
  } finally {
    await handle.close();
  }
}
