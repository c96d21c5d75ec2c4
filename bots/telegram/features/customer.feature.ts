// A customer writing to the company: the message lands on the contact's timeline and the
// customer is told it arrived. (Intake flows and open lines build on this.)
import { Composer } from 'grammy';
import type { Db } from '../../../db/client.ts';
import { recordCustomerMessage } from '../../../src/messaging/record-inbound.ts';
import type { BotContext } from '../context.ts';

export function customerFeature(db: Db) {
  const feature = new Composer<BotContext>();
  const customers = feature.filter((ctx) => ctx.crm?.sender.kind === 'contact' && !ctx.crm.inbound.isGroup);
  customers.on('message', async (ctx) => {
    const { inbound, row, sender } = ctx.crm;
    if (sender.kind !== 'contact') return;
    await recordCustomerMessage(db, sender.contact.id, inbound, row.id);
    if (inbound.file) await ctx.reply(ctx.t('customer-file-ack', { name: inbound.file.name ?? inbound.kind }));
    else await ctx.reply(ctx.t('customer-ack'));
  });
  return feature;
}
