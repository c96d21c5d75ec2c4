// Why a press on a reminder (or a time typed for it) changed nothing, in the person's words.
import type { Lang } from '../bots/telegram/i18n.ts';
import { formatWhen } from '../bots/telegram/reminder-texts.ts';
import type { FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import type { Outcome } from './staff.ts';

type Refusal = Extract<Outcome<unknown>, { ok: false }>['error'];

export function reminderRefusal(deps: Pick<FlowDeps, 't' | 'timeZone'>, lang: Lang, e: Refusal, now: Date): string {
  const { t } = deps;
  const d = e.details ?? {};
  const number = String(d.taskId ?? d.id ?? '?');
  switch (e.name) {
    case 'NotYourReminderError':
      return t(lang, 'remind-not-yours', { number });
    case 'TaskClosedError':
      return t(lang, d.status === 'cancelled' ? 'remind-was-cancelled' : 'remind-was-done', { number });
    case 'StaleReminderError': {
      // A Date, or its JSON string once a flow has kept it.
      const due = d.dueAt === null || d.dueAt === undefined ? null : new Date(d.dueAt as string | Date);
      return t(lang, 'remind-stale', { number, when: due ? formatWhen(due, lang, deps.timeZone, now) : t(lang, 'tasks-no-due') });
    }
    case 'DueInPastError':
      return t(lang, 'remind-target-past');
    default:
      return refusalText(t, lang, e);
  }
}
