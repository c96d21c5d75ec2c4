// What the person a reminder is for does with it from the chat: later by 15 minutes or an hour,
// to the next working morning, to a time he types, done, or (just set) cancelled. A reminder
// is acted on by its assignee only, and only as the message he pressed showed it: the press
// carries the due time it was shown with, and a task due at another time by now (moved from
// another message, or by the API) is a stale message, changed by nothing.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Task, tasks } from '../../db/schema/index.ts';
import type { Actor } from '../crm/actor.ts';
import { writeAudit } from '../crm/audit.ts';
import { ConflictError, CrmError, NotFoundError } from '../crm/errors.ts';
import { completeTask } from '../crm/tasks.ts';
import { addTimelineEntry } from '../crm/timeline.ts';
import type { Jobs } from '../jobs/job-queue.ts';
import { type BusinessCalendar, nextWorkingDayAt } from './calendar/index.ts';
import { scheduleTaskReminder } from './reminder-worker.ts';

/** Later by 15 minutes, by an hour, or to the next working day at 09:00 on the company calendar. */
export const SNOOZE_OPTIONS = ['15m', '1h', 'tomorrow'] as const;
export type SnoozeOption = (typeof SNOOZE_OPTIONS)[number];

/** The working morning "tomorrow" means: the next working day after today, at this time. */
export const NEXT_MORNING = '09:00';

export class NotYourReminderError extends CrmError {
  override name = 'NotYourReminderError';
  constructor(
    readonly taskId: number,
    options?: { cause?: unknown },
  ) {
    super(`task ${taskId} is someone else's: only its assignee acts on its reminder`, options);
  }
}

export class TaskClosedError extends ConflictError {
  override name = 'TaskClosedError';
  constructor(
    readonly taskId: number,
    readonly status: Task['status'],
    options?: { cause?: unknown },
  ) {
    super(`task ${taskId} is already ${status}`, options);
  }
}

export class StaleReminderError extends ConflictError {
  override name = 'StaleReminderError';
  constructor(
    readonly taskId: number,
    /** When the task is due now. */
    readonly dueAt: Date | null,
    options?: { cause?: unknown },
  ) {
    super(`task ${taskId} is due at ${dueAt?.toISOString() ?? 'no time'} by now, not at the time that message showed`, options);
  }
}

/** A target in the past or not a time at all: a new due time must be ahead. */
export class DueInPastError extends CrmError {
  override name = 'DueInPastError';
  constructor(
    readonly dueAt: Date,
    options?: { cause?: unknown },
  ) {
    super(`${dueAt.toISOString()} is not in the future`, options);
  }
}

const toMinute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);

/**
 * Where a snooze moves the task. 15 minutes and an hour count from the later of now and the
 * time it is due: a reminder that has come is put off from now, one set for later is put off
 * from its own time ("+1 h" on the answer to /remind). Tomorrow is the next working day.
 */
export function snoozeTarget(option: SnoozeOption, task: Pick<Task, 'dueAt'>, now: Date, calendar: BusinessCalendar): Date {
  const from = Math.max(now.getTime(), task.dueAt?.getTime() ?? 0);
  switch (option) {
    case '15m':
      return toMinute(from + 15 * 60_000);
    case '1h':
      return toMinute(from + 60 * 60_000);
    case 'tomorrow':
      return nextWorkingDayAt(calendar, now, NEXT_MORNING);
  }
}

/** Whole seconds: what a button carries of the due time it was shown with. */
export const dueSeconds = (dueAt: Date | null) => (dueAt ? Math.floor(dueAt.getTime() / 1000) : 0);

/** The shown due time, in whole seconds (0: none); null: no check (a press that carries none). */
export type ShownDue = number | null;

/** The task locked, checked as the reminder's: its assignee, still open, due as shown. */
async function lockOwn(tx: Db, actor: Actor, taskId: number, shown: ShownDue): Promise<Task> {
  const [row] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update');
  if (!row) throw new NotFoundError('task', taskId);
  if (actor.userId === null || row.assigneeId !== actor.userId) throw new NotYourReminderError(taskId);
  if (row.status !== 'open') throw new TaskClosedError(taskId, row.status);
  if (shown !== null && dueSeconds(row.dueAt) !== shown) throw new StaleReminderError(taskId, row.dueAt);
  return row;
}

/**
 * The task due at `dueAt` instead; its reminder comes again then (reminded_at cleared, the
 * wake-up armed when there is a queue: the worker's sweep arms it anyway).
 */
export async function rescheduleReminder(
  db: Db,
  jobs: Jobs | null,
  actor: Actor,
  taskId: number,
  input: { dueAt: Date | ((task: Task) => Date); shown: ShownDue; now: Date },
  onArmFailed?: (err: unknown) => void,
): Promise<Task> {
  const task = await db.transaction(async (tx) => {
    const row = await lockOwn(tx, actor, taskId, input.shown);
    const dueAt = typeof input.dueAt === 'function' ? input.dueAt(row) : input.dueAt;
    if (!(dueAt.getTime() > input.now.getTime())) throw new DueInPastError(dueAt);
    const [moved] = await tx.update(tasks).set({ dueAt, remindedAt: null, updatedAt: input.now }).where(eq(tasks.id, taskId)).returning();
    await writeAudit(tx, actor, { action: 'task.reschedule', entityType: 'task', entityId: taskId, before: { dueAt: row.dueAt, remindedAt: row.remindedAt }, after: { dueAt } });
    return moved!;
  });
  if (jobs) {
    try {
      await scheduleTaskReminder(jobs, task);
    } catch (err) {
      onArmFailed?.(err);
    }
  }
  return task;
}

export function snoozeReminder(
  db: Db,
  jobs: Jobs | null,
  actor: Actor,
  taskId: number,
  input: { option: SnoozeOption; shown: ShownDue; now: Date; calendar: BusinessCalendar },
  onArmFailed?: (err: unknown) => void,
): Promise<Task> {
  return rescheduleReminder(db, jobs, actor, taskId, { dueAt: (task) => snoozeTarget(input.option, task, input.now, input.calendar), shown: input.shown, now: input.now }, onArmFailed);
}

/** The task, if the actor may act on its reminder as shown; else the refusal a change would get. */
export function ownReminder(db: Db, actor: Actor, taskId: number, shown: ShownDue): Promise<Task> {
  return db.transaction((tx) => lockOwn(tx, actor, taskId, shown));
}

/** Done from the reminder (or the task opened from /tasks). */
export async function completeReminder(db: Db, actor: Actor, taskId: number, shown: ShownDue): Promise<Task> {
  // Checked first as the reminder's; completeTask checks and locks again in its own transaction.
  await ownReminder(db, actor, taskId, shown);
  try {
    return await completeTask(db, actor, taskId);
  } catch (err) {
    // Done by a second press in between: the same answer as a press on a task done before.
    if (err instanceof ConflictError) throw new TaskClosedError(taskId, 'done', { cause: err });
    throw err;
  }
}

/** A reminder just set, taken back: the task is cancelled and nobody is reminded. */
export async function cancelReminder(db: Db, actor: Actor, taskId: number, shown: ShownDue, now: Date): Promise<Task> {
  return db.transaction(async (tx) => {
    const row = await lockOwn(tx, actor, taskId, shown);
    const [cancelled] = await tx
      .update(tasks)
      .set({ status: 'cancelled', updatedAt: now })
      .where(and(eq(tasks.id, taskId), eq(tasks.status, 'open')))
      .returning();
    if (row.entityType && row.entityId) {
      await addTimelineEntry(tx, actor, { entityType: row.entityType, entityId: row.entityId, kind: 'task', body: row.title, data: { taskId, event: 'cancelled' } });
    }
    await writeAudit(tx, actor, { action: 'task.cancel', entityType: 'task', entityId: taskId, before: { status: row.status }, after: { status: 'cancelled' } });
    return cancelled!;
  });
}
