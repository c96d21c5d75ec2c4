import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { companies, contacts, deals, entityTypes, leads, type Task, tasks } from '../../db/schema/index.ts';
import { type Actor, canManageRecord, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { dateTimeSchema, idSchema, optionalText, requiredText } from './record-input.ts';
import { requireReadable, requireStaff, type WriteOptions } from './references.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const taskInputSchema = z
  .object({
    title: requiredText(500),
    description: optionalText(10_000),
    /** An ISO 8601 date-time with its offset; the assignee is reminded then. */
    dueAt: dateTimeSchema.nullable().optional(),
    assigneeId: idSchema.nullable().optional(),
    /** The record the task is about: both or neither. */
    entityType: z.enum(entityTypes).nullable().optional(),
    entityId: idSchema.nullable().optional(),
  })
  .superRefine((v, ctx) => {
    const hasType = v.entityType !== null && v.entityType !== undefined;
    const hasId = v.entityId !== null && v.entityId !== undefined;
    if (hasType && !hasId) ctx.addIssue({ code: 'custom', path: ['entityId'], message: 'is required with entityType' });
    if (hasId && !hasType) ctx.addIssue({ code: 'custom', path: ['entityType'], message: 'is required with entityId' });
  });
export type TaskInput = z.input<typeof taskInputSchema>;

/** Whether the actor manages the record (its responsible, a supervisor, an admin); tasks by their own rule. */
async function managesRecord(db: Db, actor: Actor, entity: (typeof entityTypes)[number], id: number): Promise<boolean> {
  if (hasRole(actor, 'admin', 'supervisor')) return true;
  if (entity === 'task') {
    const [t] = await db.select().from(tasks).where(eq(tasks.id, id));
    return t !== undefined && canTouchTask(actor, t);
  }
  const table = entity === 'deal' ? deals : entity === 'lead' ? leads : entity === 'contact' ? contacts : companies;
  const [row] = await db.select({ responsibleId: table.responsibleId }).from(table).where(eq(table.id, id));
  return row !== undefined && canManageRecord(actor, row);
}

const canTouchTask = (actor: Actor, t: Task) =>
  hasRole(actor, 'admin', 'supervisor') || (actor.userId !== null && (t.assigneeId === actor.userId || t.createdById === actor.userId));

/**
 * A task, on a record the actor may read. Anyone may give a colleague a task of his own; on a
 * record, a task for someone else is for who manages it (its responsible, supervisors, admins):
 * an observer puts tasks on it for himself only.
 */
export async function createTask(db: Db, actor: Actor, input: TaskInput, opts: WriteOptions = {}): Promise<Task> {
  const data = parseInput(taskInputSchema, input);
  const entity = data.entityType && data.entityId && !opts.carried ? { type: data.entityType, id: data.entityId } : null;
  if (entity) await requireReadable(db, actor, [{ field: 'entityId', entity: entity.type, id: entity.id }]);
  await requireStaff(db, [{ field: 'assigneeId', ids: [data.assigneeId] }]);
  const forSomeoneElse = data.assigneeId !== undefined && data.assigneeId !== null && data.assigneeId !== actor.userId;
  if (entity && forSomeoneElse && !(await managesRecord(db, actor, entity.type, entity.id))) {
    throw new ValidationError([{ field: 'assigneeId', message: `only who manages this ${entity.type} gives tasks on it to others; an observer's tasks are his own` }]);
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(tasks)
      .values({
        title: data.title,
        description: data.description ?? null,
        dueAt: data.dueAt ?? null,
        assigneeId: data.assigneeId ?? actor.userId,
        createdById: actor.userId,
        entityType: data.entityType ?? null,
        entityId: data.entityId ?? null,
      })
      .returning();
    if (row!.entityType && row!.entityId) {
      await addTimelineEntry(tx, actor, { entityType: row!.entityType, entityId: row!.entityId, kind: 'task', body: row!.title, data: { taskId: row!.id, event: 'created' } });
    }
    await writeAudit(tx, actor, { action: 'task.create', entityType: 'task', entityId: row!.id, after: row });
    return row!;
  });
}

export async function getTask(db: Db, actor: Actor, id: number): Promise<Task> {
  const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
  if (!row) throw new NotFoundError('task', id);
  if (!canTouchTask(actor, row)) throw new AccessDeniedError('task', id);
  return row;
}

export async function completeTask(db: Db, actor: Actor, id: number): Promise<Task> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(tasks).where(eq(tasks.id, id)).for('update');
    if (!row) throw new NotFoundError('task', id);
    if (!canTouchTask(actor, row)) throw new AccessDeniedError('task', id);
    if (row.status !== 'open') throw new ConflictError(`task ${id} is already ${row.status}`);
    const [done] = await tx.update(tasks).set({ status: 'done', completedAt: new Date(), updatedAt: new Date() }).where(eq(tasks.id, id)).returning();
    if (row.entityType && row.entityId)
      await addTimelineEntry(tx, actor, { entityType: row.entityType, entityId: row.entityId, kind: 'task', body: row.title, data: { taskId: id, event: 'done' } });
    await writeAudit(tx, actor, { action: 'task.complete', entityType: 'task', entityId: id, before: { status: row.status }, after: { status: 'done' } });
    return done!;
  });
}

export async function listTasks(db: Db, actor: Actor, opts: { limit?: number; cursor?: string | null; assigneeId?: number; openOnly?: boolean } = {}): Promise<Page<Task>> {
  const limit = clampLimit(opts.limit);
  const after = decodeCursor(opts.cursor);
  const where: (SQL | undefined)[] = [after === null ? undefined : gt(tasks.id, after)];
  if (!hasRole(actor, 'admin', 'supervisor')) where.push(actor.userId === null ? sql`false` : eq(tasks.assigneeId, actor.userId));
  if (opts.assigneeId) where.push(eq(tasks.assigneeId, opts.assigneeId));
  if (opts.openOnly) where.push(eq(tasks.status, 'open'));
  const rows = await db.select().from(tasks).where(and(...where)).orderBy(asc(tasks.id)).limit(limit + 1);
  return toPage(rows, limit);
}

