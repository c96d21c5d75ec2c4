// Lead → deal from the card: who pays (a private person, or a company when a legal entity
// pays: its name and, if known, its INN), the amount if known; then one conversion that
// carries the fields and the history over and starts the deal at the company's stage.
import { convertLead } from '../src/crm/leads.ts';
import { getLead } from '../src/crm/leads.ts';
import { innProblem } from '../src/crm/inn.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';

export const CONVERT_LEAD_FLOW = 'convert-lead';

export function convertLeadFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function convertLeadConversation(conversation: FlowConversation, ctx: FlowContext, args: { leadId: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const lead = await conversation.external(() => settle(getLead(deps.db, actor, args.leadId).then((l) => ({ contactId: l.contactId, title: l.title, converted: l.convertedDealId }))));
    if (!lead.ok) return void (await ctx.reply(refusalText(t, lang, lead.error)));
    if (lead.value.converted) {
      await ctx.reply(t(lang, 'convert-already', { number: lead.value.converted }));
      return showCard(conversation, ctx, deps, actor, lang, 'deal', lead.value.converted);
    }
    const cancelled = async () => ctx.reply(t(lang, 'flow-cancelled'));
    const person = t(lang, 'convert-payer-person');
    const payer = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'convert-ask-payer'), type: 'enum', options: [person, t(lang, 'convert-payer-company')], lang, controls: true });
    if (payer.kind !== 'value') return void (await cancelled());
    let company: { name: string; inn?: string } | undefined;
    if (payer.value !== person) {
      const name = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'convert-ask-company'), type: 'string', lang, controls: true });
      if (name.kind !== 'value') return void (await cancelled());
      company = { name: String(name.value).slice(0, 500) };
      for (;;) {
        const inn = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'convert-ask-inn'), type: 'string', optional: true, lang, controls: true });
        if (inn.kind === 'cancel') return void (await cancelled());
        if (inn.kind === 'skip') break;
        const digits = String(inn.value).replace(/\s/g, '');
        const problem = innProblem(digits);
        if (!problem) {
          company.inn = digits;
          break;
        }
        await ctx.reply(t(lang, problem === 'checksum' ? 'convert-bad-inn-checksum' : 'convert-bad-inn'));
      }
    }
    let contact: { firstName: string } | undefined;
    if (lead.value.contactId === null) {
      const name = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'convert-ask-contact'), type: 'string', lang, controls: true });
      if (name.kind !== 'value') return void (await cancelled());
      contact = { firstName: String(name.value).slice(0, 200) };
    }
    const amount = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'convert-ask-amount'), type: 'money', optional: true, lang, controls: true });
    if (amount.kind === 'cancel') return void (await cancelled());
    const result = await conversation.external(() =>
      settle(
        convertLead(deps.db, actor, args.leadId, { ...(company ? { company } : {}), ...(contact ? { contact } : {}), ...(amount.kind === 'value' ? { amount: String(amount.value) } : {}) }).then((r) => ({
          dealId: r.deal.id,
          companyId: r.company?.id ?? null,
        })),
      ),
    );
    if (!result.ok) return void (await ctx.reply(refusalText(t, lang, result.error)));
    await ctx.reply(t(lang, result.value.companyId ? 'convert-done-company' : 'convert-done', { lead: args.leadId, deal: result.value.dealId, company: result.value.companyId ?? 0 }));
    await showCard(conversation, ctx, deps, actor, lang, 'deal', result.value.dealId);
  };
}
