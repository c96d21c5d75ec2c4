// Customer intake: the company's intake questions, one at a time, each answer validated by
// its type (a wrong one is asked again with a hint) and stored on the lead as it comes; at
// the end the customer gets his request number and the managers are told.
import { langOfTelegramUser } from '../bots/telegram/i18n.ts';
import { getCompanyConfig } from '../src/crm/company-config.ts';
import { completeIntake, saveIntakeAnswer } from '../src/sales/intake.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';

export const INTAKE_FLOW = 'intake';

export function intakeFlow(deps: FlowDeps) {
  return async function intake(conversation: FlowConversation, ctx: FlowContext, leadId: number) {
    const lang = langOfTelegramUser(ctx.from);
    const questions = await conversation.external(async () => (await getCompanyConfig(deps.db)).intake.questions);
    for (const q of questions) {
      const answer = await ask(conversation, ctx, deps.t, deps.timeZone, {
        text: q.text[lang],
        type: q.type,
        options: q.options,
        optional: !q.required,
        lang,
        controls: false,
      });
      if (answer.kind === 'value') await conversation.external(() => saveIntakeAnswer(deps.db, leadId, q.key, answer.value));
    }
    await conversation.external(async () => {
      await completeIntake(deps.db, leadId);
      await deps.notices.newLead(leadId);
    });
    await ctx.reply(deps.t(lang, 'intake-done', { number: leadId }));
  };
}
