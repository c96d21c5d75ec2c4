// Reminders from the chat, through the Telegram emulator on a controlled clock: /remind with a
// phrase, its answer and the buttons that change it, the reminder coming (the worker's sweep)
// with snooze and done, the card's ⏰ with free text, refusals that create nothing, presses
// that change nothing (someone else's, a stale message, a task done), /tasks across midnight.
// Expected instants are written out by hand (Moscow is UTC+3 all year).
import { eq, like } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMessages, tasks } from '../../../db/schema/index.ts';
import { type ReminderWorker, startReminderWorker } from '../../../src/automation/reminder-worker.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { getPipeline } from '../../../src/crm/pipelines.ts';
import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import type { Jobs } from '../../../src/jobs/job-queue.ts';
import { startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

// Friday 5 February 2027, 15:30 in Moscow.
let clock = new Date('2027-02-05T12:30:00Z');
const at = (iso: string) => {
  clock = new Date(iso);
};

describe('reminders from the chat (Telegram)', () => {
  let s: SalesStack;
  let jobs: Jobs;
  let worker: ReminderWorker;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let boris: Awaited<ReturnType<SalesStack['staff']>>;
  let dealId = 0;
  const next = (who: { id: number }, pred?: (text: string) => boolean) =>
    s.telegram.waitForMessage(who.id, pred ? (m) => pred(m.text ?? '') : undefined, 8000).then((m) => m.text ?? '');
  const taskRow = async (id: number) => (await s.db.db.select().from(tasks).where(eq(tasks.id, id)))[0]!;
  const taskCount = async () => (await s.db.db.select().from(tasks)).length;
  /** Reminders sent for a task (a snoozed one's message is edited afterwards, so they are counted where they were queued). */
  const remindersOf = async (id: number) => (await s.db.db.select().from(outboxMessages).where(like(outboxMessages.idempotencyKey, `staff:task-due:${id}:%`))).length;
  /** The text of a message to `who` once it reads as `pred` wants (an edit changes a message in place). */
  const becomes = async (who: { id: number }, messageId: number, pred: (text: string) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const m = s.telegram.sentMessages(who.id).find((x) => x.message_id === messageId);
      if (m && pred(m.text ?? '')) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`message ${messageId} never read as expected: ${JSON.stringify(s.telegram.sentMessages(who.id).find((x) => x.message_id === messageId)?.text)}`);
  };

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'reminders', { now: () => clock });
    boris = await s.staff('Борис Руководителев', ['supervisor']);
    anna = await s.staff('Анна Смирнова', ['manager'], { supervisorId: boris.user.id });
    const pipeline = await getPipeline(s.db.db, {});
    dealId = (await createDeal(s.db.db, userActor(anna.user), { title: 'Трактор для КФХ', pipelineId: pipeline.id, responsibleId: anna.user.id })).id;
    jobs = createInProcessJobs({ logger: pino({ level: 'silent' }) });
    worker = await startReminderWorker({
      db: s.db.db,
      jobs,
      logger: pino({ level: 'silent' }),
      now: () => clock,
      sweepIntervalMs: 3_600_000,
      remind: async (tx, task) => void (await s.notices.taskDue(task, tx)),
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await jobs?.close();
    await s?.stop();
  });

  let taskId = 0;

  it('/remind with a phrase: the task is made for the sender and the answer shows its time in words and digits, with buttons', async () => {
    s.send(anna.tg, '/remind завтра в 10 перезвонить Иванову');
    const echo = await next(anna.tg);
    taskId = Number(/задача № (\d+)/.exec(echo)?.[1]);
    expect(echo).toBe(`⏰ Напомню сб, 6 февраля, 10:00: Перезвонить Иванову (задача № ${taskId}).`);
    const sent = s.telegram.sentMessages(anna.tg.id).at(-1)!;
    const buttons = (sent.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard.flat().map((b) => b.text);
    expect(buttons).toEqual(['+1 час', 'Завтра 09:00', 'Другое время', 'Отменить']);
    const task = await taskRow(taskId);
    expect(task).toMatchObject({ title: 'Перезвонить Иванову', assigneeId: anna.user.id, createdById: anna.user.id, status: 'open', entityType: null, remindedAt: null });
    // Saturday 6 February 2027 10:00 MSK.
    expect(task.dueAt!.toISOString()).toBe('2027-02-06T07:00:00.000Z');
  });

  it('the answer\'s buttons change it: +1 hour, then another time typed in words', async () => {
    const echo = s.telegram.sentMessages(anna.tg.id).at(-1)!;
    s.press(anna.tg, '+1 час');
    await becomes(anna.tg, echo.message_id, (t) => t === `⏰ Напомню сб, 6 февраля, 11:00: Перезвонить Иванову (задача № ${taskId}).`);
    expect((await taskRow(taskId)).dueAt!.toISOString()).toBe('2027-02-06T08:00:00.000Z');

    s.press(anna.tg, 'Другое время');
    expect(await next(anna.tg)).toMatch(new RegExp(`^Когда напомнить о задаче № ${taskId}\\?`));
    s.send(anna.tg, 'в понедельник в 9:15');
    expect(await next(anna.tg)).toBe(`⏰ Напомню пн, 8 февраля, 09:15: Перезвонить Иванову (задача № ${taskId}).`);
    // Monday 8 February 2027 09:15 MSK.
    expect((await taskRow(taskId)).dueAt!.toISOString()).toBe('2027-02-08T06:15:00.000Z');
  });

  it('the reminder comes at its time with snooze and done; snoozed an hour it comes again an hour later; done, never again', async () => {
    at('2027-02-08T06:14:00Z');
    expect((await worker.sweep()).fired).toBe(0);
    at('2027-02-08T06:15:00Z');
    expect((await worker.sweep()).fired).toBe(1);
    const first = await next(anna.tg, (t) => t.startsWith('⏰ Напоминание'));
    expect(first).toBe(`⏰ Напоминание: Перезвонить Иванову (задача № ${taskId})`);
    const reminder = s.telegram.sentMessages(anna.tg.id).at(-1)!;
    expect(reminder.text).toBe(first);
    const labels = (reminder.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard.map((row) => row.map((b) => b.text));
    expect(labels).toEqual([['⏳ 15 мин', '⏳ 1 час', 'Завтра 09:00'], ['Другое время'], ['Выполнено']]);
    expect((await taskRow(taskId)).remindedAt).not.toBeNull();

    // Pressed two minutes after it came: an hour from then.
    at('2027-02-08T06:17:00Z');
    const press = s.press(anna.tg, '⏳ 1 час');
    expect(await s.pressAnswer(press)).toEqual({ text: 'Отложено до пн, 8 февраля, 10:17' });
    await becomes(anna.tg, reminder.message_id, (t) => t === `⏳ Отложено до пн, 8 февраля, 10:17: Перезвонить Иванову (задача № ${taskId}).`);
    const snoozed = await taskRow(taskId);
    expect(snoozed.dueAt!.toISOString()).toBe('2027-02-08T07:17:00.000Z');
    expect(snoozed.remindedAt).toBeNull();

    at('2027-02-08T07:16:00Z');
    expect((await worker.sweep()).fired).toBe(0);
    at('2027-02-08T07:17:00Z');
    expect((await worker.sweep()).fired).toBe(1);
    expect(await next(anna.tg, (t) => t.startsWith('⏰ Напоминание'))).toBe(first);
    expect(await remindersOf(taskId)).toBe(2);

    s.press(anna.tg, 'Выполнено');
    expect(await next(anna.tg, (t) => t.startsWith('Задача'))).toBe('Задача «Перезвонить Иванову» выполнена.');
    expect((await taskRow(taskId)).status).toBe('done');
    at('2027-02-08T09:00:00Z');
    expect((await worker.sweep()).fired).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await remindersOf(taskId)).toBe(2);
    expect(s.telegram.sentMessages(anna.tg.id).filter((m) => m.text === first)).toHaveLength(1);
  });

  it('presses that change nothing: a task already done, a stale message, someone else\'s reminder', async () => {
    const done = await taskRow(taskId);
    await s.pressData(anna.tg, `rd:${taskId}:${Math.floor(done.dueAt!.getTime() / 1000)}:1h`);
    expect(await next(anna.tg, (t) => t.includes(`№ ${taskId}`))).toBe(`Задача № ${taskId} уже выполнена. Ничего не изменено.`);

    // A fresh one, snoozed from its answer: the answer as it was first shown is out of date.
    at('2027-02-08T09:00:00Z');
    s.send(anna.tg, '/remind через 2 часа проверить оплату');
    const echo = await next(anna.tg);
    const id = Number(/задача № (\d+)/.exec(echo)?.[1]);
    expect(echo).toBe(`⏰ Напомню пн, 8 февраля, 14:00: Проверить оплату (задача № ${id}).`);
    const shownAt = Math.floor(new Date('2027-02-08T11:00:00Z').getTime() / 1000);
    s.press(anna.tg, 'Завтра 09:00');
    const message = s.telegram.sentMessages(anna.tg.id).at(-1)!;
    // The next working morning after Monday: Tuesday 9 February 09:00 MSK.
    await becomes(anna.tg, message.message_id, (t) => t.includes('вт, 9 февраля, 09:00'));
    expect((await taskRow(id)).dueAt!.toISOString()).toBe('2027-02-09T06:00:00.000Z');
    await s.pressData(anna.tg, `re:${id}:${shownAt}:1h`);
    expect(await next(anna.tg, (t) => t.includes('устарело'))).toBe(`Это сообщение устарело: задача № ${id} теперь на вт, 9 февраля, 09:00. Ничего не изменено.`);
    expect((await taskRow(id)).dueAt!.toISOString()).toBe('2027-02-09T06:00:00.000Z');

    // Boris presses Anna's reminder (a forged press: it is not in his chat).
    const now = Math.floor(new Date('2027-02-09T06:00:00Z').getTime() / 1000);
    for (const action of ['1h', '15m', 'tm', 'ok', 'at']) {
      await s.pressData(boris.tg, `rd:${id}:${now}:${action}`);
      expect(await next(boris.tg, (t) => t.includes(`№ ${id}`))).toBe(`Это напоминание не ваше: задача № ${id} у другого сотрудника. Ничего не изменено.`);
    }
    await s.pressData(boris.tg, `re:${id}:${now}:x`);
    expect(await next(boris.tg, (t) => t.includes(`№ ${id}`))).toMatch(/^Это напоминание не ваше/);
    expect(await taskRow(id)).toMatchObject({ status: 'open', dueAt: new Date('2027-02-09T06:00:00Z'), remindedAt: null });

    // Anna cancels it from its answer.
    s.press(anna.tg, 'Отменить');
    await becomes(anna.tg, message.message_id, (t) => t === `Напоминание отменено: Проверить оплату (задача № ${id}).`);
    expect((await taskRow(id)).status).toBe('cancelled');
  });

  it('the ⏰ button on a deal card reads one free-text answer the same way', async () => {
    at('2027-02-05T12:30:00Z');
    await s.pressData(anna.tg, `d:${dealId}:open`);
    await next(anna.tg, (t) => t.startsWith(`💼 Сделка № ${dealId} `));
    s.press(anna.tg, '⏰ Напомнить');
    expect(await next(anna.tg)).toMatch(/^Когда напомнить и о чем\?/);
    s.send(anna.tg, 'в понедельник в 11 отправить КП');
    const echo = await next(anna.tg);
    const id = Number(/задача № (\d+)/.exec(echo)?.[1]);
    expect(echo).toBe(`⏰ Напомню пн, 8 февраля, 11:00: Отправить КП (задача № ${id}).`);
    expect(await taskRow(id)).toMatchObject({ entityType: 'deal', entityId: dealId, assigneeId: anna.user.id, dueAt: new Date('2027-02-08T08:00:00Z') });

    // Only a time: the card's default title.
    s.press(anna.tg, '⏰ Напомнить');
    await next(anna.tg, (t) => t.startsWith('Когда напомнить'));
    s.send(anna.tg, 'через 2 часа');
    const second = await next(anna.tg);
    expect(second).toMatch(/^⏰ Напомню пт, 5 февраля, 17:30: Связаться с клиентом \(задача № \d+\)\.$/);
  });

  it('a time gone by, a text with no time, a huge text: a clear answer each, nothing created', async () => {
    at('2027-02-05T12:30:00Z');
    const before = await taskCount();
    s.send(anna.tg, '/remind вчера в 10 позвонить Петрову');
    expect(await next(anna.tg)).toBe(
      'Понял «вчера в 10» как чт, 4 февраля, 10:00, а это время уже прошло. Ничего не создано.\n\n' +
        'Напишите еще раз, например: «завтра в 10 перезвонить Иванову», «через 2 часа», «в пятницу после обеда», «25.11 в 15:00», «к концу дня». Или нажмите «Отмена».',
    );
    s.send(anna.tg, 'когда-нибудь потом');
    expect(await next(anna.tg)).toMatch(/^Не понял, когда напомнить: в «когда-нибудь потом» нет даты или времени\. Ничего не создано\.\n\nНапишите еще раз/);
    s.press(anna.tg, 'Отмена');
    expect(await next(anna.tg)).toBe('Отменено, ничего не изменено.');

    s.send(anna.tg, '/remind сегодня в 9 утра');
    expect(await next(anna.tg)).toMatch(/^Понял «сегодня в 9 утра» как пт, 5 февраля, 09:00, а это время уже прошло/);
    s.send(anna.tg, '/cancel');
    expect(await next(anna.tg)).toBe('Отменено, ничего не изменено.');

    s.send(anna.tg, `/remind завтра в 10 ${'позвонить '.repeat(10_000)}`);
    expect(await next(anna.tg)).toMatch(/^Слишком длинное сообщение для напоминания \(больше 1000 знаков\)\. Ничего не создано\./);
    s.send(anna.tg, 'zzzz qqqq');
    // Not taken for a reminder: the flow had ended; a plain text is a search.
    expect(await next(anna.tg)).toMatch(/zzzz qqqq/);
    expect(await taskCount()).toBe(before);
  });

  it('/remind alone asks what and when; a time without a title asks what', async () => {
    at('2027-02-05T12:30:00Z');
    s.send(anna.tg, '/remind');
    expect(await next(anna.tg)).toMatch(/^Что и когда напомнить\?/);
    s.send(anna.tg, 'к концу дня');
    expect(await next(anna.tg)).toBe('Что напомнить пт, 5 февраля, 18:00?');
    s.send(anna.tg, 'сдать отчет');
    const echo = await next(anna.tg);
    const id = Number(/задача № (\d+)/.exec(echo)?.[1]);
    expect(echo).toBe(`⏰ Напомню пт, 5 февраля, 18:00: Сдать отчет (задача № ${id}).`);
    expect((await taskRow(id)).dueAt!.toISOString()).toBe('2027-02-05T15:00:00.000Z');

    // Refused for its time, said again with the time alone: what it was about is kept.
    s.send(anna.tg, '/remind вчера в 10 позвонить Петрову');
    expect(await next(anna.tg)).toMatch(/^Понял «вчера в 10» как чт, 4 февраля, 10:00/);
    s.send(anna.tg, 'завтра в 11');
    const again = await next(anna.tg);
    const second = Number(/задача № (\d+)/.exec(again)?.[1]);
    expect(again).toBe(`⏰ Напомню сб, 6 февраля, 11:00: Позвонить Петрову (задача № ${second}).`);
    expect((await taskRow(second)).dueAt!.toISOString()).toBe('2027-02-06T08:00:00.000Z');

    // The time passes while the title is asked: nothing is created.
    at('2027-02-05T14:58:00Z');
    const before = await taskCount();
    s.send(anna.tg, '/remind в 18:00');
    expect(await next(anna.tg)).toBe('Что напомнить пт, 5 февраля, 18:00?');
    at('2027-02-05T15:01:00Z');
    s.send(anna.tg, 'сдать отчет');
    expect(await next(anna.tg)).toBe('Пока мы говорили, пт, 5 февраля, 18:00 уже наступило. Ничего не создано: начните заново с /remind.');
    expect(await taskCount()).toBe(before);
  });
});
