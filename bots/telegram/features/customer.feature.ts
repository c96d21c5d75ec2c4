// Customers writing to the company. Every message is on the contact's timeline already (the
// inbox stores it there with the message, the answers a flow takes too). Outside flows: a
// customer with an open lead or deal is on an open line — his message goes to the responsible
// manager; a customer with neither makes a new request — a lead, the intake questions, the
// managers told.
import { Composer } from 'grammy';
import type { Db } from '../../../db/client.ts';
import { findCompanyConfig } from '../../../src/crm/company-config.ts';
import { contactDisplayName } from '../../../src/crm/contacts.ts';
import { currentRecordOf, ensureThread, leadOpenedBy, openCustomerLead, recordCustomerMessageOn } from '../../../src/sales/customer-requests.ts';
import { INTAKE_FLOW } from '../../../flows/intake.flow.ts';
import { intakeBegun } from '../../../src/sales/intake.ts';
import type { BotContext } from '../context.ts';
import type { Translate } from '../i18n.ts';
import type { StaffNotices } from '../staff-notices.ts';

const isCustomerChat = (ctx: BotContext) => ctx.crm?.sender.kind === 'contact' && !ctx.crm.inbound.isGroup;

/** After the flows: what a customer's message outside a flow leads to. */
export function customerRequests(deps: { db: Db; t: Translate; notices: StaffNotices }) {
  const { db, t, notices } = deps;
  const feature = new Composer<BotContext>();
  feature.filter(isCustomerChat).on('message', async (ctx) => {
    const { inbound, row, sender } = ctx.crm;
    if (sender.kind !== 'contact') return;
    const ack = () => (inbound.file ? ctx.reply(ctx.t('customer-file-ack', { name: inbound.file.name ?? inbound.kind })) : ctx.reply(ctx.t('customer-ack')));
    // Without a company configuration there are no leads to make: the message is kept, that is all.
    const config = await findCompanyConfig(db);
    if (!config) return ack();
    // Commands mean nothing to a customer (/start has its own handler): say how to ask.
    if (inbound.text?.startsWith('/')) return void (await ctx.reply(ctx.t('customer-unknown-command')));
    const thread = await ensureThread(db, inbound, sender.contact.id, sender.identityId);
    // A re-run of the message that opened a request goes the same way again, not to the open line.
    const opened = await leadOpenedBy(db, inbound);
    const record = opened ? null : await currentRecordOf(db, sender.contact.id);
    if (!record) {
      const name = contactDisplayName(sender.contact);
      const title = t('ru', 'lead-title-from-chat', { channel: t('ru', `channel-${inbound.channel}`), name });
      const { lead, created } = await openCustomerLead(db, { contact: sender.contact, msg: inbound, inboundId: row.id, title });
      // Run again after the customer went on answering: the flow has it; starting over would lose his answers.
      if (!created && (await intakeBegun(db, lead.id))) return;
      if (config.config.intake.questions.length === 0) {
        await notices.newLead(lead.id);
        await ctx.reply(ctx.t('intake-done', { number: lead.id }));
        return;
      }
      await ctx.reply(ctx.t('intake-start', { number: lead.id }));
      await ctx.conversation.enter(INTAKE_FLOW, lead.id);
      return;
    }
    await recordCustomerMessageOn(db, record, inbound, row.id);
    const outcome = await notices.relay({ thread, record, msg: inbound, inboundId: row.id });
    // On an open line the manager answers; until someone has the request, say it arrived.
    if (outcome !== 'relayed') await ack();
  });
  return feature;
}
