import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { NotFoundError } from '../crm/errors.ts';
import { createStaffInvite } from '../crm/invites.ts';
import { parseOrUsage, withMigratedDb } from './args.ts';

const usage = 'usage: chatcrm invite create --user <id>\n';

/** Prints a one-time code; the staff member sends `/start <code>` to the bot to link Telegram. */
export async function inviteCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, { user: { type: 'string' } }, usage);
  if (!parsed) return 2;
  const userId = Number(parsed.values.user);
  if (parsed.positionals[0] !== 'create' || !Number.isInteger(userId) || userId <= 0) {
    process.stderr.write(usage);
    return 2;
  }
  try {
    const { code, expiresAt } = await withMigratedDb(config, (db) => createStaffInvite(db, systemActor, userId));
    logger.info({ userId }, 'staff invite created');
    process.stdout.write(`${code}\n(send "/start ${code}" to the bot before ${expiresAt.toISOString()})\n`);
    return 0;
  } catch (err) {
    if (err instanceof NotFoundError) {
      process.stderr.write(`no user ${userId}\n`);
      return 2;
    }
    throw err;
  }
}
