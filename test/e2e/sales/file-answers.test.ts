// A manager answers a customer with a file: he replies to the relayed message with a document
// or a photo. To a customer on the same Telegram bot it goes as that file, caption and all, and
// lands on the card; to a customer on WhatsApp a Telegram file cannot go, and he is told so in
// his language, with nothing sent and nothing recorded as sent.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdentities, outboxMessages, timelineEntries } from '../../../db/schema/index.ts';
import { BOT_TOKEN, startSalesStack, type SalesStack } from '../../support/sales-stack.ts';
import { waitFor } from '../../support/wait-for.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

describe('answers with a file', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let john: Awaited<ReturnType<SalesStack['staff']>>;
  const to = (who: { tg: { id: number } }, pred: (text: string) => boolean) => s.telegram.waitForMessage(who.tg.id, (m) => pred(m.text ?? ''), 8000);
  const textTo = (who: { tg: { id: number } }, pred: (text: string) => boolean) => to(who, pred).then((m) => m.text ?? '');
  const answersBy = async (userId: number) => s.db.db.select().from(outboxMessages).where(eq(outboxMessages.authorId, userId)).orderBy(asc(outboxMessages.id));

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'file_answers');
    anna = await s.staff('Анна Смирнова', ['manager']);
    john = await s.staff('John Smith', ['manager'], { language: 'en' });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  /** A customer on WhatsApp goes through the intake (the dealer preset's two questions). */
  async function whatsappRequest(phone: string, name: string, last: string) {
    await s.whatsapp.customerSends({ from: phone, name, text: 'Нужен трактор' });
    await s.whatsapp.waitForMessage(phone, (m) => /Какая техника/.test(m.text ?? ''));
    await s.whatsapp.customerSends({ from: phone, name, text: 'Беларус 1221' });
    await s.whatsapp.waitForMessage(phone, (m) => /объем земли/.test(m.text ?? ''));
    await s.whatsapp.customerSends({ from: phone, name, text: last });
    await s.whatsapp.waitForMessage(phone, (m) => /принята/.test(m.text ?? ''));
  }

  /** A request taken by `who`, then the customer's next message relayed to him: that relay. */
  async function relayTo(who: typeof anna, first: () => Promise<unknown>, again: () => Promise<unknown>, customerName: string, marker: RegExp) {
    await first();
    await to(who, (t) => /Новая заявка №|New request No\./.test(t) && t.includes(customerName));
    s.press(who.tg, /Взять в работу|Take it/);
    await to(who, (t) => /теперь ваша|is yours now/.test(t));
    await again();
    // The relay itself (💬), not a card that may show the same message among its latest.
    const relay = await to(who, (t) => t.startsWith('💬') && marker.test(t));
    await s.recorded(who.tg, relay);
    return relay;
  }

  it('to a Telegram customer: the document and the photo go as they are, with their captions, and are on his card', async () => {
    const customer = { id: 881_001, first_name: 'Степан', language_code: 'ru' };
    const relay = await relayTo(anna, () => s.request(customer, 'Нужен трактор', ['МТЗ-82', '100']), async () => s.send(customer, 'Пришлите прайс'), 'Степан', /Пришлите прайс/);

    const doc = s.telegram.userSendsDocument(BOT_TOKEN, { from: anna.tg, bytes: '%PDF-1.4 price', fileName: 'Прайс 2026.pdf', mimeType: 'application/pdf', caption: 'Наш прайс', replyTo: relay.message_id });
    expect(await textTo(anna, (t) => t.startsWith('Отправлено'))).toBe('Отправлено клиенту в Telegram.');
    const got = await s.telegram.waitForMessage(customer.id, (m) => m.document !== undefined, 8000);
    expect(got.document).toMatchObject({ file_id: doc.message!.document!.file_id, file_name: 'Прайс 2026.pdf' });
    expect(got.caption).toBe('Наш прайс');

    const photo = s.telegram.userSendsPhoto(BOT_TOKEN, { from: anna.tg, bytes: PNG, replyTo: relay.message_id });
    await waitFor(async () => s.telegram.sentMessages(anna.tg.id).filter((m) => m.text?.startsWith('Отправлено')).length === 2, 8000, 'the second answer sent');
    const pic = await s.telegram.waitForMessage(customer.id, (m) => m.photo !== undefined, 8000);
    expect(pic.photo!.at(-1)!.file_id).toBe(photo.message!.photo!.at(-1)!.file_id);
    expect(pic.caption).toBeUndefined();

    const sent = await answersBy(anna.user.id);
    expect(sent.map((r) => [r.kind, r.method, r.chatId])).toEqual([
      ['document', 'sendDocument', String(customer.id)],
      ['photo', 'sendPhoto', String(customer.id)],
    ]);
    const [identity] = await s.db.db.select().from(contactIdentities).where(eq(contactIdentities.id, sent[0]!.contactIdentityId!));
    const card = await s.db.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'contact'), eq(timelineEntries.entityId, identity!.contactId))).orderBy(asc(timelineEntries.id));
    const out = card.filter((e) => (e.data as { direction?: string }).direction === 'out');
    expect(out.map((e) => [e.body, (e.data as { file?: { kind: string; fileName?: string } }).file])).toEqual([
      ['Наш прайс', { kind: 'document', fileId: doc.message!.document!.file_id, fileName: 'Прайс 2026.pdf' }],
      [null, { kind: 'photo', fileId: photo.message!.photo!.at(-1)!.file_id }],
    ]);

    // A file that cannot be delivered comes back to her with its caption, as a text answer does.
    s.telegram.blockChat(customer.id);
    s.telegram.userSendsDocument(BOT_TOKEN, { from: anna.tg, bytes: '%PDF-1.4 again', fileName: 'Прайс.pdf', caption: 'Прайс ещё раз', replyTo: relay.message_id });
    expect(await textTo(anna, (t) => /не доставлен/.test(t))).toBe(
      '⚠️ Ваш ответ клиенту в Telegram не доставлен.\nКлиент недоступен: он заблокировал бота, удалил аккаунт или не может получать сообщения.\n\nВаш ответ:\nПрайс ещё раз',
    );
  });

  it('to a WhatsApp customer: refused with the reason, in the manager\'s language (English here); nothing goes out, text still does', async () => {
    const phone = '79035550303';
    const relay = await relayTo(john, () => whatsappRequest(phone, 'Олег', '350'), () => s.whatsapp.customerSends({ from: phone, name: 'Олег', text: 'Скиньте фото' }), 'Олег', /Скиньте фото/);
    const before = s.whatsapp.sentMessages(phone).length;
    s.telegram.userSendsPhoto(BOT_TOKEN, { from: john.tg, bytes: PNG, caption: 'вот', replyTo: relay.message_id });
    expect(await textTo(john, (t) => t.startsWith('This client'))).toBe('This client writes on WhatsApp: a file from Telegram cannot go there. Answer with text (a link to the file can go in it).');
    await new Promise((r) => setTimeout(r, 300));
    expect(s.whatsapp.sentMessages(phone)).toHaveLength(before);
    expect(await answersBy(john.user.id)).toEqual([]);

    // Text still goes; a sticker is neither text nor a file.
    s.send(john.tg, 'Фото пришлю ссылкой', { replyTo: relay.message_id });
    expect(await textTo(john, (t) => t.startsWith('Sent'))).toBe('Sent to the client on WhatsApp.');
    s.telegram.pushUpdate(BOT_TOKEN, {
      message: { message_id: 9_000_001, date: Math.floor(Date.now() / 1000), chat: { id: john.tg.id, type: 'private', first_name: 'John' }, from: { ...john.tg, is_bot: false }, sticker: { file_id: 'st-1', file_unique_id: 'st-u-1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false }, reply_to_message: relay } as never,
    });
    expect(await textTo(john, (t) => t.startsWith('The client can'))).toBe('The client can be answered with text, a document or a photo.');
  });

  it('through the card\'s answer button too: a document goes to a Telegram customer; a file for a WhatsApp customer is refused and the flow ends', async () => {
    const customer = { id: 881_002, first_name: 'Тарас', language_code: 'ru' };
    const number = await s.request(customer, 'Нужна сеялка', ['СЗ-3,6', '200']);
    await s.pressData(anna.tg, `l:${number}:take`);
    await to(anna, (t) => t.startsWith(`📋 Заявка № ${number}`));
    s.press(anna.tg, '↩️ Ответить клиенту');
    expect(await textTo(anna, (t) => t.startsWith('Напишите ответ'))).toBe('Напишите ответ клиенту или пришлите документ или фото — он уйдет от имени компании.');
    const doc = s.telegram.userSendsDocument(BOT_TOKEN, { from: anna.tg, bytes: '%PDF-1.4 invoice', fileName: 'Счёт 17.pdf', mimeType: 'application/pdf', caption: 'Счёт на сеялку' });
    expect(await textTo(anna, (t) => t.startsWith('Отправлено клиенту'))).toBe('Отправлено клиенту в Telegram.');
    const got = await s.telegram.waitForMessage(customer.id, (m) => m.document !== undefined, 8000);
    expect(got).toMatchObject({ caption: 'Счёт на сеялку', document: { file_id: doc.message!.document!.file_id, file_name: 'Счёт 17.pdf' } });

    // A WhatsApp customer's card, the answer button, a photo.
    const phone = '79035550404';
    await whatsappRequest(phone, 'Пётр', '120');
    const notice = await to(john, (t) => /New request No\./.test(t) && t.includes('Пётр'));
    const theirs = Number(/No\. (\d+)/.exec(notice.text ?? '')?.[1]);
    await s.pressData(john.tg, `l:${theirs}:take`);
    await to(john, (t) => t.startsWith(`📋 Request No. ${theirs}`));
    s.press(john.tg, /Answer the client/);
    await to(john, (t) => t.startsWith('Type your answer'));
    const before = s.whatsapp.sentMessages(phone).length;
    s.telegram.userSendsPhoto(BOT_TOKEN, { from: john.tg, bytes: PNG, caption: 'фото' });
    expect(await textTo(john, (t) => t.startsWith('This client'))).toMatch(/^This client writes on WhatsApp: a file from Telegram cannot go there/);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.whatsapp.sentMessages(phone)).toHaveLength(before);
  });
});
