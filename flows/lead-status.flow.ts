// A lead's status from its card: the company's statuses (not "converted": that is conversion).
// A rejecting status asks why (from the company's list or in one's own words); the client's
// own refusal keeps him as a contact and may set a day to offer again, a task that reminds
// the manager, instead of losing him.
import { getCompanyConfig } from '../src/crm/company-config.ts';
import { declineLead } from '../src/crm/decline-lead.ts';
import { getLead, setLeadStatus } from '../src/crm/leads.ts';
import { scheduleTaskReminder } from '../src/automation/reminder-worker.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';
import { zonedInstant } from './when.ts';

export const LEAD_STATUS_FLOW = 'lead-status';

export function leadStatusFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function leadStatus(conversation: FlowConversation, ctx: FlowContext, args: { leadId: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const data = await conversation.external(() =>
      settle(
        (async () => {
          const [lead, config] = await Promise.all([getLead(deps.db, actor, args.leadId), getCompanyConfig(deps.db)]);
          const statuses = config.leadStatuses.filter((s) => s.kind !== 'converted' && s.key !== lead.status).map((s) => ({ key: s.key, name: s.name, kind: s.kind, requiresReason: s.requiresReason }));
          const firstRejected = config.leadStatuses.find((s) => s.kind === 'rejected')?.key ?? null;
          return { statuses, firstRejected, reasons: config.lossReasons };
        })(),
      ),
    );
    if (!data.ok) return void (await ctx.reply(refusalText(t, lang, data.error)));
    const { statuses, firstRejected, reasons } = data.value;
    const picked = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'status-ask'), type: 'enum', options: statuses.map((s) => s.name), lang, controls: true });
    if (picked.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const status = statuses.find((s) => s.name === picked.value)!;
    let reason: string | undefined;
    if (status.kind === 'rejected' || status.requiresReason) {
      const r = await ask(conversation, ctx, t, deps.timeZone, {
        text: t(lang, 'status-ask-reason'),
        type: reasons.length ? 'enum' : 'string',
        options: reasons,
        otherText: true,
        lang,
        controls: true,
      });
      if (r.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
      reason = String(r.value);
    }
    let outcome;
    if (status.kind === 'rejected' && status.key === firstRejected) {
      const day = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'status-ask-callback'), type: 'date', optional: true, lang, controls: true });
      if (day.kind === 'cancel') return void (await ctx.reply(t(lang, 'flow-cancelled')));
      const callBackAt = day.kind === 'value' ? zonedInstant(String(day.value), '10:00', deps.timeZone) : undefined;
      outcome = await conversation.external(() =>
        settle(
          declineLead(deps.db, actor, args.leadId, { reason: reason!, ...(callBackAt ? { callBackAt, callBackTitle: t(lang, 'status-callback-title', { number: args.leadId }) } : {}) }).then(async (r) => {
            if (r.task && deps.jobs) await scheduleTaskReminder(deps.jobs, r.task).catch(() => undefined);
            return { contactId: r.contact.id, taskId: r.task?.id ?? null };
          }),
        ),
      );
      if (outcome.ok) {
        await ctx.reply(
          outcome.value.taskId
            ? t(lang, 'status-declined-callback', { number: args.leadId, contact: outcome.value.contactId, day: String(day.kind === 'value' ? day.value : '').split('-').reverse().join('.') })
            : t(lang, 'status-declined', { number: args.leadId, contact: outcome.value.contactId }),
        );
      }
    } else {
      outcome = await conversation.external(() => settle(setLeadStatus(deps.db, actor, args.leadId, status.key, reason).then(() => ({ contactId: 0, taskId: null }))));
      if (outcome.ok) await ctx.reply(t(lang, 'status-set', { number: args.leadId, status: status.name }));
    }
    if (!outcome.ok) return void (await ctx.reply(refusalText(t, lang, outcome.error)));
    await showCard(conversation, ctx, deps, actor, lang, 'lead', args.leadId);
  };
}
