// /start: staff link their account with an invite code; everyone else is greeted as a customer
// (the inbox has already made them a contact). A staff member's /start <code> and any message
// of someone deactivated arrive as a new contact's (the inbox knows only active staff): the
// message is made his and that contact removed, so neither becomes a customer.
import { Composer } from 'grammy';
import type { Db } from '../../../db/client.ts';
import { ConflictError } from '../../../src/crm/errors.ts';
import { InvalidInviteError, redeemTelegramInvite } from '../../../src/crm/invites.ts';
import { formerStaffAt, settleFormerStaffMessage } from '../../../src/crm/staff-message-owner.ts';
import type { BotContext } from '../context.ts';

export function startFeature(db: Db) {
  const feature = new Composer<BotContext>();

  // Only a sender the inbox has just made a contact of can be someone who left: a known
  // customer stays one, and staff are matched before contacts.
  feature.use(async (ctx, next) => {
    const sender = ctx.crm?.sender;
    if (sender?.kind !== 'contact' || !sender.isNew || ctx.crm.inbound.isGroup) return next();
    const former = await formerStaffAt(db, ctx.crm.inbound.channel, ctx.crm.inbound.sender.externalId);
    if (!former) return next();
    await settleFormerStaffMessage(db, former, { inboundId: ctx.crm.row.id, contactId: sender.contact.id });
    // The contact and its identity are gone: replies of this update are no longer his.
    ctx.crm.scope.contactIdentityId = null;
    ctx.i18n.useLocale(former.language);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('staff-access-removed') });
    else await ctx.reply(ctx.t('staff-access-removed'));
  });

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
        const user = await redeemTelegramInvite(db, code, ctx.from!.id, new Date(), { inboundId: ctx.crm.row.id, contactId: sender.contact.id });
        ctx.crm.scope.contactIdentityId = null;
        ctx.crm.sender = { kind: 'staff', user };
        ctx.i18n.useLocale(user.language);
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
