// Customer intake through the emulators: a customer's first message makes a lead, the
// preset's questions are asked (a wrong answer asked again with a hint), the answers land on
// the lead, the customer gets the request number and the managers are told.
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inboundMessages, leads, outboxMessages } from '../../../db/schema/index.ts';
import { startSalesStack, type SalesStack, TELEGRAM_ACCOUNT } from '../../support/sales-stack.ts';

describe('customer intake (dealer preset)', () => {
  let s: SalesStack;
  let manager: Awaited<ReturnType<SalesStack['staff']>>;

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'intake');
    manager = await s.staff('Анна Смирнова', ['manager']);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('on Telegram: questions asked, a wrong number asked again, answers stored, number given, managers told', async () => {
    const customer = { id: 91001, first_name: 'Пётр', last_name: 'Фермеров', language_code: 'ru' };
    s.send(customer, 'Добрый день, нужен трактор');
    const start = await s.telegram.waitForMessage(customer.id);
    const number = Number(/№ (\d+)/.exec(start.text ?? '')?.[1]);
    expect(number).toBeGreaterThan(0);
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe('Какая техника вас интересует?');
    s.send(customer, 'МТЗ-82');
    expect((await s.telegram.waitForMessage(customer.id)).text).toMatch(/^Какой у вас объем земли, га\?/);
    s.send(customer, 'много');
    expect((await s.telegram.waitForMessage(customer.id)).text).toMatch(/^Нужно число, например 120/);
    s.send(customer, '120 га');
    expect((await s.telegram.waitForMessage(customer.id)).text).toBe(`Спасибо! Заявка № ${number} принята. Менеджер свяжется с вами здесь же.`);
    const [lead] = await s.db.db.select().from(leads).where(eq(leads.id, number));
    expect(lead).toMatchObject({ source: 'telegram', custom: { equipment: 'МТЗ-82', land_area: 120 }, responsibleId: null });
    const notice = await s.telegram.waitForMessage(manager.tg.id);
    expect(notice.text).toContain(`Новая заявка № ${number}`);
    expect(notice.text).toContain('Интересующая техника: МТЗ-82');
  });

  it('on WhatsApp: the same questions as text, an optional one skipped with "-", the lead from WhatsApp', async () => {
    const phone = '79160001122';
    await s.whatsapp.customerSends({ from: phone, name: 'Олег Агро', text: 'Интересует погрузчик' });
    const start = await s.whatsapp.waitForMessage(phone);
    const number = Number(/№ (\d+)/.exec(start.text ?? '')?.[1]);
    expect((await s.whatsapp.waitForMessage(phone)).text).toBe('Какая техника вас интересует?');
    await s.whatsapp.customerSends({ from: phone, name: 'Олег Агро', text: 'Фронтальный погрузчик' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toMatch(/отправьте «-»/);
    await s.whatsapp.customerSends({ from: phone, name: 'Олег Агро', text: '-' });
    expect((await s.whatsapp.waitForMessage(phone)).text).toBe(`Спасибо! Заявка № ${number} принята. Менеджер свяжется с вами здесь же.`);
    const [lead] = await s.db.db.select().from(leads).where(eq(leads.id, number));
    expect(lead).toMatchObject({ source: 'whatsapp', custom: { equipment: 'Фронтальный погрузчик' } });
    expect(lead!.custom).not.toHaveProperty('land_area');
    expect((await s.telegram.waitForMessage(manager.tg.id)).text).toContain(`Новая заявка № ${number}`);
  });

  it('every message of the flow went through the outbox, under the update that asked it', async () => {
    const customer = { id: 91003, first_name: 'Олег' };
    const number = await s.request(customer, 'Нужна сеялка', ['СЗ-3,6', '40']);
    const updates = await s.db.db.select().from(inboundMessages).where(eq(inboundMessages.chatId, String(customer.id))).orderBy(asc(inboundMessages.id));
    expect(updates.map((u) => u.text)).toEqual(['Нужна сеялка', 'СЗ-3,6', '40']);
    const outbox = () => s.db.db.select().from(outboxMessages).where(eq(outboxMessages.chatId, String(customer.id))).orderBy(asc(outboxMessages.id));
    // The last one is marked sent just after the emulator answered it.
    await vi.waitFor(async () => expect((await outbox()).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']), { timeout: 5000 });
    const rows = await outbox();
    // What the customer got, the emulator's record, is what the outbox sent: nothing bypassed it.
    const got = s.telegram.sentMessages(customer.id).map((m) => m.text);
    expect(got).toHaveLength(4);
    expect(rows.map((r) => (r.params as { text: string }).text)).toEqual(got);
    // The greeting and the first question answer the first message; each later question the
    // answer before it (asked from inside the flow, on the update being handled).
    const keyOf = (u: (typeof updates)[number], n: number) => `telegram:${TELEGRAM_ACCOUNT}:in:${u.externalId}:${n}`;
    expect(rows.map((r) => [r.inboundMessageId, r.idempotencyKey])).toEqual([
      [updates[0]!.id, keyOf(updates[0]!, 1)],
      [updates[0]!.id, keyOf(updates[0]!, 2)],
      [updates[1]!.id, keyOf(updates[1]!, 1)],
      [updates[2]!.id, keyOf(updates[2]!, 1)],
    ]);
    expect(got.at(-1)).toContain(`№ ${number}`);
  });
});
