import type { Logger } from 'pino';
import { userRoles } from '../../db/schema/index.ts';
import type { Config } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { ValidationError } from '../crm/errors.ts';
import { createUser } from '../crm/users.ts';
import { parseOrUsage, withMigratedDb } from './args.ts';

const usage = `usage: chatcrm users add --name <name> --role <${userRoles.join('|')}>[,...] [--supervisor <id>] [--department <d>] [--language ru|en]\n`;

export async function usersCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(
    args,
    { name: { type: 'string' }, role: { type: 'string' }, supervisor: { type: 'string' }, department: { type: 'string' }, language: { type: 'string' } },
    usage,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (positionals[0] !== 'add' || !values.name || !values.role) {
    process.stderr.write(usage);
    return 2;
  }
  try {
    const user = await withMigratedDb(config, (db) =>
      createUser(db, systemActor, {
        name: values.name!,
        roles: values.role!.split(',').map((r) => r.trim()) as never,
        supervisorId: values.supervisor ? Number(values.supervisor) : null,
        department: values.department ?? null,
        language: values.language as never,
      }),
    );
    logger.info({ userId: user.id }, 'user created');
    process.stdout.write(`user ${user.id}: ${user.name} (${user.roles.join(', ')})\n`);
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      process.stderr.write(`${err.issues.map((i) => `${i.field}: ${i.message}`).join('\n')}\n`);
      return 2;
    }
    throw err;
  }
}
