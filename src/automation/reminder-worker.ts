// The worker side of task reminders: consumes the delayed jobs, and every minute re-derives
// what the queue should hold from Postgres (fires what is due, arms what is due soon), so a
// lost Redis or a crash between commit and enqueue costs at most a minute of precision.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { Jobs } from '../jobs/job-queue.ts';
import { fireTaskDue, pendingReminders, type RemindAssignee, REMINDERS_QUEUE, TASK_DUE_JOB, type TaskDueJob, taskDueJobId } from './task-reminders.ts';

export interface ReminderWorker {
  /** Runs one sweep now (also used by tests). */
  sweep(): Promise<{ fired: number; armed: number }>;
  stop(): Promise<void>;
}

export const SWEEP_INTERVAL_MS = 60_000;
const ARM_AHEAD_MS = 2 * SWEEP_INTERVAL_MS;

export async function scheduleTaskReminder(jobs: Jobs, task: { id: number; dueAt: Date | null }): Promise<void> {
  if (!task.dueAt) return;
  await jobs.add<TaskDueJob>(REMINDERS_QUEUE, TASK_DUE_JOB, { taskId: task.id }, { jobId: taskDueJobId(task), runAt: task.dueAt });
}

export async function startReminderWorker(deps: {
  db: Db;
  jobs: Jobs;
  logger: Logger;
  now?: () => Date;
  sweepIntervalMs?: number;
  /** Tells the assignee in his messenger. */
  remind?: RemindAssignee;
}): Promise<ReminderWorker> {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ worker: 'reminders' });

  await deps.jobs.work<TaskDueJob>(
    REMINDERS_QUEUE,
    async (job) => {
      const outcome = await fireTaskDue(deps.db, job.data.taskId, now(), deps.remind);
      log.info({ taskId: job.data.taskId, outcome, job: job.id }, 'task reminder fired');
    },
    { concurrency: 4 },
  );

  const sweep = async () => {
    const t = now();
    let fired = 0;
    let armed = 0;
    for (const task of await pendingReminders(deps.db, new Date(t.getTime() + ARM_AHEAD_MS))) {
      if (task.dueAt! <= t) {
        if ((await fireTaskDue(deps.db, task.id, t, deps.remind)) === 'reminded') fired += 1;
      } else {
        await scheduleTaskReminder(deps.jobs, task);
        armed += 1;
      }
    }
    if (fired) log.info({ fired }, 'sweep fired overdue reminders the queue had missed');
    return { fired, armed };
  };

  await sweep();
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweep().catch((err: unknown) => log.error({ err }, 'reminder sweep failed'));
  }, deps.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
