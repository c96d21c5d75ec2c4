// Staff commands. Anything a staff member sends that no feature took gets the help.
import { Composer } from 'grammy';
import type { BotContext } from '../context.ts';

export function staffFeature() {
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => ctx.crm?.sender.kind === 'staff');
  staff.command('help', (ctx) => ctx.reply(ctx.t('staff-help')));
  staff.on('message:text', async (ctx) => {
    if (ctx.message.text.startsWith('/')) await ctx.reply(ctx.t('unknown-command'));
    else await ctx.reply(ctx.t('staff-help'));
  });
  return feature;
}
