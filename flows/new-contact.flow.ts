// A contact or a company made from the chat (a call, a meeting, a card from a colleague).
import { createCompany } from '../src/crm/companies.ts';
import { createContact } from '../src/crm/contacts.ts';
import { innProblem } from '../src/crm/inn.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';

export const NEW_CONTACT_FLOW = 'new-contact';
export const NEW_COMPANY_FLOW = 'new-company';

export function newContactFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function newContact(conversation: FlowConversation, ctx: FlowContext) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const name = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'contact-ask-name'), type: 'string', lang, controls: true });
    if (name.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const [lastName, firstName, middleName] = String(name.value).trim().split(/\s+/);
    for (;;) {
      const phone = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'contact-ask-phone'), type: 'string', optional: true, lang, controls: true });
      if (phone.kind === 'cancel') return void (await ctx.reply(t(lang, 'flow-cancelled')));
      const input = {
        ...(firstName ? { firstName, lastName } : { firstName: lastName }),
        ...(middleName ? { middleName } : {}),
        ...(phone.kind === 'value' ? { phone: String(phone.value) } : {}),
      };
      const made = await conversation.external(() => settle(createContact(deps.db, actor, input).then((c) => c.id)));
      if (made.ok) {
        await ctx.reply(t(lang, 'contact-created', { number: made.value }));
        return showCard(conversation, ctx, deps, actor, lang, 'contact', made.value);
      }
      // A phone that is not a phone is asked again; any other refusal ends the flow.
      if (made.error.name !== 'ValidationError') return void (await ctx.reply(refusalText(t, lang, made.error)));
      await ctx.reply(t(lang, 'contact-bad-phone'));
    }
  };
}

export function newCompanyFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function newCompany(conversation: FlowConversation, ctx: FlowContext) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const name = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'company-ask-name'), type: 'string', lang, controls: true });
    if (name.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    let inn: string | undefined;
    for (;;) {
      const typed = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'convert-ask-inn'), type: 'string', optional: true, lang, controls: true });
      if (typed.kind === 'cancel') return void (await ctx.reply(t(lang, 'flow-cancelled')));
      if (typed.kind === 'skip') break;
      const digits = String(typed.value).replace(/\s/g, '');
      const problem = innProblem(digits);
      if (!problem) {
        inn = digits;
        break;
      }
      await ctx.reply(t(lang, problem === 'checksum' ? 'convert-bad-inn-checksum' : 'convert-bad-inn'));
    }
    const made = await conversation.external(() => settle(createCompany(deps.db, actor, { name: String(name.value).slice(0, 500), ...(inn ? { inn } : {}) }).then((c) => c.id)));
    await ctx.reply(made.ok ? t(lang, 'company-created', { number: made.value, name: String(name.value) }) : refusalText(t, lang, made.error));
  };
}
