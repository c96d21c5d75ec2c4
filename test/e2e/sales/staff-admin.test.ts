// An admin manages staff from Telegram, through the Bot API emulator: the staff list, a
// manager who left deactivated (after a confirmation), his open records offered for hand-over
// and handed to another manager one by one and then all at once (who is told). Meanwhile the
// customer's messages reach nobody who left; the deactivated manager's own messages no longer
// act as staff (he is told, and becomes no customer); a new staff member's /start <code>
// leaves no customer contact; a manager gets no admin command.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, contactIdentities, deals, inboundMessages, leads, pipelines, stages, users } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createApiToken, findUserByToken } from '../../../src/crm/api-tokens.ts';
import { startSalesStack, type SalesStack } from '../../support/sales-stack.ts';
import type { TestUser } from '../../support/telegram-emulator.ts';

describe('staff administration from the bot', () => {
  let s: SalesStack;
  let olga: Awaited<ReturnType<SalesStack['staff']>>;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let victor: Awaited<ReturnType<SalesStack['staff']>>;
  const customer: TestUser = { id: 7_301_001, first_name: 'Петр', language_code: 'ru' };
  let leadId = 0;
  let dealId = 0;
  let annaToken = '';
  const toOlga = (re: RegExp) => s.telegram.waitForMessage(olga.tg.id, (m) => re.test(m.text ?? ''), 8000);

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'staff_admin');
    olga = await s.staff('Ольга Админова', ['admin']);
    anna = await s.staff('Анна Смирнова', ['manager'], { supervisorId: olga.user.id });
    victor = await s.staff('Виктор Петров', ['manager']);
    annaToken = (await createApiToken(s.db.db, systemActor, anna.user.id, 'laptop')).token;
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('a manager gets no admin command', async () => {
    s.send(victor.tg, '/staff');
    expect((await s.telegram.waitForMessage(victor.tg.id, (m) => /администратор/.test(m.text ?? ''), 8000)).text).toBe('Управлять сотрудниками может только администратор.');
  });

  it('Anna takes a customer request and holds a deal', async () => {
    leadId = await s.request(customer, 'Нужен трактор', ['Беларус 1221', '350']);
    await s.telegram.waitForMessage(anna.tg.id, (m) => (m.text ?? '').includes(`Новая заявка № ${leadId}`), 8000);
    s.press(anna.tg, 'Взять в работу');
    await s.telegram.waitForMessage(anna.tg.id, (m) => m.text === `Заявка № ${leadId} теперь ваша.`, 8000);
    const [pipeline] = await s.db.db.select().from(pipelines).limit(1);
    const [stage] = await s.db.db.select().from(stages).where(eq(stages.pipelineId, pipeline!.id)).limit(1);
    const [deal] = await s.db.db.insert(deals).values({ title: 'Комбайн Акрос', pipelineId: pipeline!.id, stageId: stage!.id, responsibleId: anna.user.id }).returning();
    dealId = deal!.id;
    // And is in the middle of a flow: making a contact.
    s.send(anna.tg, '/newcontact');
    await s.telegram.waitForMessage(anna.tg.id, (m) => /^Фамилия, имя/.test(m.text ?? ''), 8000);
  });

  it('the admin lists staff: roles, linked Telegram, supervisor', async () => {
    s.send(olga.tg, '/staff');
    const list = (await toOlga(/^Сотрудники:/)).text!;
    expect(list).toContain(`№${anna.user.id} Анна Смирнова — менеджер · TG ✓ · WA — · руководитель Ольга Админова`);
    expect(list).toContain(`№${olga.user.id} Ольга Админова — администратор`);
  });

  it('deactivates Anna after a confirmation: her token and her conversation with the bot end, her open records are offered for hand-over', async () => {
    s.press(olga.tg, '👤 Анна Смирнова');
    const card = (await toOlga(/^👤 Сотрудник №/)).text!;
    expect(card).toContain('Статус: активен');
    expect(card).toContain('За ним: 1 заявка, 1 сделка');
    s.press(olga.tg, '⛔ Деактивировать');
    expect((await toOlga(/^Деактивировать/)).text).toMatch(/^Деактивировать сотрудника Анна Смирнова\?/);
    // Nothing happens before the confirmation.
    expect((await s.db.db.select().from(users).where(eq(users.id, anna.user.id)))[0]!.isActive).toBe(true);
    s.press(olga.tg, 'Да, деактивировать');
    expect((await toOlga(/деактивирован\./)).text).toBe('Сотрудник Анна Смирнова деактивирован. Отозвано токенов API: 1; завершено разговоров с ботом: 1; удалено неиспользованных кодов приглашения: 0.');
    const open = (await toOlga(/остаются/)).text!;
    expect(open).toContain('За сотрудником Анна Смирнова остаются: 1 заявка, 1 сделка.');
    expect(open).toContain(`заявка №${leadId}`);
    expect(open).toContain(`сделка №${dealId} · Комбайн Акрос`);
    expect(await findUserByToken(s.db.db, annaToken)).toBeNull();
  });

  it('the customer writes meanwhile, a new request comes: nothing goes to Anna, who left', async () => {
    const before = s.telegram.sentMessages(anna.tg.id).length;
    s.send(customer, 'Когда будет КП?');
    expect((await s.telegram.waitForMessage(customer.id, (m) => /сообщение получено/.test(m.text ?? ''), 8000)).text).toBe('Спасибо, сообщение получено. Менеджер скоро ответит.');
    // A new request is announced to the managers still here only.
    const [fresh] = await s.db.db.insert(leads).values({ title: 'Опрыскиватель', source: 'site', status: 'new' }).returning();
    expect(await s.notices.newLead(fresh!.id)).toBe(1);
    await s.telegram.waitForMessage(victor.tg.id, (m) => (m.text ?? '').includes(`Новая заявка № ${fresh!.id}`), 8000);
    expect(s.telegram.sentMessages(anna.tg.id).length).toBe(before);
  });

  it('hands the deal to Victor alone, then the rest all at once; Victor is told, and the customer reaches him', async () => {
    s.press(olga.tg, new RegExp(`^💼 №${dealId} `));
    await toOlga(/^Кому передать: сделка №/);
    s.press(olga.tg, 'Виктор Петров (менеджер)');
    expect((await toOlga(/^Передано/)).text).toBe('Передано сотруднику Виктор Петров: 1.');
    expect((await toOlga(/остаются/)).text).toContain('остаются: 1 заявка.');
    expect((await s.telegram.waitForMessage(victor.tg.id, (m) => /Вам переданы/.test(m.text ?? ''), 8000)).text).toContain(`сделка №${dealId} · Комбайн Акрос`);

    s.press(olga.tg, 'Передать все (1)…');
    await toOlga(/^Кому передать все записи/);
    s.press(olga.tg, 'Виктор Петров (менеджер)');
    expect((await toOlga(/^Передано/)).text).toBe('Передано сотруднику Виктор Петров: 1.');
    expect((await s.db.db.select().from(leads).where(eq(leads.id, leadId)))[0]!.responsibleId).toBe(victor.user.id);
    expect((await s.db.db.select().from(deals).where(eq(deals.id, dealId)))[0]!.responsibleId).toBe(victor.user.id);

    s.send(customer, 'Жду КП сегодня');
    expect((await s.telegram.waitForMessage(victor.tg.id, (m) => /Жду КП сегодня/.test(m.text ?? ''), 8000)).text).toContain(`заявка № ${leadId}`);
  });

  it("Anna's next message does not act as staff: she is told her access was removed and becomes no customer", async () => {
    const leadsBefore = (await s.db.db.select().from(leads)).length;
    s.send(anna.tg, '/leads');
    expect((await s.telegram.waitForMessage(anna.tg.id, (m) => /доступ/.test(m.text ?? ''), 8000)).text).toBe('Ваш доступ к CRM компании закрыт. Если это ошибка, обратитесь к администратору.');
    s.send(anna.tg, 'Здравствуйте, хочу трактор');
    await s.telegram.waitForMessage(anna.tg.id, (m) => /доступ/.test(m.text ?? ''), 8000);
    // An old button of hers does nothing but say so.
    const press = s.press(anna.tg, 'Взять в работу');
    expect((await s.pressAnswer(press))?.text).toBe('Ваш доступ к CRM компании закрыт. Если это ошибка, обратитесь к администратору.');
    expect((await s.db.db.select().from(leads).where(eq(leads.id, leadId)))[0]!.responsibleId).toBe(victor.user.id);
    expect(await s.db.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, String(anna.tg.id)))).toEqual([]);
    const hers = await s.db.db.select().from(inboundMessages).where(eq(inboundMessages.senderExternalId, String(anna.tg.id)));
    // Every message of hers, before and after, is hers: none is a contact's.
    expect(hers.length).toBe(5);
    expect(hers.map((m) => [m.userId, m.contactId])).toEqual(hers.map(() => [anna.user.id, null]));
    expect((await s.db.db.select().from(leads)).length).toBe(leadsBefore);
  });

  it("a new staff member's /start <code> links him and leaves no customer contact", async () => {
    s.send(olga.tg, '/adduser manager Дмитрий Новиков');
    const added = (await toOlga(/^Сотрудник № \d+ добавлен/)).text!;
    const code = /«\/start ([\w-]+)»/.exec(added)?.[1];
    expect(code).toBeDefined();
    const dmitry: TestUser = { id: 7_301_002, first_name: 'Дмитрий', language_code: 'ru' };
    s.send(dmitry, `/start ${code}`);
    expect((await s.telegram.waitForMessage(dmitry.id, undefined, 8000)).text).toBe('Готово, Дмитрий Новиков: ваш Telegram привязан к учетной записи. Команды: /help');
    expect(await s.db.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, String(dmitry.id)))).toEqual([]);
    const [user] = await s.db.db.select().from(users).where(eq(users.telegramUserId, dmitry.id));
    expect(user).toMatchObject({ name: 'Дмитрий Новиков', roles: ['manager'] });
    const [msg] = await s.db.db.select().from(inboundMessages).where(and(eq(inboundMessages.senderExternalId, String(dmitry.id)), eq(inboundMessages.text, `/start ${code}`)));
    expect(msg).toMatchObject({ userId: user!.id, contactId: null });
    s.send(dmitry, '/leads');
    expect((await s.telegram.waitForMessage(dmitry.id, undefined, 8000)).text).toBe('Заявки (1): 🆕 — еще никем не взяты.');
  });

  it('gives Anna access back; her old token stays revoked', async () => {
    s.send(olga.tg, '/staff');
    await toOlga(/^Сотрудники:/);
    s.press(olga.tg, '⛔ Анна Смирнова');
    await toOlga(/^👤 Сотрудник №/);
    s.press(olga.tg, '✅ Вернуть доступ');
    expect((await toOlga(/^Доступ сотруднику/)).text).toContain('Анна Смирнова');
    expect(await findUserByToken(s.db.db, annaToken)).toBeNull();
    expect((await s.db.db.select().from(apiTokens).where(eq(apiTokens.userId, anna.user.id)))[0]!.revokedAt).not.toBeNull();
    s.send(anna.tg, '/leads');
    expect((await s.telegram.waitForMessage(anna.tg.id, (m) => /^Заявки \(|^Открытых заявок нет/.test(m.text ?? ''), 8000)).text).toBe('Заявки (1): 🆕 — еще никем не взяты.');
  });
});
