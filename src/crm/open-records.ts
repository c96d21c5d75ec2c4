// What someone who leaves still holds (open leads and deals, open tasks, the contacts and
// companies he is responsible for), and handing it over to someone else: all of it, or the
// records picked one by one. Each record moved gets a timeline entry and an audit row, in one
// transaction with the rest.
import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companies, contacts, deals, leads, tasks, users } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { findCompanyConfig } from './company-config.ts';
import { contactDisplayName } from './contacts.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { requireActiveUsers } from './staff.ts';
import { addTimelineEntry } from './timeline.ts';
import { requireAdmin } from './users.ts';

export const openRecordKinds = ['lead', 'deal', 'task', 'contact', 'company'] as const;
export type OpenRecordKind = (typeof openRecordKinds)[number];

export interface OpenRecord {
  kind: OpenRecordKind;
  id: number;
  title: string;
}

export type OpenRecords = Record<OpenRecordKind, OpenRecord[]> & { total: number };

/** Lead statuses that mean "still being worked"; all of them when the company has no configuration. */
async function openLeadStatuses(db: Db): Promise<string[] | null> {
  const found = await findCompanyConfig(db);
  return found ? found.config.leadStatuses.filter((s) => s.kind === 'open').map((s) => s.key) : null;
}

/** The rows of one kind he holds, under a row lock when `lock` (a hand-over in progress). */
async function heldBy(db: Db, kind: OpenRecordKind, userId: number, opts: { ids?: number[]; openLeads: string[] | null; lock?: boolean }): Promise<OpenRecord[]> {
  const only = (col: Parameters<typeof inArray>[0]): SQL | undefined => (opts.ids ? inArray(col, opts.ids.length ? opts.ids : [0]) : undefined);
  const lock = <T extends { for(strength: 'update'): T }>(q: T): T => (opts.lock ? q.for('update') : q);
  switch (kind) {
    case 'lead': {
      const statuses = opts.openLeads === null ? undefined : opts.openLeads.length ? inArray(leads.status, opts.openLeads) : sql`false`;
      const rows = await lock(db.select({ id: leads.id, title: leads.title }).from(leads).where(and(eq(leads.responsibleId, userId), isNull(leads.convertedDealId), statuses, only(leads.id))).orderBy(asc(leads.id)).$dynamic());
      return rows.map((r) => ({ kind, id: r.id, title: r.title }));
    }
    case 'deal': {
      const rows = await lock(db.select({ id: deals.id, title: deals.title }).from(deals).where(and(eq(deals.responsibleId, userId), isNull(deals.closedAt), only(deals.id))).orderBy(asc(deals.id)).$dynamic());
      return rows.map((r) => ({ kind, id: r.id, title: r.title }));
    }
    case 'task': {
      const rows = await lock(db.select({ id: tasks.id, title: tasks.title }).from(tasks).where(and(eq(tasks.assigneeId, userId), eq(tasks.status, 'open'), only(tasks.id))).orderBy(asc(tasks.id)).$dynamic());
      return rows.map((r) => ({ kind, id: r.id, title: r.title }));
    }
    case 'contact': {
      const rows = await lock(db.select().from(contacts).where(and(eq(contacts.responsibleId, userId), only(contacts.id))).orderBy(asc(contacts.id)).$dynamic());
      return rows.map((r) => ({ kind, id: r.id, title: contactDisplayName(r) }));
    }
    case 'company': {
      const rows = await lock(db.select({ id: companies.id, title: companies.name }).from(companies).where(and(eq(companies.responsibleId, userId), only(companies.id))).orderBy(asc(companies.id)).$dynamic());
      return rows.map((r) => ({ kind, id: r.id, title: r.title }));
    }
  }
}

/** Everything still open that the user is responsible for (or assigned, for tasks). */
export async function listOpenRecords(db: Db, userId: number): Promise<OpenRecords> {
  const openLeads = await openLeadStatuses(db);
  const out = { total: 0 } as OpenRecords;
  for (const kind of openRecordKinds) {
    out[kind] = await heldBy(db, kind, userId, { openLeads });
    out.total += out[kind].length;
  }
  return out;
}

export async function openRecordsOf(db: Db, actor: Actor, userId: number): Promise<OpenRecords> {
  requireAdmin(actor);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError('user', userId);
  return listOpenRecords(db, userId);
}

export interface HandOverResult {
  moved: OpenRecord[];
  /** Asked for but not his (any more) or not open: left as they are. */
  skipped: { kind: OpenRecordKind; id: number }[];
}

/**
 * Hands the user's open records to another active staff member: all of them, or only those
 * listed. A deal's version goes up, as with any change of its responsible.
 */
export async function handOverRecords(
  db: Db,
  actor: Actor,
  fromUserId: number,
  toUserId: number,
  only?: { kind: OpenRecordKind; id: number }[],
): Promise<HandOverResult> {
  requireAdmin(actor);
  if (fromUserId === toUserId) throw new ValidationError([{ field: 'toUserId', message: 'is the user the records are taken from' }]);
  const openLeads = await openLeadStatuses(db);
  return db.transaction(async (tx) => {
    const [from] = await tx.select({ id: users.id }).from(users).where(eq(users.id, fromUserId));
    if (!from) throw new NotFoundError('user', fromUserId);
    await requireActiveUsers(tx, [toUserId], 'toUserId');
    const moved: OpenRecord[] = [];
    const skipped: HandOverResult['skipped'] = [];
    for (const kind of openRecordKinds) {
      const wanted = only?.filter((r) => r.kind === kind).map((r) => r.id);
      if (wanted && wanted.length === 0) continue;
      const rows = await heldBy(tx, kind, fromUserId, { ids: wanted, openLeads, lock: true });
      if (wanted) skipped.push(...wanted.filter((id) => !rows.some((r) => r.id === id)).map((id) => ({ kind, id })));
      if (rows.length === 0) continue;
      await moveAll(tx, kind, rows.map((r) => r.id), toUserId);
      for (const r of rows) {
        const change = { [kind === 'task' ? 'assignee' : 'responsible']: { from: fromUserId, to: toUserId }, handover: true };
        await addTimelineEntry(tx, actor, { entityType: kind, entityId: r.id, kind: 'change', data: change });
        await writeAudit(tx, actor, { action: `${kind}.handover`, entityType: kind, entityId: r.id, before: { userId: fromUserId }, after: { userId: toUserId } });
      }
      moved.push(...rows);
    }
    return { moved, skipped };
  });
}

async function moveAll(tx: Db, kind: OpenRecordKind, ids: number[], to: number): Promise<void> {
  const now = new Date();
  switch (kind) {
    case 'lead':
      await tx.update(leads).set({ responsibleId: to, updatedAt: now }).where(inArray(leads.id, ids));
      return;
    case 'deal':
      await tx.update(deals).set({ responsibleId: to, version: sql`${deals.version} + 1`, updatedAt: now }).where(inArray(deals.id, ids));
      return;
    case 'task':
      await tx.update(tasks).set({ assigneeId: to, updatedAt: now }).where(inArray(tasks.id, ids));
      return;
    case 'contact':
      await tx.update(contacts).set({ responsibleId: to, updatedAt: now }).where(inArray(contacts.id, ids));
      return;
    case 'company':
      await tx.update(companies).set({ responsibleId: to, updatedAt: now }).where(inArray(companies.id, ids));
      return;
  }
}
