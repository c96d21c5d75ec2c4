// The other buttons of the cards, through the emulator: comment, reminder (a task whose due
// reminder reaches the manager), field edit checked by type, observers and responsible (the
// contact and company following when the company says so), lists of leads and deals, a new
// contact made from the chat and turned into a company, and a file into the history.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, contacts, deals, leads, tasks, timelineEntries } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createContact } from '../../../src/crm/contacts.ts';
import { createTask } from '../../../src/crm/tasks.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { getPipeline } from '../../../src/crm/pipelines.ts';
import { startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

describe('card actions from Telegram (b2b-supply: responsible propagates to contact and company)', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let boris: Awaited<ReturnType<SalesStack['staff']>>;
  let ivan: Awaited<ReturnType<SalesStack['staff']>>;
  let dealId = 0;
  let contactId = 0;
  const next = (who: { id: number }, pred?: (text: string) => boolean) => s.telegram.waitForMessage(who.id, pred ? (m) => pred(m.text ?? '') : undefined, 8000).then((m) => m.text ?? '');
  const open = (who: { id: number; first_name: string }, data: string) => s.pressData(who, data);

  beforeAll(async () => {
    s = await startSalesStack('b2b-supply', 'cards');
    boris = await s.staff('Борис Главный', ['supervisor']);
    anna = await s.staff('Анна Смирнова', ['manager']);
    ivan = await s.staff('Иван Новиков', ['manager']);
    const actor = userActor(anna.user);
    const contact = await createContact(s.db.db, actor, { firstName: 'Мария', lastName: 'Закупкина', phone: '+79161112233' });
    contactId = contact.id;
    const pipeline = await getPipeline(s.db.db, {});
    dealId = (await createDeal(s.db.db, actor, { title: 'Канцтовары на квартал', pipelineId: pipeline.id, contactId })).id;
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it("the deal card opens its client's card", async () => {
    await open(anna.tg, `d:${dealId}:open`);
    await next(anna.tg, (t) => t.startsWith(`💼 Сделка № ${dealId} `));
    s.press(anna.tg, '👤 Клиент');
    const contact = await next(anna.tg, (t) => t.startsWith('👤 Контакт'));
    expect(contact).toContain('Закупкина Мария');
    expect(contact).toContain('Телефон: +79161112233');
  });

  it('a comment lands on the deal card', async () => {
    await open(anna.tg, `d:${dealId}:open`);
    await next(anna.tg, (t) => t.startsWith(`💼 Сделка № ${dealId} `));
    s.press(anna.tg, '💬 Комментарий');
    expect(await next(anna.tg)).toBe('Напишите комментарий.');
    s.send(anna.tg, 'Клиент просит скидку 5% за объем');
    expect(await next(anna.tg)).toBe('Комментарий сохранен.');
    expect(await next(anna.tg)).toContain('комментарий: Клиент просит скидку 5% за объем');
  });

  it('a field is edited with its type checked: text where a number is wanted is asked again', async () => {
    s.press(anna.tg, '✏️ Поле');
    expect(await next(anna.tg)).toBe('Какое поле изменить?');
    s.press(anna.tg, 'Сумма');
    expect(await next(anna.tg)).toBe('Сумма: введите сумму в рублях.');
    // The field list's button again, now that the amount is asked: not taken as an answer.
    const old = s.press(anna.tg, 'Комментарий');
    expect(await s.pressAnswer(old)).toEqual({ text: 'Эта кнопка уже не действует.' });
    s.send(anna.tg, 'около ста тысяч');
    expect(await next(anna.tg)).toMatch(/^Нужна сумма в рублях/);
    s.send(anna.tg, '98 500');
    expect(await next(anna.tg)).toBe('Поле «Сумма» сохранено.');
    expect(await next(anna.tg)).toContain('Сумма: 98 500 ₽');
    expect((await s.db.db.select().from(deals).where(eq(deals.id, dealId)))[0]!.amount).toBe('98500.00');
  });

  it('a reminder: one free-text answer, read in the company zone; a task for the manager at that time', async () => {
    s.press(anna.tg, '⏰ Напомнить');
    expect(await next(anna.tg)).toMatch(/^Когда напомнить и о чем\?/);
    s.send(anna.tg, '25:99');
    expect(await next(anna.tg)).toMatch(/^Не понял, когда напомнить: в «25:99» нет даты или времени/);
    s.send(anna.tg, 'завтра в 9:30 отправить КП со скидкой');
    const set = await next(anna.tg);
    expect(set).toMatch(/^⏰ Напомню [а-я]{2}, \d{1,2} [а-я]+, 09:30: Отправить КП со скидкой \(задача № \d+\)\.$/);
    const [task] = await s.db.db.select().from(tasks).where(and(eq(tasks.entityType, 'deal'), eq(tasks.entityId, dealId)));
    expect(task).toMatchObject({ title: 'Отправить КП со скидкой', assigneeId: anna.user.id, status: 'open' });
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' }).format(task!.dueAt!)).toBe('09:30');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(d);
    expect(day(task!.dueAt!)).toBe(day(tomorrow));
  });

  it('observers are ticked from the staff list; the responsible is changed and the contact follows', async () => {
    s.press(anna.tg, '👁 Наблюдатели');
    expect(await next(anna.tg)).toBe('Отметьте наблюдателей и нажмите «Готово».');
    s.press(anna.tg, 'Иван Новиков');
    await new Promise((r) => setTimeout(r, 150));
    s.press(anna.tg, 'Готово');
    expect(await next(anna.tg, (t) => t.startsWith('Наблюдателей'))).toBe('Наблюдателей: 1.');
    expect(await next(anna.tg, (t) => t.startsWith('💼'))).toContain('Наблюдатели: Иван Новиков');
    // Ivan, an observer now, may open it.
    await open(ivan.tg, `d:${dealId}:open`);
    expect(await next(ivan.tg, (t) => t.startsWith('💼') || t.startsWith('Нет доступа'))).toMatch(/^💼 Сделка/);

    s.press(anna.tg, '👤 Ответственный');
    expect(await next(anna.tg)).toBe('Кого назначить ответственным?');
    s.press(anna.tg, 'Иван Новиков');
    expect(await next(anna.tg, (t) => t.startsWith('Ответственный:'))).toBe('Ответственный: Иван Новиков.');
    const [deal] = await s.db.db.select().from(deals).where(eq(deals.id, dealId));
    expect(deal!.responsibleId).toBe(ivan.user.id);
    const [contact] = await s.db.db.select().from(contacts).where(eq(contacts.id, contactId));
    expect(contact!.responsibleId).toBe(ivan.user.id);
  });

  it('a file goes into the history (this company has no file fields on deals)', async () => {
    await open(boris.tg, `d:${dealId}:open`);
    await next(boris.tg, (t) => t.startsWith('💼'));
    s.press(boris.tg, '📎 Файл');
    expect(await next(boris.tg)).toMatch(/^Пришлите файл/);
    s.sendDocument(boris.tg, 'Прайс-2027.pdf');
    expect(await next(boris.tg)).toBe('Файл «Прайс-2027.pdf» сохранен.');
    const entries = await s.db.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, dealId), eq(timelineEntries.kind, 'file')));
    expect(entries).toHaveLength(1);
  });

  it('/deals lists by filter and /leads says when there are none', async () => {
    s.send(ivan.tg, '/deals');
    expect(await next(ivan.tg, (t) => t.startsWith('Какие'))).toBe('Какие сделки показать?');
    s.press(ivan.tg, 'Мои');
    const list = await s.telegram.waitForMessage(ivan.tg.id, (m) => (m.text ?? '').startsWith('Мои:'));
    expect(list.text).toBe('Мои: 1');
    expect(JSON.stringify(list.reply_markup)).toContain(`d:${dealId}:open`);
    s.send(ivan.tg, '/leads');
    expect(await next(ivan.tg, (t) => t.includes('заявок'))).toBe('Открытых заявок нет.');

    // Overdue: nothing yet; then a task on the deal falls past due.
    s.send(ivan.tg, '/deals');
    await next(ivan.tg, (t) => t.startsWith('Какие'));
    s.press(ivan.tg, 'Просроченные');
    expect(await next(ivan.tg, (t) => t.startsWith('Просроченные'))).toBe('Просроченные: сделок нет.');
    await createTask(s.db.db, userActor(ivan.user), { title: 'Позвонить вчера', dueAt: new Date(Date.now() - 86_400_000), entityType: 'deal', entityId: dealId });
    s.send(ivan.tg, '/deals');
    await next(ivan.tg, (t) => t.startsWith('Какие'));
    s.press(ivan.tg, 'Просроченные');
    const overdue = await s.telegram.waitForMessage(ivan.tg.id, (m) => (m.text ?? '').startsWith('Просроченные:'));
    expect(overdue.text).toBe('Просроченные: 1');
    expect(JSON.stringify(overdue.reply_markup)).toContain(`d:${dealId}:open`);

    // By stage: the pipeline's open stages to pick from, then the deals there.
    s.send(ivan.tg, '/deals');
    await next(ivan.tg, (t) => t.startsWith('Какие'));
    s.press(ivan.tg, 'По стадиям');
    const stagesMsg = await s.telegram.waitForMessage(ivan.tg.id, (m) => m.text === 'Выберите стадию.');
    const first = (stagesMsg.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard[0]![0]!.text;
    s.press(ivan.tg, first);
    const byStage = await s.telegram.waitForMessage(ivan.tg.id, (m) => /: 1$/.test(m.text ?? '') && !(m.text ?? '').startsWith('Просроченные'));
    expect(JSON.stringify(byStage.reply_markup)).toContain(`d:${dealId}:open`);
  });

  it('a request in "Enquiry" becomes "Identification" once a manager has answered the customer', async () => {
    const customer = { id: 97001, first_name: 'Закупщик' };
    const number = await s.request(customer, 'Нужна бумага А4, 50 пачек', ['ООО Ромашка', '-']);
    await s.pressData(anna.tg, `l:${number}:take`);
    await next(anna.tg, (t) => t.startsWith(`📋 Заявка № ${number} · Обращение`));
    s.press(anna.tg, '↩️ Ответить клиенту');
    expect(await next(anna.tg, (t) => t.startsWith('Напишите ответ'))).toMatch(/от имени компании/);
    s.send(anna.tg, 'Здравствуйте! Бумага есть, выставим счет сегодня.');
    expect(await next(anna.tg, (t) => t.startsWith('Отправлено'))).toBe('Отправлено клиенту в Telegram.');
    expect((await s.telegram.waitForMessage(customer.id, (m) => /выставим счет/.test(m.text ?? ''))).text).toBe('Здравствуйте! Бумага есть, выставим счет сегодня.');
    expect((await s.db.db.select().from(leads).where(eq(leads.id, number)))[0]!.status).toBe('identification');
  });

  it('a contact made from the chat, with a wrong phone asked again, then turned into a company', async () => {
    s.send(ivan.tg, '/newcontact');
    expect(await next(ivan.tg, (t) => t.startsWith('Фамилия'))).toBe('Фамилия, имя и отчество клиента?');
    s.send(ivan.tg, 'Снабженцев Олег Петрович');
    await next(ivan.tg, (t) => t.startsWith('Телефон'));
    s.send(ivan.tg, '12');
    expect(await next(ivan.tg, (t) => t.startsWith('Это не похоже'))).toMatch(/^Это не похоже на телефон/);
    await next(ivan.tg, (t) => t.startsWith('Телефон'));
    s.send(ivan.tg, '8 (912) 345-67-89');
    const created = await next(ivan.tg, (t) => t.startsWith('Контакт №'));
    const id = Number(/№ (\d+)/.exec(created)?.[1]);
    const card = await next(ivan.tg, (t) => t.startsWith('👤'));
    expect(card).toContain('Снабженцев Олег Петрович');
    expect(card).toContain('+79123456789');
    s.press(ivan.tg, '🏢 Сделать компанией');
    expect(await next(ivan.tg, (t) => t.startsWith('Создана компания'))).toMatch(/^Создана компания № \d+ «Снабженцев Олег», контакт привязан к ней\.$/);
    const [c] = await s.db.db.select().from(contacts).where(eq(contacts.id, id));
    const [company] = await s.db.db.select().from(companies).where(eq(companies.id, c!.companyId!));
    expect(company).toMatchObject({ phone: '+79123456789', responsibleId: ivan.user.id });
  });
});
