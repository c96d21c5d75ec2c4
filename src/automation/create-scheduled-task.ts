import type { Db } from '../../db/client.ts';
import type { Task } from '../../db/schema/index.ts';
import type { Actor } from '../crm/actor.ts';
import { createTask, type TaskInput } from '../crm/tasks.ts';
import type { Jobs } from '../jobs/job-queue.ts';
import { scheduleTaskReminder } from './reminder-worker.ts';

/**
 * Creates the task, then arms its reminder. The row is committed first: if the enqueue fails
 * or the process dies in between, the worker's sweep arms it from the row.
 */
export async function createScheduledTask(db: Db, jobs: Jobs, actor: Actor, input: TaskInput, onArmFailed?: (err: unknown) => void): Promise<Task> {
  const task = await createTask(db, actor, input);
  try {
    await scheduleTaskReminder(jobs, task);
  } catch (err) {
    onArmFailed?.(err);
  }
  return task;
}
