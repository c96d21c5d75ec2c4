// Editing one field of a card from the chat: pick the field (the company's own fields and the
// standard ones), type the value, checked by the field's type. A deal is written with the
// version its card showed, so an edit never overwrites a change made meanwhile.
import type { FieldType } from '../db/schema/index.ts';
import { updateContact } from '../src/crm/contacts.ts';
import { loadFieldDefs } from '../src/crm/custom-fields.ts';
import { updateDeal } from '../src/crm/deals.ts';
import { assertMayChange } from '../src/crm/may-change.ts';
import { updateLead } from '../src/crm/update-lead.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';

export const EDIT_FIELD_FLOW = 'edit-field';

export type EditTarget = { entity: 'deal'; id: number; version: number } | { entity: 'lead' | 'contact'; id: number };

interface EditableField {
  key: string;
  label: string;
  type: FieldType;
  options: string[];
  custom: boolean;
}

const STANDARD: Record<EditTarget['entity'], { key: string; type: FieldType }[]> = {
  deal: [
    { key: 'title', type: 'string' },
    { key: 'amount', type: 'money' },
    { key: 'comment', type: 'string' },
  ],
  lead: [
    { key: 'title', type: 'string' },
    { key: 'comment', type: 'string' },
  ],
  contact: [
    { key: 'lastName', type: 'string' },
    { key: 'firstName', type: 'string' },
    { key: 'middleName', type: 'string' },
    { key: 'phone', type: 'string' },
    { key: 'email', type: 'string' },
    { key: 'position', type: 'string' },
    { key: 'comment', type: 'string' },
  ],
};

export function editFieldFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function editField(conversation: FlowConversation, ctx: FlowContext, target: EditTarget) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const may = await conversation.external(() => settle(assertMayChange(deps.db, actor, target.entity, target.id)));
    if (!may.ok) return void (await ctx.reply(refusalText(t, lang, may.error)));
    const fields = await conversation.external(async (): Promise<EditableField[]> => {
      const defs = await loadFieldDefs(deps.db, target.entity);
      return [
        ...STANDARD[target.entity].map((f) => ({ key: f.key, label: t(lang, `std-field-${f.key}`), type: f.type, options: [], custom: false })),
        ...defs.map((d) => ({ key: d.key, label: d.label, type: d.type, options: d.options, custom: true })),
      ];
    });
    const picked = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'edit-ask-field'), type: 'enum', options: fields.map((f) => f.label), lang, controls: true });
    if (picked.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const field = fields.find((f) => f.label === picked.value)!;
    const value = await ask(conversation, ctx, t, deps.timeZone, {
      text: t(lang, `move-ask-${field.type}`, { label: field.label }),
      type: field.type,
      options: field.options,
      optional: true,
      lang,
      controls: true,
    });
    if (value.kind === 'cancel') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    // Skip clears the field.
    const v = value.kind === 'value' ? (field.type === 'file' ? { ...(value.value as object), channel: 'telegram' } : value.value) : null;
    const patch: Record<string, unknown> = field.custom ? { custom: { [field.key]: v } } : { [field.key]: v };
    const saved = await conversation.external(() =>
      settle(
        (target.entity === 'deal'
          ? updateDeal(deps.db, actor, target.id, { ...patch, expectedVersion: target.version })
          : target.entity === 'lead'
            ? updateLead(deps.db, actor, target.id, patch)
            : updateContact(deps.db, actor, target.id, patch)
        ).then(() => true),
      ),
    );
    if (!saved.ok) {
      await ctx.reply(saved.error.name === 'StaleVersionError' ? t(lang, 'card-changed-meanwhile', { number: target.id }) : refusalText(t, lang, saved.error));
    } else await ctx.reply(t(lang, 'edit-saved', { field: field.label }));
    await showCard(conversation, ctx, deps, actor, lang, target.entity, target.id);
  };
}
