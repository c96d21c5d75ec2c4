import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { entityTypes, type Task, tasks } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { idSchema, optionalText } from './record-input.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const taskInputSchema = z.object({
  title: z.string().trim().min(1).max(500),
  description: optionalText(10_000),
  dueAt: z.coerce.date().nullable().optional(),
  assigneeId: idSchema.nullable().optional(),
  entityType: z.enum(entityTypes).nullable().optional(),
  entityId: idSchema.nullable().optional(),
});
export type TaskInput = z.input<typeof taskInputSchema>;

const canTouchTask = (actor: Actor, t: Task) =>
  hasRole(actor, 'admin', 'supervisor') || (actor.userId !== null && (t.assigneeId === actor.userId || t.createdById === actor.userId));

export async function createTask(db: Db, actor: Actor, input: TaskInput): Promise<Task> {
  const data = parseInput(taskInputSchema, input);
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

