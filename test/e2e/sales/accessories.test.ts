// The accessories case study end to end: the mandatory questions of the first contact (city,
// payment form, delivery method, preferred contact) asked, checked and stored; a legal entity
// pays, so the lead becomes a deal and a company, and the deal starts at "Payment"; a client
// who declines is not a lost lead: he stays a contact and the manager is reminded to call back.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, contacts, deals, leads, stages, tasks } from '../../../db/schema/index.ts';
import { fireTaskDue } from '../../../src/automation/task-reminders.ts';
import { BOT_TOKEN, startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

describe('accessories: intake, a company pays, a client who declines', () => {
  let s: SalesStack;
  let olga: Awaited<ReturnType<SalesStack['staff']>>;
  const next = (pred?: (text: string) => boolean) => s.telegram.waitForMessage(olga.tg.id, pred ? (m) => pred(m.text ?? '') : undefined, 8000).then((m) => m.text ?? '');

  beforeAll(async () => {
    s = await startSalesStack('accessories', 'accessories');
    olga = await s.staff('Ольга Продажина', ['manager']);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  async function intake(customer: { id: number; first_name: string }, first: string): Promise<number> {
    s.send(customer, first);
    const number = Number(/№ (\d+)/.exec((await s.telegram.waitForMessage(customer.id)).text ?? '')?.[1]);
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe('Из какого вы города?');
    s.send(customer, 'Казань');
    const pay = await s.telegram.waitForMessage(customer.id);
    expect(pay.text).toBe('Как вам удобнее оплатить?');
    expect(JSON.stringify(pay.reply_markup)).toContain('Безналичный расчет (юрлицо)');
    // Not one of the options: asked again.
    s.send(customer, 'биткоином');
    expect((await s.telegram.waitForMessage(customer.id)).text).toMatch(/^Выберите один из вариантов/);
    s.send(customer, '3');
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe('Как доставить заказ?');
    s.press(customer, 'Транспортная компания');
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe('Как с вами удобнее связаться?');
    s.send(customer, 'whatsapp');
    expect((await s.telegram.waitForMessage(customer.id)).text).toMatch(/^Какое изделие вас интересует\?/);
    s.send(customer, 'Портмоне из кожи страуса');
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe(`Спасибо! Заявка № ${number} принята. Менеджер свяжется с вами здесь же.`);
    await next((t) => t.includes(`Новая заявка № ${number}`));
    s.telegram.userPresses(BOT_TOKEN, { from: olga.tg, message_id: 1, data: `l:${number}:take`, unchecked: true });
    expect(await next()).toBe(`Заявка № ${number} теперь ваша.`);
    expect(await next()).toMatch(new RegExp(`^📋 Заявка № ${number} · Не обработан`));
    return number;
  }

  it('asks the mandatory questions and stores the answers on the lead', async () => {
    const leadId = await intake({ id: 95001, first_name: 'Ирина' }, 'Здравствуйте, хочу заказать портмоне');
    const [lead] = await s.db.db.select().from(leads).where(eq(leads.id, leadId));
    expect(lead!.custom).toEqual({
      city: 'Казань',
      payment_form: 'Безналичный расчет (юрлицо)',
      delivery_method: 'Транспортная компания',
      contact_method: 'WhatsApp',
      product: 'Портмоне из кожи страуса',
    });
    expect(lead!.status).toBe('not_processed');

    // A legal entity pays: the lead becomes a deal, a contact and a company; the deal starts at Payment.
    s.press(olga.tg, /В сделку/);
    expect(await next()).toBe('Кто платит?');
    s.press(olga.tg, 'Компания (юрлицо)');
    expect(await next()).toBe('Название компании-плательщика?');
    s.send(olga.tg, 'ООО «Подарки Казани»');
    expect(await next()).toMatch(/^ИНН/);
    s.send(olga.tg, '12345');
    expect(await next()).toBe('ИНН — это 10 или 12 цифр.');
    await next((t) => t.startsWith('ИНН'));
    // Ten digits, but the control digit does not match: asked again.
    s.send(olga.tg, '1655123456');
    expect(await next()).toBe('Такого ИНН не бывает: не сходится контрольная цифра. Проверьте номер.');
    await next((t) => t.startsWith('ИНН'));
    s.send(olga.tg, '1655123453');
    await next((t) => t.startsWith('Сумма сделки'));
    s.send(olga.tg, '48900');
    const done = await next((t) => t.includes('переведена в сделку'));
    const dealId = Number(/сделку № (\d+)/.exec(done)?.[1]);
    expect(done).toMatch(/плательщик — компания № \d+\.$/);
    const card = await next((t) => t.startsWith(`💼 Сделка № ${dealId} `));
    expect(card).toContain('Стадия: Оплата (1 из 5)');
    expect(card).toContain('Компания: ООО «Подарки Казани»');
    const [deal] = await s.db.db.select({ deal: deals, stage: stages.key }).from(deals).innerJoin(stages, eq(stages.id, deals.stageId)).where(eq(deals.id, dealId));
    expect(deal!.stage).toBe('payment');
    expect(deal!.deal.amount).toBe('48900.00');
    expect(deal!.deal.custom).toMatchObject({ city: 'Казань', payment_form: 'Безналичный расчет (юрлицо)', delivery_method: 'Транспортная компания' });
    const [company] = await s.db.db.select().from(companies).where(eq(companies.id, deal!.deal.companyId!));
    expect(company).toMatchObject({ name: 'ООО «Подарки Казани»', inn: '1655123453', responsibleId: olga.user.id });
    expect(deal!.deal.contactId).not.toBeNull();
  }, 30_000);

  it('a client who declines stays a contact, and the manager gets a call-back reminder instead of a lost lead', async () => {
    const leadId = await intake({ id: 95002, first_name: 'Семен' }, 'Сколько стоит ремень?');
    s.press(olga.tg, 'Статус…');
    expect(await next()).toBe('Какой статус поставить?');
    s.press(olga.tg, 'Клиент отказался (сохранен в контактах)');
    expect(await next()).toMatch(/^Причина\?/);
    s.press(olga.tg, 'Дорого');
    expect(await next()).toMatch(/^Когда предложить снова\?/);
    s.send(olga.tg, 'завтра');
    const declined = await next((t) => t.includes('клиент отказался'));
    const contactId = Number(/контактах \(№ (\d+)\)/.exec(declined)?.[1]);
    expect(declined).toMatch(/придет напоминание перезвонить\.$/);

    const [lead] = await s.db.db.select().from(leads).where(eq(leads.id, leadId));
    expect(lead).toMatchObject({ status: 'declined', statusReason: 'Дорого', contactId, convertedDealId: null });
    const [contact] = await s.db.db.select().from(contacts).where(eq(contacts.id, contactId));
    expect(contact).toBeDefined();
    expect(contact!.custom).toMatchObject({ city: 'Казань', contact_method: 'WhatsApp' });
    const [task] = await s.db.db.select().from(tasks).where(and(eq(tasks.entityType, 'contact'), eq(tasks.entityId, contactId)));
    expect(task).toMatchObject({ status: 'open', assigneeId: olga.user.id });
    // Tomorrow at 10:00 in Moscow.
    const msk = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' }).format(task!.dueAt!);
    expect(msk).toBe('10:00');
    expect(task!.dueAt!.getTime() - Date.now()).toBeGreaterThan(0);
    expect(task!.dueAt!.getTime() - Date.now()).toBeLessThan(48 * 3600_000);

    // When it falls due, the reminder comes to Olga in Telegram, once.
    const remind = async (tx: typeof s.db.db, t: typeof task) => void (await s.notices.taskDue(t!, tx));
    expect(await fireTaskDue(s.db.db, task!.id, task!.dueAt!, remind)).toBe('reminded');
    expect(await fireTaskDue(s.db.db, task!.id, task!.dueAt!, remind)).toBe('already_done');
    const reminder = await next((t) => t.startsWith('⏰ Напоминание'));
    expect(reminder).toContain(`Перезвонить клиенту с повторным предложением (заявка № ${leadId})`);
    s.press(olga.tg, 'Выполнено');
    expect(await next((t) => t.startsWith('Задача'))).toMatch(/выполнена\.$/);
    expect((await s.db.db.select().from(tasks).where(eq(tasks.id, task!.id)))[0]!.status).toBe('done');
    await new Promise((r) => setTimeout(r, 200));
    expect(s.telegram.sentMessages(olga.tg.id).filter((m) => m.text?.startsWith('⏰ Напоминание'))).toHaveLength(1);
  }, 30_000);
});
