// A file for a card: into one of the deal's file fields (proposal, contract, invoice...) or
// just into the history. A photo is taken as the file too.
import { type FileValue, loadFieldDefs } from '../src/crm/custom-fields.ts';
import { updateDeal } from '../src/crm/deals.ts';
import { assertMayChange } from '../src/crm/may-change.ts';
import { addCardFile } from '../src/sales/card-actions.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';

export const ATTACH_FILE_FLOW = 'attach-file';

export function attachFileFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function attachFile(conversation: FlowConversation, ctx: FlowContext, target: { entity: 'deal' | 'lead' | 'contact'; id: number; version?: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    // A file into one of the deal's fields changes the deal: offered to who may change it; an
    // observer's file goes into the history.
    const slots =
      target.entity === 'deal'
        ? await conversation.external(async () => {
            const may = await settle(assertMayChange(deps.db, actor, 'deal', target.id));
            if (!may.ok) return [];
            return (await loadFieldDefs(deps.db, 'deal')).filter((d) => d.type === 'file').map((d) => ({ key: d.key, label: d.label }));
          })
        : [];
    let slot: string | null = null;
    if (slots.length) {
      const historyOnly = t(lang, 'file-history-only');
      const picked = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'file-ask-slot'), type: 'enum', options: [...slots.map((s) => s.label), historyOnly], lang, controls: true });
      if (picked.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
      slot = slots.find((s) => s.label === picked.value)?.key ?? null;
    }
    const file = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'file-ask'), type: 'file', lang, controls: true });
    if (file.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const value: FileValue = { ...(file.value as FileValue), channel: 'telegram' };
    const saved = await conversation.external(() =>
      settle(
        (slot && target.entity === 'deal'
          ? updateDeal(deps.db, actor, target.id, { custom: { [slot]: value }, expectedVersion: target.version ?? 0 })
          : addCardFile(deps.db, actor, target.entity, target.id, value)
        ).then(() => true),
      ),
    );
    if (!saved.ok) await ctx.reply(saved.error.name === 'StaleVersionError' ? t(lang, 'card-changed-meanwhile', { number: target.id }) : refusalText(t, lang, saved.error));
    else await ctx.reply(t(lang, 'file-saved', { name: value.name ?? t(lang, 'card-file') }));
    await showCard(conversation, ctx, deps, actor, lang, target.entity, target.id);
  };
}
