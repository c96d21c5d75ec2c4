// A CRM refusal (as a flow keeps it) in the staff member's words.
import type { Lang, Translate } from '../bots/telegram/i18n.ts';
import type { Outcome } from './staff.ts';

type Refusal = Extract<Outcome<unknown>, { ok: false }>['error'];

const ENTITY: Record<string, string> = { deal: 'entity-deal', lead: 'entity-lead', contact: 'entity-contact', company: 'entity-company', task: 'entity-task' };

export function refusalText(t: Translate, lang: Lang, e: Refusal): string {
  const d = e.details ?? {};
  const what = () => `${t(lang, ENTITY[String(d.entity)] ?? 'entity-record')} № ${String(d.id ?? '?')}`;
  switch (e.name) {
    case 'AccessDeniedError':
      return t(lang, d.reason === 'observer' ? 'refused-observer' : 'refused-no-access', { what: what() });
    case 'DuplicateInnError': {
      const existing = (d.existing ?? {}) as { id?: number; name?: string };
      return t(lang, 'refused-duplicate-inn', { number: String(existing.id ?? '?'), name: existing.name ?? '' });
    }
    case 'NotFoundError':
      return t(lang, 'refused-not-found', { what: what() });
    case 'StaleVersionError':
      return t(lang, 'refused-stale', { what: what() });
    case 'LeadTakenError':
      return t(lang, 'refused-lead-taken', { name: String(d.holderName ?? '?') });
    case 'TransitionNotAllowedError':
      return t(lang, `refused-transition-${String(d.reason ?? 'not_allowed_from')}`);
    case 'RequirementsNotMetError':
      return t(lang, 'refused-requirements', { fields: (d.missing as string[] | undefined)?.join(', ') ?? '' });
    case 'ValidationError':
      return t(lang, 'refused-invalid', { fields: ((d.issues as { field: string }[] | undefined) ?? []).map((i) => i.field).join(', ') });
    default:
      return t(lang, 'refused-conflict', { message: e.message });
  }
}

/** An observer pressed what only the responsible may do: told so before any question is asked. */
export function observerRefusal(t: Translate, lang: Lang, entity: 'deal' | 'contact' | 'company' | 'lead', id: number): string {
  return refusalText(t, lang, { name: 'AccessDeniedError', message: '', details: { entity, id, reason: 'observer' } });
}
