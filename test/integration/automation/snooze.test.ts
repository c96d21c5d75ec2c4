// What a press on a reminder does to the task, on Postgres: snooze moves due_at, clears
// reminded_at and arms the wake-up; done and cancel close it; a press by anyone but the
// assignee, on a closed task or with a due time the task no longer has changes nothing.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, tasks } from '../../../db/schema/index.ts';
import { createBusinessCalendar, defaultCalendarConfig } from '../../../src/automation/calendar/index.ts';
import {
  cancelReminder,
  completeReminder,
  dueSeconds,
  DueInPastError,
  NotYourReminderError,
  rescheduleReminder,
  snoozeReminder,
  StaleReminderError,
  TaskClosedError,
} from '../../../src/automation/snooze.ts';
import { fireTaskDue } from '../../../src/automation/task-reminders.ts';
import { createTask } from '../../../src/crm/tasks.ts';
import type { Jobs } from '../../../src/jobs/job-queue.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { usePresetDb } from '../crm/preset-db.ts';

const calendar = createBusinessCalendar(defaultCalendarConfig('Europe/Moscow'));

/** Records what the services arm; the queue itself is tested on its own. */
function recordingJobs(): Jobs & { added: { jobId?: string | undefined; runAt?: Date | undefined }[] } {
  const added: { jobId?: string | undefined; runAt?: Date | undefined }[] = [];
  return {
    driver: 'in-process',
    added,
    async add(_q, _n, _d, opts) {
      added.push({ jobId: opts?.jobId, runAt: opts?.runAt });
      return { id: opts?.jobId ?? 'x', added: true };
    },
    cancel: async () => 'not_found',
    work: async () => undefined,
    health: async () => ({ ok: true, driver: 'in-process' }),
    close: async () => undefined,
  };
}

describe('reminder presses (postgres)', () => {
  const t = usePresetDb('postgres', 'dealer');
  const db = () => t().db;
  const row = async (id: number) => (await db().select().from(tasks).where(eq(tasks.id, id)))[0]!;

  it('snooze after the reminder came: due an hour from the press, reminded again then, the wake-up armed', async () => {
    const { actor } = await makeUser(db(), ['manager']);
    const task = await createTask(db(), actor, { title: 'Позвонить', dueAt: new Date('2027-02-08T06:15:00Z') });
    expect(await fireTaskDue(db(), task.id, new Date('2027-02-08T06:15:00Z'))).toBe('reminded');
    const jobs = recordingJobs();
    const moved = await snoozeReminder(db(), jobs, actor, task.id, { option: '1h', shown: dueSeconds(task.dueAt), now: new Date('2027-02-08T06:17:30Z'), calendar });
    expect(moved.dueAt!.toISOString()).toBe('2027-02-08T07:17:00.000Z');
    expect((await row(task.id)).remindedAt).toBeNull();
    expect(jobs.added).toEqual([{ jobId: `task-due.${task.id}.${Date.parse('2027-02-08T07:17:00Z')}`, runAt: new Date('2027-02-08T07:17:00Z') }]);
    expect(await fireTaskDue(db(), task.id, new Date('2027-02-08T07:16:59Z'))).toBe('not_due');
    expect(await fireTaskDue(db(), task.id, new Date('2027-02-08T07:17:00Z'))).toBe('reminded');
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.entityType, 'task'), eq(auditLog.entityId, task.id), eq(auditLog.action, 'task.reschedule')));
    expect(audit).toHaveLength(1);
  });

  it('tomorrow from a Friday evening is Monday 09:00; without a queue nothing is armed and the row still says when', async () => {
    const { actor } = await makeUser(db(), ['manager']);
    const task = await createTask(db(), actor, { title: 'Счет', dueAt: new Date('2027-02-05T15:00:00Z') });
    const moved = await snoozeReminder(db(), null, actor, task.id, { option: 'tomorrow', shown: dueSeconds(task.dueAt), now: new Date('2027-02-05T15:05:00Z'), calendar });
    expect(moved.dueAt!.toISOString()).toBe('2027-02-08T06:00:00.000Z');
  });

  it("someone else's press, even a supervisor's, changes nothing; nor a stale one, nor one on a task done or cancelled", async () => {
    const { actor } = await makeUser(db(), ['manager']);
    const other = await makeUser(db(), ['manager']);
    const boss = await makeUser(db(), ['supervisor']);
    const task = await createTask(db(), actor, { title: 'Договор', dueAt: new Date('2027-02-08T09:00:00Z') });
    const shown = dueSeconds(task.dueAt);
    const now = new Date('2027-02-08T09:00:00Z');
    for (const who of [other.actor, boss.actor]) {
      await expect(snoozeReminder(db(), null, who, task.id, { option: '1h', shown, now, calendar })).rejects.toBeInstanceOf(NotYourReminderError);
      await expect(completeReminder(db(), who, task.id, shown)).rejects.toBeInstanceOf(NotYourReminderError);
      await expect(cancelReminder(db(), who, task.id, shown, now)).rejects.toBeInstanceOf(NotYourReminderError);
    }
    const stale = await snoozeReminder(db(), null, actor, task.id, { option: '15m', shown: shown - 60, now, calendar }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StaleReminderError);
    expect((stale as StaleReminderError).dueAt).toEqual(task.dueAt);
    await expect(rescheduleReminder(db(), null, actor, task.id, { dueAt: new Date('2027-02-08T08:00:00Z'), shown, now })).rejects.toBeInstanceOf(DueInPastError);
    expect(await row(task.id)).toMatchObject({ status: 'open', dueAt: task.dueAt, remindedAt: null });

    expect((await completeReminder(db(), actor, task.id, shown)).status).toBe('done');
    const closed = await snoozeReminder(db(), null, actor, task.id, { option: '1h', shown, now, calendar }).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(TaskClosedError);
    expect((closed as TaskClosedError).status).toBe('done');
    await expect(completeReminder(db(), actor, task.id, shown)).rejects.toBeInstanceOf(TaskClosedError);

    const second = await createTask(db(), actor, { title: 'Отменю', dueAt: new Date('2027-02-09T09:00:00Z') });
    expect((await cancelReminder(db(), actor, second.id, dueSeconds(second.dueAt), now)).status).toBe('cancelled');
    expect(await fireTaskDue(db(), second.id, new Date('2027-02-09T09:00:00Z'))).toBe('already_done');
    await expect(completeReminder(db(), actor, second.id, dueSeconds(second.dueAt))).rejects.toMatchObject({ name: 'TaskClosedError', status: 'cancelled' });
  });

  it('two presses at once: one moves the task, the other finds the message stale', async () => {
    const { actor } = await makeUser(db(), ['manager']);
    const task = await createTask(db(), actor, { title: 'Гонка', dueAt: new Date('2027-02-08T09:00:00Z') });
    const input = { option: '1h' as const, shown: dueSeconds(task.dueAt), now: new Date('2027-02-08T09:00:00Z'), calendar };
    const results = await Promise.allSettled([snoozeReminder(db(), null, actor, task.id, input), snoozeReminder(db(), null, actor, task.id, { ...input, option: '15m' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(StaleReminderError)]);
  });
});
