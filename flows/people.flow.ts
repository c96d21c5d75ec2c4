// Who works a card: the responsible (one person; for a deal, the company may carry him over to
// the contact and company) and a deal's observers (several). Staff are picked from a list.
import { and, arrayOverlaps, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { assignDeal, assignLead } from '../src/crm/assign.ts';
import { getDeal } from '../src/crm/deals.ts';
import { setDealObservers } from '../src/crm/deal-observers.ts';
import { assertMayChange } from '../src/crm/may-change.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { pickStaff, type StaffOption } from './pick-staff.ts';
import { refusalText } from './refusals.ts';
import { showCard } from './show-card.ts';
import { settle, staffSession } from './staff.ts';

export const ASSIGN_FLOW = 'assign';
export const OBSERVERS_FLOW = 'observers';

async function activeStaff(db: Db, roles: ('manager' | 'supervisor' | 'logist' | 'admin')[]): Promise<StaffOption[]> {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.isActive, true), arrayOverlaps(users.roles, roles)))
    .orderBy(asc(users.name))
    .limit(40);
}

export function assignFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function assign(conversation: FlowConversation, ctx: FlowContext, target: { entity: 'lead' | 'deal'; id: number; version?: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const may = await conversation.external(() => settle(assertMayChange(deps.db, actor, target.entity, target.id)));
    if (!may.ok) return void (await ctx.reply(refusalText(t, lang, may.error)));
    const people = await conversation.external(() => activeStaff(deps.db, ['manager', 'supervisor']));
    const picked = await pickStaff(conversation, ctx, t, lang, { text: t(lang, 'assign-ask'), people, selected: [], many: false });
    if (!picked) return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const userId = picked[0]!;
    const done = await conversation.external(() =>
      settle((target.entity === 'deal' ? assignDeal(deps.db, actor, target.id, userId, target.version ?? 0) : assignLead(deps.db, actor, target.id, userId)).then(() => true)),
    );
    if (!done.ok) await ctx.reply(done.error.name === 'StaleVersionError' ? t(lang, 'card-changed-meanwhile', { number: target.id }) : refusalText(t, lang, done.error));
    else await ctx.reply(t(lang, 'assign-done', { name: people.find((p) => p.id === userId)?.name ?? String(userId) }));
    await showCard(conversation, ctx, deps, actor, lang, target.entity, target.id);
  };
}

export function observersFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function observers(conversation: FlowConversation, ctx: FlowContext, target: { id: number; version: number }) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { lang, actor } = session;
    const may = await conversation.external(() => settle(assertMayChange(deps.db, actor, 'deal', target.id)));
    if (!may.ok) return void (await ctx.reply(refusalText(t, lang, may.error)));
    const current = await conversation.external(() => settle(getDeal(deps.db, actor, target.id).then((d) => d.observerIds)));
    if (!current.ok) return void (await ctx.reply(refusalText(t, lang, current.error)));
    const people = await conversation.external(() => activeStaff(deps.db, ['manager', 'supervisor', 'logist', 'admin']));
    const picked = await pickStaff(conversation, ctx, t, lang, { text: t(lang, 'observers-ask'), people, selected: current.value, many: true });
    if (!picked) return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const done = await conversation.external(() => settle(setDealObservers(deps.db, actor, target.id, picked, target.version).then(() => true)));
    if (!done.ok) await ctx.reply(done.error.name === 'StaleVersionError' ? t(lang, 'card-changed-meanwhile', { number: target.id }) : refusalText(t, lang, done.error));
    else await ctx.reply(t(lang, 'observers-done', { count: picked.length }));
    await showCard(conversation, ctx, deps, actor, lang, 'deal', target.id);
  };
}
