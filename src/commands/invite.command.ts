// chatcrm invite create: a one-time code; the staff member sends `/start <code>` to the bot to
// link his Telegram. Only its hash is stored.
import { createStaffInvite } from '../crm/invites.ts';
import { type AdminCommand, cliActor, idArg, parseSubcommand, reportRefusal } from './admin-command.ts';

export const usage = 'usage: chatcrm invite create --user <id>   one-time code a staff member sends to the bot as /start <code>\n';

const subs = { create: { options: { user: { type: 'string' } }, positionals: 0 } } as const;

export const inviteCommand: AdminCommand<{ userId: number }> = {
  usage,
  parse(args) {
    return { userId: idArg(parseSubcommand(args, subs).values.user, '--user') };
  },
  async run({ userId }, { db, io, logger }) {
    try {
      const { code, expiresAt } = await createStaffInvite(db, cliActor, userId);
      logger.info({ userId }, 'staff invite created');
      io.out.write(`${code}\n(send "/start ${code}" to the bot before ${expiresAt.toISOString()})\n`);
      return 0;
    } catch (err) {
      return reportRefusal(err, io);
    }
  },
};
