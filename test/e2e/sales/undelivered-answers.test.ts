// A manager's answer that cannot reach the customer comes back to him: on WhatsApp after the
// 24-hour window closed (Meta takes the send, then reports it failed with 131047), on Telegram
// from a customer who blocked the bot (403). The manager is told why, with what he wrote, once.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdentities, type MessagingChannel, outboxMessages } from '../../../db/schema/index.ts';
import { startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

const PHONE = '79035550202';
const NAME = 'Олег Окнов';
const DAY = 24 * 3600 * 1000;

describe('answers that cannot be delivered are told to their author', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let clockShift = 0;
  const toAnna = (pred: (text: string) => boolean) => s.telegram.waitForMessage(anna.tg.id, (m) => pred(m.text ?? ''), 8000).then((m) => m.text ?? '');
  const identity = async (channel: MessagingChannel, externalId: string) =>
    (await s.db.db.select().from(contactIdentities).where(and(eq(contactIdentities.channel, channel), eq(contactIdentities.externalId, externalId))))[0]!;
  const answerRow = async (text: string) => (await s.db.db.select().from(outboxMessages).where(eq(outboxMessages.authorId, anna.user.id))).find((r) => r.params.text === text);

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'undelivered', { whatsapp: { enforceServiceWindow: true, now: () => Date.now() + clockShift } });
    anna = await s.staff('Анна Смирнова', ['manager']);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  /** The customer's request, taken by Anna, and his next message relayed to her. */
  async function relayed(first: () => Promise<unknown>, again: () => Promise<unknown>, marker: RegExp) {
    await first();
    await toAnna((t) => /Новая заявка №/.test(t));
    s.press(anna.tg, 'Взять в работу');
    await toAnna((t) => /теперь ваша/.test(t));
    await again();
    // The relay itself (💬), not a card that may show the same message among its latest.
    const relay = await s.telegram.waitForMessage(anna.tg.id, (m) => (m.text ?? '').startsWith('💬') && marker.test(m.text ?? ''), 8000);
    await s.recorded(anna.tg, relay);
    return relay;
  }

  it('WhatsApp, a day after the customer last wrote: the answer fails with 131047 and Anna is told to wait for him or reach him otherwise', async () => {
    const relay = await relayed(
      async () => {
        await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Нужен трактор' });
        await s.whatsapp.waitForMessage(PHONE, (m) => /Какая техника/.test(m.text ?? ''));
        await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Беларус 1221' });
        await s.whatsapp.waitForMessage(PHONE, (m) => /объем земли/.test(m.text ?? ''));
        await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: '350' });
        await s.whatsapp.waitForMessage(PHONE, (m) => /принята/.test(m.text ?? ''));
      },
      () => s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Жду цену' }),
      /Жду цену/,
    );
    clockShift = DAY + 3600_000;
    s.send(anna.tg, 'Цена 4,2 млн', { replyTo: relay.message_id });
    expect(await toAnna((t) => /^Отправлено клиенту/.test(t))).toBe('Отправлено клиенту в WhatsApp.');
    const notice = await toAnna((t) => /не доставлен/.test(t));
    expect(notice).toBe(
      '⚠️ Ваш ответ клиенту в WhatsApp не доставлен.\n' +
        'Прошло больше 24 часов с последнего сообщения клиента, и WhatsApp пропускает только шаблоны. Дождитесь, когда клиент напишет снова, и ответьте ещё раз, или свяжитесь с ним иначе.\n\n' +
        'Ваш ответ:\nЦена 4,2 млн',
    );
    const row = await answerRow('Цена 4,2 млн');
    expect(row).toMatchObject({ channel: 'whatsapp', status: 'failed' });
    expect(row!.error).toMatch(/^131047: /);
    // Meta delivering the same status again tells nobody twice.
    const failedStatus = await s.whatsapp.waitForWebhook((w) => w.kind === 'status' && w.rawBody.includes('"failed"'));
    expect((await s.whatsapp.redeliver(failedStatus.payloadId)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.telegram.sentMessages(anna.tg.id).filter((m) => /не доставлен/.test(m.text ?? ''))).toHaveLength(1);
    // He cannot be written to until he writes: marked on his identity, at Meta's time...
    const marked = await identity('whatsapp', PHONE);
    expect(marked.unreachableReason).toMatch(/^131047: /);
    expect(marked.unreachableAt!.getTime()).toBeGreaterThan(Date.now() + DAY - 60_000);
    // ...and cleared when he does.
    await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Так сколько?' });
    await s.telegram.waitForMessage(anna.tg.id, (m) => /Так сколько/.test(m.text ?? ''), 8000);
    expect(await identity('whatsapp', PHONE)).toMatchObject({ unreachableAt: null, unreachableReason: null });
  });

  it('Telegram, a customer who blocked the bot: the answer fails (403) and Anna is told he cannot be reached', async () => {
    const customer = { id: 880_001, first_name: 'Ирина', language_code: 'ru' };
    const relay = await relayed(
      () => s.request(customer, 'Нужен культиватор', ['КПС-4', '120']),
      async () => s.send(customer, 'Когда доставка?'),
      /Когда доставка/,
    );
    s.telegram.blockChat(customer.id, undefined);
    s.send(anna.tg, 'Завтра', { replyTo: relay.message_id });
    const notice = await toAnna((t) => /не доставлен/.test(t) && /Завтра/.test(t));
    expect(notice).toBe(
      '⚠️ Ваш ответ клиенту в Telegram не доставлен.\nКлиент недоступен: он заблокировал бота, удалил аккаунт или не может получать сообщения.\n\nВаш ответ:\nЗавтра',
    );
    expect(await answerRow('Завтра')).toMatchObject({ channel: 'telegram', status: 'failed' });
    expect((await identity('telegram', String(customer.id))).unreachableReason).toMatch(/blocked by the user/);
    // He unblocks the bot without Telegram's update reaching us, and writes: reachable again.
    s.telegram.unblockChat(customer.id, undefined);
    s.send(customer, 'Вы тут?');
    await s.telegram.waitForMessage(anna.tg.id, (m) => /Вы тут/.test(m.text ?? ''), 8000);
    expect(await identity('telegram', String(customer.id))).toMatchObject({ unreachableAt: null, unreachableReason: null });
  });
});
