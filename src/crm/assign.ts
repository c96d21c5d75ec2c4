// Who works a lead or a deal. Taking a lead is a race between managers pressing "take" on the
// same notification: one conditional UPDATE decides it, and the loser is told who won.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Company, companies, type Contact, contacts, type Deal, deals, type Lead, leads } from '../../db/schema/index.ts';
import { type Actor, canManageRecord, hasRole, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { findCompanyConfig } from './company-config.ts';
import { AccessDeniedError, ConflictError, LeadTakenError, NotFoundError, StaleVersionError } from './errors.ts';
import { idSchema, versionSchema } from './record-input.ts';
import { requireActiveUsers, userNames } from './staff.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

async function recordLeadAssignment(tx: Db, actor: Actor, before: Lead, after: Lead, action: string) {
  const change = { responsible: { from: before.responsibleId, to: after.responsibleId } };
  await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: after.id, kind: 'change', data: change });
  await writeAudit(tx, actor, { action, entityType: 'lead', entityId: after.id, before: { responsibleId: before.responsibleId }, after: { responsibleId: after.responsibleId } });
}

/**
 * A manager takes an unassigned lead. Supervisors and admins may take one that is assigned.
 * Taking a lead one already holds is a no-op.
 */
export async function takeLead(db: Db, actor: Actor, leadId: number): Promise<Lead> {
  const me = actor.userId;
  if (me === null || !hasRole(actor, 'manager', 'supervisor', 'admin')) throw new AccessDeniedError('lead', leadId);
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .update(leads)
      .set({ responsibleId: me, updatedAt: new Date() })
      .where(and(eq(leads.id, leadId), isNull(leads.responsibleId), isNull(leads.convertedDealId)))
      .returning();
    if (taken) {
      await recordLeadAssignment(tx, actor, { ...taken, responsibleId: null }, taken, 'lead.take');
      return taken;
    }
    // Lost the race, or it was never free: look at who holds it, under lock.
    const [current] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!current) throw new NotFoundError('lead', leadId);
    if (current.convertedDealId) throw new ConflictError(`lead ${leadId} is already converted into deal ${current.convertedDealId}`);
    if (current.responsibleId === me) return current;
    if (current.responsibleId !== null && !hasRole(actor, 'supervisor', 'admin')) {
      const names = await userNames(tx, [current.responsibleId]);
      throw new LeadTakenError(leadId, current.responsibleId, names.get(current.responsibleId) ?? `user ${current.responsibleId}`);
    }
    const [after] = await tx.update(leads).set({ responsibleId: me, updatedAt: new Date() }).where(eq(leads.id, leadId)).returning();
    await recordLeadAssignment(tx, actor, current, after!, 'lead.take');
    return after!;
  });
}

// Supervisors and admins assign anything; the current responsible may hand his own over; an
// observer may not take it.
const mayAssign = (actor: Actor, responsibleId: number | null) => canManageRecord(actor, { responsibleId });

export async function assignLead(db: Db, actor: Actor, leadId: number, userId: number): Promise<Lead> {
  const to = parseInput(idSchema, userId);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!before) throw new NotFoundError('lead', leadId);
    if (!mayAssign(actor, before.responsibleId)) throw new AccessDeniedError('lead', leadId);
    await requireActiveUsers(tx, [to], 'userId');
    if (before.responsibleId === to) return before;
    const [after] = await tx.update(leads).set({ responsibleId: to, updatedAt: new Date() }).where(eq(leads.id, leadId)).returning();
    await recordLeadAssignment(tx, actor, before, after!, 'lead.assign');
    return after!;
  });
}

export interface AssignDealResult {
  deal: Deal;
  /** The deal's contact and company when their responsible followed the deal's (settings.propagateResponsible). */
  contact: Contact | null;
  company: Company | null;
}

export async function assignDeal(db: Db, actor: Actor, dealId: number, userId: number, expectedVersion: number): Promise<AssignDealResult> {
  const to = parseInput(idSchema, userId);
  const version = parseInput(versionSchema, expectedVersion);
  const propagate = (await findCompanyConfig(db))?.config.settings.propagateResponsible ?? false;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deals).where(eq(deals.id, dealId)).for('update');
    if (!before) throw new NotFoundError('deal', dealId);
    if (!mayAssign(actor, before.responsibleId)) throw new AccessDeniedError('deal', dealId, { reason: refusalReason(actor, before) });
    if (before.version !== version) throw new StaleVersionError('deal', dealId, version, before.version);
    await requireActiveUsers(tx, [to], 'userId');
    if (before.responsibleId === to) return { deal: before, contact: null, company: null };
    const [deal] = await tx
      .update(deals)
      .set({ responsibleId: to, version: sql`${deals.version} + 1`, updatedAt: new Date() })
      .where(and(eq(deals.id, dealId), eq(deals.version, version)))
      .returning();
    const change = { responsible: { from: before.responsibleId, to } };
    await addTimelineEntry(tx, actor, { entityType: 'deal', entityId: dealId, kind: 'change', data: change });
    await writeAudit(tx, actor, {
      action: 'deal.assign',
      entityType: 'deal',
      entityId: dealId,
      before: { responsibleId: before.responsibleId, version: before.version },
      after: { responsibleId: to, version: deal!.version },
    });
    if (!propagate) return { deal: deal!, contact: null, company: null };
    const contact = before.contactId ? await reassign(tx, actor, 'contact', before.contactId, to, dealId) : null;
    const company = before.companyId ? await reassign(tx, actor, 'company', before.companyId, to, dealId) : null;
    return { deal: deal!, contact, company };
  });
}

async function reassign(tx: Db, actor: Actor, entity: 'contact', id: number, to: number, dealId: number): Promise<Contact | null>;
async function reassign(tx: Db, actor: Actor, entity: 'company', id: number, to: number, dealId: number): Promise<Company | null>;
async function reassign(tx: Db, actor: Actor, entity: 'contact' | 'company', id: number, to: number, dealId: number): Promise<Contact | Company | null> {
  const table = entity === 'contact' ? contacts : companies;
  const [before] = await tx.select({ responsibleId: table.responsibleId }).from(table).where(eq(table.id, id)).for('update');
  if (!before) return null;
  const [after] = await tx.update(table).set({ responsibleId: to, updatedAt: new Date() }).where(eq(table.id, id)).returning();
  if (before.responsibleId !== to) {
    await addTimelineEntry(tx, actor, { entityType: entity, entityId: id, kind: 'change', data: { responsible: { from: before.responsibleId, to }, viaDeal: dealId } });
    await writeAudit(tx, actor, { action: `${entity}.assign`, entityType: entity, entityId: id, before, after: { responsibleId: to, viaDeal: dealId } });
  }
  return after ?? null;
}
