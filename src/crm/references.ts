// Ids a write carries (a deal's contact, a contact's company, a task's record...) are checked
// with the actor's right to read what they point at. One that does not exist and one the actor
// may not read get the same answer, a 422 naming the field ("no such contact"): linking a
// record never tells whether someone else's record exists, and the field is what to correct.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companies, contacts, deals, type EntityType, leads, tasks } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, hasRole } from './actor.ts';
import { type FieldIssue, ValidationError } from './errors.ts';
import { requireActiveUsers } from './staff.ts';

/** How a service is called from another one. */
export interface WriteOptions {
  /**
   * The ids were carried over from a record the actor has just been allowed to change (the lead
   * he converts or declines): its own links, not the caller's choice, so not checked again. A
   * customer's contact, which nobody is responsible for, goes with his lead into the deal.
   */
  carried?: boolean;
}

export interface Reference {
  field: string;
  entity: EntityType;
  id: number | null | undefined;
}

/** Whether the actor may read the record; false when there is none. Leads and tasks by their own rules. */
export async function canReadRecord(db: Db, actor: Actor, entity: EntityType, id: number): Promise<boolean> {
  switch (entity) {
    case 'deal': {
      const [r] = await db.select({ responsibleId: deals.responsibleId, observerIds: deals.observerIds }).from(deals).where(eq(deals.id, id));
      return r !== undefined && canAccessRecord(actor, r);
    }
    case 'contact': {
      const [r] = await db.select({ responsibleId: contacts.responsibleId, observerIds: contacts.observerIds }).from(contacts).where(eq(contacts.id, id));
      return r !== undefined && canAccessRecord(actor, r);
    }
    case 'company': {
      const [r] = await db.select({ responsibleId: companies.responsibleId, observerIds: companies.observerIds }).from(companies).where(eq(companies.id, id));
      return r !== undefined && canAccessRecord(actor, r);
    }
    case 'lead': {
      const [r] = await db.select({ responsibleId: leads.responsibleId, convertedDealId: leads.convertedDealId }).from(leads).where(eq(leads.id, id));
      if (!r) return false;
      // As getLead: an untaken lead is the managers' common pool.
      const inPool = r.responsibleId === null && r.convertedDealId === null && hasRole(actor, 'manager');
      return inPool || canAccessRecord(actor, { responsibleId: r.responsibleId, observerIds: [] });
    }
    case 'task': {
      const [r] = await db.select({ assigneeId: tasks.assigneeId, createdById: tasks.createdById }).from(tasks).where(eq(tasks.id, id));
      if (!r) return false;
      return hasRole(actor, 'admin', 'supervisor') || (actor.userId !== null && (r.assigneeId === actor.userId || r.createdById === actor.userId));
    }
  }
}

/** Every given reference readable by the actor; otherwise one ValidationError naming each bad field. */
export async function requireReadable(db: Db, actor: Actor, refs: readonly Reference[]): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const ref of refs) {
    if (ref.id === null || ref.id === undefined) continue;
    if (!(await canReadRecord(db, actor, ref.entity, ref.id))) issues.push({ field: ref.field, message: `no such ${ref.entity}` });
  }
  if (issues.length) throw new ValidationError(issues);
}

/** The people a write names (responsible, observers, assignee): active staff, each field reported. */
export async function requireStaff(db: Db, people: readonly { field: string; ids: readonly (number | null | undefined)[] }[]): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const p of people) {
    const ids = [...new Set(p.ids.filter((id): id is number => typeof id === 'number'))];
    try {
      await requireActiveUsers(db, ids, p.field);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.issues);
    }
  }
  if (issues.length) throw new ValidationError(issues);
}

/**
 * What a patch changes among the ids it carries: an id the record already holds is not checked
 * again (a patch re-sending the deal's contact, or an observer list keeping someone who has
 * since left, is not refused for it); of an id list, only the ids it adds.
 */
export function changedIds<P extends Record<string, unknown>, B extends Record<string, unknown>>(patch: P, before: B, keys: readonly (keyof P & keyof B & string)[]): Partial<P> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const next = patch[k];
    const prev = before[k];
    if (next === undefined) continue;
    if (Array.isArray(next)) out[k] = next.filter((id) => !(Array.isArray(prev) && prev.includes(id)));
    else if (next !== prev) out[k] = next;
  }
  return out as Partial<P>;
}
