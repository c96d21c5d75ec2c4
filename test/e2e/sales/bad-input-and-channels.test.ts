// Bad input from people, and staff on WhatsApp. An unknown command gets the help (staff) or a
// hint (customers, and no request is made of it); a 10,000-character message is stored whole
// and shown shortened; a staff button pressed by a customer does nothing; a manager whose
// WhatsApp is linked runs the same flows there, with buttons as numbered options.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deals, inboundMessages, leads, stages, timelineEntries } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { getPipeline } from '../../../src/crm/pipelines.ts';
import { BOT_TOKEN, startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

describe('bad input, and staff on WhatsApp', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'badinput');
    anna = await s.staff('Анна Смирнова', ['manager']);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('an unknown command: staff get the help, a customer a hint and no request is made of it', async () => {
    s.send(anna.tg, '/sdelki');
    expect((await s.telegram.waitForMessage(anna.tg.id)).text).toMatch(/^Такой команды нет\. Команды:\n\/leads/);
    const customer = { id: 96001, first_name: 'Гость' };
    s.send(customer, '/prices');
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe('Такой команды нет. Просто напишите, что вам нужно, — менеджер ответит здесь же.');
    expect(await s.db.db.select().from(leads)).toHaveLength(0);
    // Stored all the same.
    expect((await s.db.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, '96001')))[0]!.text).toBe('/prices');
  });

  it('a 10,000-character message is stored whole and shown to the manager shortened', async () => {
    const customer = { id: 96002, first_name: 'Длинный' };
    const number = await s.request(customer, 'Нужен погрузчик', ['Погрузчик', '-']);
    s.telegram.userPresses(BOT_TOKEN, { from: anna.tg, message_id: 1, data: `l:${number}:take`, unchecked: true });
    await s.telegram.waitForMessage(anna.tg.id, (m) => /теперь ваша/.test(m.text ?? ''));
    const long = `Техническое задание: ${'погрузчик с ковшом 2 м3, '.repeat(400)}`.slice(0, 10_000);
    expect(long).toHaveLength(10_000);
    s.send(customer, long);
    const relay = await s.telegram.waitForMessage(anna.tg.id, (m) => /Техническое задание/.test(m.text ?? ''));
    expect(relay.text!.length).toBeLessThan(1500);
    expect(relay.text).toContain('… (10000)');
    const [row] = await s.db.db.select().from(inboundMessages).where(and(eq(inboundMessages.chatId, '96002'), eq(inboundMessages.text, long)));
    expect(row!.text).toHaveLength(10_000);
    const entries = await s.db.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'lead'), eq(timelineEntries.entityId, number)));
    expect(entries.find((e) => e.body?.startsWith('Техническое задание'))!.body).toHaveLength(10_000);
    // The card shows it shortened too.
    s.telegram.userPresses(BOT_TOKEN, { from: anna.tg, message_id: 1, data: `l:${number}:open`, unchecked: true });
    const card = await s.telegram.waitForMessage(anna.tg.id, (m) => (m.text ?? '').startsWith(`📋 Заявка № ${number} `));
    expect(card.text!.length).toBeLessThan(4096);
  });

  it("a customer pressing a staff button (a crafted callback) is told it does nothing, and nothing changes", async () => {
    const customer = { id: 96002, first_name: 'Длинный' };
    const [lead] = await s.db.db.select().from(leads).where(eq(leads.responsibleId, anna.user.id));
    const press = s.telegram.userPresses(BOT_TOKEN, { from: customer, message_id: 1, data: `l:${lead!.id}:take`, unchecked: true });
    let answer = s.telegram.callbackAnswer(BOT_TOKEN, press.callback_query!.id);
    for (let i = 0; i < 100 && !answer; i++) {
      await new Promise((r) => setTimeout(r, 20));
      answer = s.telegram.callbackAnswer(BOT_TOKEN, press.callback_query!.id);
    }
    expect(answer).toMatchObject({ text: 'Эта кнопка уже не действует.' });
    expect((await s.db.db.select().from(leads).where(eq(leads.id, lead!.id)))[0]!.responsibleId).toBe(anna.user.id);
  });

  it('a manager on WhatsApp opens his deal by number and moves it, answering the numbered options and sending a photo as the file', async () => {
    const phone = '79267770011';
    const viktor = await s.staff('Виктор Ватсапов', ['manager']);
    await s.db.db.execute(`update users set whatsapp_phone = '+${phone}' where id = ${viktor.user.id}`);
    const pipeline = await getPipeline(s.db.db, { key: 'farm' });
    const deal = await createDeal(s.db.db, userActor(viktor.user), { title: 'Опрыскиватель для КФХ', pipelineId: pipeline.id, responsibleId: viktor.user.id });
    // One match: its card straight away.
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: `#${deal.id}` });
    const card = await s.whatsapp.waitForMessage(phone);
    expect(card.text).toContain(`Сделка № ${deal.id}`);
    expect(card.text).toContain('1. ▶ В работе');
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '1' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toBe(`Сделка № ${deal.id} переведена на стадию «В работе».`);
    const second = await s.whatsapp.waitForMessage(phone);
    expect(second.text).toContain('1. ▶ КП отправлено');
    await s.whatsapp.customerSends({ from: phone, name: 'Виктор', text: '1' });
    await s.whatsapp.waitForMessage(phone, (m) => /нужно заполнить: 1/.test(m.text ?? ''));
    await s.whatsapp.waitForMessage(phone, (m) => /^КП: пришлите файл/.test(m.text ?? ''));
    await s.whatsapp.customerSendsImage({ from: phone, name: 'Виктор', bytes: Buffer.from('jpeg-bytes') });
    expect((await s.whatsapp.waitForMessage(phone, (m) => /переведена/.test(m.text ?? ''))).text).toBe(`Сделка № ${deal.id} переведена на стадию «КП отправлено».`);
    const [row] = await s.db.db.select({ d: deals, stage: stages.key }).from(deals).innerJoin(stages, eq(stages.id, deals.stageId)).where(eq(deals.id, deal.id));
    expect(row!.stage).toBe('proposal_sent');
    expect(row!.d.custom.proposal_file).toMatchObject({ mime: 'image/jpeg' });
  }, 30_000);
});
