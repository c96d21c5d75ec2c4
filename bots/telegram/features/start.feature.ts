// /start: staff link their account with an invite code; everyone else is greeted as a customer
// (the inbox has already made them a contact).
import { Composer } from 'grammy';
import type { Db } from '../../../db/client.ts';
import { ConflictError } from '../../../src/crm/errors.ts';
import { InvalidInviteError, redeemTelegramInvite } from '../../../src/crm/invites.ts';
import type { BotContext } from '../context.ts';

export function startFeature(db: Db) {
  const feature = new Composer<BotContext>();
  feature.command('start', async (ctx) => {
    const sender = ctx.crm.sender;
    const name = ctx.from?.first_name ?? '';
    if (sender.kind === 'staff') {
      await ctx.reply(ctx.t('welcome-staff', { name: sender.user.name, roles: sender.user.roles.join(', ') }));
      return;
    }
    const code = typeof ctx.match === 'string' ? ctx.match.trim() : '';
    if (code) {
      try {
        const user = await redeemTelegramInvite(db, code, ctx.from!.id);
        await ctx.reply(ctx.t('staff-linked', { name: user.name }));
      } catch (err) {
        if (err instanceof InvalidInviteError) await ctx.reply(ctx.t('invite-invalid'));
        else if (err instanceof ConflictError) await ctx.reply(ctx.t('invite-taken'));
        else throw err;
      }
      return;
    }
    await ctx.reply(ctx.t('welcome-customer', { name }));
  });
  return feature;
}
