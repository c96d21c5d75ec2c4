// Task reminders. The due time lives in Postgres (tasks.due_at); a delayed job only wakes the
// worker at that moment, and a sweep catches anything a lost queue forgot. Firing re-reads
// the task and reminds only if it is still open, due and not yet reminded: the conditional
// update on reminded_at makes a replay or a second worker a no-op.
import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Task, tasks } from '../../db/schema/index.ts';
import { systemActor } from '../crm/actor.ts';
import { addTimelineEntry } from '../crm/timeline.ts';

export const REMINDERS_QUEUE = 'reminders';
export const TASK_DUE_JOB = 'task-due';

export interface TaskDueJob {
  taskId: number;
}

/** One job per task and due time: rescheduling to a new time is a new job, a replay is not. */
export const taskDueJobId = (task: Pick<Task, 'id' | 'dueAt'>) => `task-due.${task.id}.${task.dueAt!.getTime()}`;

export type ReminderOutcome = 'reminded' | 'not_due' | 'already_done';

/**
 * `remind` tells the assignee (an outbox row) in the same transaction as the mark, so a task is
 * reminded, and its message queued, exactly once.
 */
export type RemindAssignee = (tx: Db, task: Task) => Promise<void>;

export async function fireTaskDue(db: Db, taskId: number, now: Date, remind?: RemindAssignee): Promise<ReminderOutcome> {
  return db.transaction(async (tx) => {
    const [task] = await tx
      .update(tasks)
      .set({ remindedAt: now })
      .where(and(eq(tasks.id, taskId), eq(tasks.status, 'open'), isNull(tasks.remindedAt), lte(tasks.dueAt, now)))
      .returning();
    if (!task) {
      const [current] = await tx.select({ status: tasks.status, remindedAt: tasks.remindedAt }).from(tasks).where(eq(tasks.id, taskId));
      return current && current.status === 'open' && !current.remindedAt ? 'not_due' : 'already_done';
    }
    if (task.entityType && task.entityId) {
      await addTimelineEntry(tx, systemActor, {
        entityType: task.entityType,
        entityId: task.entityId,
        kind: 'task',
        body: task.title,
        data: { taskId: task.id, event: 'due', assigneeId: task.assigneeId },
      });
    }
    await remind?.(tx, task);
    return 'reminded';
  });
}

/** Open, unreminded tasks due by `until`: what a (re)starting worker must arm or fire. */
export function pendingReminders(db: Db, until: Date): Promise<Pick<Task, 'id' | 'dueAt'>[]> {
  return db
    .select({ id: tasks.id, dueAt: tasks.dueAt })
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), isNull(tasks.remindedAt), lte(tasks.dueAt, until)))
    .orderBy(tasks.dueAt)
    .limit(10_000);
}
