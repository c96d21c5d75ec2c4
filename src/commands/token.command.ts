import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { createApiToken } from '../crm/api-tokens.ts';
import { NotFoundError } from '../crm/errors.ts';
import { parseOrUsage, withMigratedDb } from './args.ts';

const usage = 'usage: chatcrm token create --user <id> [--label <text>]\n';

export async function tokenCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, { user: { type: 'string' }, label: { type: 'string' } }, usage);
  if (!parsed) return 2;
  const userId = Number(parsed.values.user);
  if (parsed.positionals[0] !== 'create' || !Number.isInteger(userId) || userId <= 0) {
    process.stderr.write(usage);
    return 2;
  }
  try {
    const { token, id } = await withMigratedDb(config, (db) => createApiToken(db, systemActor, userId, parsed.values.label));
    logger.info({ userId, tokenId: id }, 'api token created');
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (err) {
    if (err instanceof NotFoundError) {
      process.stderr.write(`no user ${userId}\n`);
      return 2;
    }
    throw err;
  }
}
