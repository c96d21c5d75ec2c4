// /tasks through the Telegram emulator on a controlled clock half an hour after midnight in
// Moscow (still the day before in UTC): overdue, today and the next 7 days are days of the
// company's zone; a task opens with its card and its buttons. Then the same on WhatsApp, where
// buttons are numbered options: /remind, its answer changed by a typed number, /tasks.
// Expected instants and sections are written out by hand (Moscow is UTC+3 all year).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { getPipeline } from '../../../src/crm/pipelines.ts';
import { completeTask, createTask } from '../../../src/crm/tasks.ts';
import { startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

// Saturday 6 February 2027, 00:30 in Moscow = Friday 5 February, 21:30 UTC.
let clock = new Date('2027-02-05T21:30:00Z');

describe('/tasks and reminders on both channels', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let emma: Awaited<ReturnType<SalesStack['staff']>>;
  let ivan: Awaited<ReturnType<SalesStack['staff']>>;
  let dealId = 0;
  const ids: Record<string, number> = {};
  const next = (who: { id: number }, pred?: (text: string) => boolean) =>
    s.telegram.waitForMessage(who.id, pred ? (m) => pred(m.text ?? '') : undefined, 8000);
  const labels = (m: { reply_markup?: unknown }) => ((m.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.text);

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'tasks', { now: () => clock });
    anna = await s.staff('Анна Смирнова', ['manager']);
    emma = await s.staff('Emma Stone', ['manager'], { language: 'en' });
    ivan = await s.staff('Иван Новиков', ['manager']);
    const pipeline = await getPipeline(s.db.db, {});
    dealId = (await createDeal(s.db.db, userActor(anna.user), { title: 'Комбайн', pipelineId: pipeline.id, responsibleId: anna.user.id })).id;
    const add = async (key: string, who: typeof anna, dueAt: string | null, extra: object = {}) => {
      ids[key] = (await createTask(s.db.db, userActor(who.user), { title: key, dueAt: dueAt === null ? null : new Date(dueAt), ...extra })).id;
    };
    await add('Вчера поздно', anna, '2027-02-05T23:50:00+03:00');
    await add('После полуночи', anna, '2027-02-06T00:45:00+03:00');
    await add('Вечером', anna, '2027-02-06T23:30:00+03:00');
    await add('Завтра ночью', anna, '2027-02-07T00:10:00+03:00', { entityType: 'deal', entityId: dealId });
    await add('Через неделю', anna, '2027-02-13T23:59:00+03:00');
    await add('Дальше недели', anna, '2027-02-14T00:00:00+03:00');
    await add('Когда-нибудь', anna, null);
    await add('Уже сделано', anna, '2027-02-06T10:00:00+03:00');
    await completeTask(s.db.db, userActor(anna.user), ids['Уже сделано']!);
    await add('Задача Ивана', ivan, '2027-02-06T10:00:00+03:00');
    await add('Send the contract', emma, '2027-02-07T00:10:00+03:00');
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it("lists overdue, today and the next 7 days in the company's zone across midnight, one's own open tasks only", async () => {
    s.send(anna.tg, '/tasks');
    const list = await next(anna.tg);
    expect(list.text).toBe(
      ['📋 Ваши задачи. Сегодня сб, 6 февраля.', '⚠️ Просрочено: 1', '🕐 На сегодня: 2', '📅 На 7 дней вперед: 2', 'позже: 1, без срока: 1'].join('\n'),
    );
    expect(labels(list)).toEqual([
      '⚠️ 05.02 23:50 · Вчера поздно',
      '🕐 00:45 · После полуночи',
      '🕐 23:30 · Вечером',
      '📅 вс 07.02 00:10 · Завтра ночью',
      '📅 сб 13.02 23:59 · Через неделю',
    ]);
  });

  it('in English for staff who chose it', async () => {
    s.send(emma.tg, '/tasks');
    const list = await next(emma.tg);
    expect(list.text).toBe(['📋 Your tasks. Today is Sat, 6 February.', '⚠️ Overdue: 0', '🕐 Today: 0', '📅 Next 7 days: 1'].join('\n'));
    expect(labels(list)).toEqual(['📅 Sun 07.02 00:10 · Send the contract']);
  });

  it("a task opens with its record's card, then itself with snooze and done; done from there", async () => {
    s.press(anna.tg, '📅 вс 07.02 00:10 · Завтра ночью');
    const card = await next(anna.tg);
    expect(card.text).toMatch(new RegExp(`^💼 Сделка № ${dealId} `));
    const task = await next(anna.tg);
    expect(task.text).toBe(`📌 Задача № ${ids['Завтра ночью']}: Завтра ночью\nСрок: вс, 7 февраля, 00:10`);
    expect(labels(task)).toEqual(['⏳ 15 мин', '⏳ 1 час', 'Завтра 09:00', 'Другое время', 'Выполнено']);
    // Later by an hour from its own time (it is not due yet).
    expect(await s.pressAnswer(s.press(anna.tg, '⏳ 1 час'))).toEqual({ text: 'Отложено до вс, 7 февраля, 01:10' });
    const [moved] = await s.db.db.select().from(tasks).where(eq(tasks.id, ids['Завтра ночью']!));
    expect(moved!.dueAt!.toISOString()).toBe('2027-02-06T22:10:00.000Z');

    s.send(anna.tg, '/tasks');
    await next(anna.tg, (t) => t.startsWith('📋'));
    s.press(anna.tg, '⚠️ 05.02 23:50 · Вчера поздно');
    const overdue = await next(anna.tg, (t) => t.startsWith('📌'));
    expect(overdue.text).toBe(`📌 Задача № ${ids['Вчера поздно']}: Вчера поздно\nСрок: пт, 5 февраля, 23:50 (просрочено)`);
    s.press(anna.tg, 'Выполнено');
    expect((await next(anna.tg, (t) => t.startsWith('Задача'))).text).toBe('Задача «Вчера поздно» выполнена.');
    s.send(anna.tg, '/tasks');
    expect((await next(anna.tg, (t) => t.startsWith('📋'))).text).toContain('⚠️ Просрочено: 0');
  });

  it('on WhatsApp: /remind, its answer changed by a typed number, /tasks as numbered options', async () => {
    const phone = '79267770022';
    const viktor = await s.staff('Виктор Ватсапов', ['manager']);
    await s.db.db.execute(`update users set whatsapp_phone = '+${phone}' where id = ${viktor.user.id}`);
    clock = new Date('2027-02-05T12:30:00Z');
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '/remind завтра в 10 позвонить поставщику' });
    const echo = await s.whatsapp.waitForMessage(phone);
    const id = Number(/задача № (\d+)/.exec(echo.text ?? '')?.[1]);
    expect(echo.text).toBe(
      `⏰ Напомню сб, 6 февраля, 10:00: Позвонить поставщику (задача № ${id}).\n\n1. +1 час\n2. Завтра 09:00\n3. Другое время\n4. Отменить\n\nОтветьте цифрой варианта (от 1 до 4).`,
    );
    const row = async () => (await s.db.db.select().from(tasks).where(eq(tasks.id, id)))[0]!;
    expect(await row()).toMatchObject({ assigneeId: viktor.user.id, dueAt: new Date('2027-02-06T07:00:00Z') });

    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '1' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toMatch(new RegExp(`^⏰ Напомню сб, 6 февраля, 11:00: Позвонить поставщику \\(задача № ${id}\\)\\.\\n\\n1\\. \\+1 час`));
    expect((await row()).dueAt!.toISOString()).toBe('2027-02-06T08:00:00.000Z');

    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '3' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toMatch(new RegExp(`^Когда напомнить о задаче № ${id}\\?`));
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: 'вчера в 10' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toMatch(/^Понял «вчера в 10» как чт, 4 февраля, 10:00, а это время уже прошло\./);
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '10.02 в 15:00' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toMatch(/^⏰ Напомню ср, 10 февраля, 15:00: Позвонить поставщику/);
    expect((await row()).dueAt!.toISOString()).toBe('2027-02-10T12:00:00.000Z');

    await createTask(s.db.db, userActor(viktor.user), { title: 'Отправить счет', dueAt: new Date('2027-02-05T17:00:00+03:00') });
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '/tasks' });
    const list = await s.whatsapp.waitForMessage(phone);
    expect(list.text).toBe(
      [
        '📋 Ваши задачи. Сегодня пт, 5 февраля.',
        '⚠️ Просрочено: 0',
        '🕐 На сегодня: 1',
        '📅 На 7 дней вперед: 1',
        '',
        '1. 🕐 17:00 · Отправить счет',
        '2. 📅 ср 10.02 15:00 · Позвонить поставщику',
        '',
        'Ответьте цифрой варианта (от 1 до 2).',
      ].join('\n'),
    );
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '2' });
    const opened = await s.whatsapp.waitForMessage(phone);
    expect(opened.text).toMatch(new RegExp(`^📌 Задача № ${id}: Позвонить поставщику\\nСрок: ср, 10 февраля, 15:00\\n\\n1\\. ⏳ 15 мин\\n2\\. ⏳ 1 час\\n3\\. Завтра 09:00\\n4\\. Другое время\\n5\\. Выполнено`));
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '5' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toBe('Задача «Позвонить поставщику» выполнена.');
    expect((await row()).status).toBe('done');
  });
});
