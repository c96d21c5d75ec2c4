// Bot API calls rendered for WhatsApp, and the Cloud sender's reading of Meta's answers
// (against the Graph API emulator: its error codes are Meta's).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudLimits, createCloudSender } from '../../../bots/whatsapp/cloud-sender.ts';
import { messageIdOf } from '../../../bots/whatsapp/message-id.ts';
import { botApiMessage, renderBotApiCall } from '../../../bots/whatsapp/render-bot-api-call.ts';
import { WhatsAppCloudEmulator } from '../../support/whatsapp-cloud-emulator.ts';

const keyboard = (rows: [string, string][][]) => ({ inline_keyboard: rows.map((r) => r.map(([text, callback_data]) => ({ text, callback_data }))) });

describe('renderBotApiCall', () => {
  it('appends callback buttons as numbered options, the hint in the language of the text', () => {
    expect(renderBotApiCall('sendMessage', { chat_id: 79031112233, text: 'Подтвердить заявку?', reply_markup: keyboard([[['Да', 'y'], ['Нет', 'n']]]) })).toEqual({
      kind: 'send',
      send: { type: 'text', to: '79031112233', text: 'Подтвердить заявку?\n\n1. Да\n2. Нет\n\nОтветьте цифрой варианта (от 1 до 2).' },
    });
    const en = renderBotApiCall('sendMessage', { chat_id: 79031112233, text: 'Confirm the order?', reply_markup: keyboard([[['Yes', 'y']], [['No', 'n']]]) });
    expect(en).toMatchObject({ send: { text: 'Confirm the order?\n\n1. Yes\n2. No\n\nReply with the number of your choice (1 to 2).' } });
    expect(renderBotApiCall('sendMessage', { chat_id: 1, text: 'Ok?', reply_markup: keyboard([[['Cancel', 'c']]]) }, { lang: 'ru' })).toMatchObject({
      send: { text: 'Ok?\n\nЧтобы выбрать, ответьте: Cancel' },
    });
  });

  it('lists URL buttons as links and keeps the options whole when the text is too long', () => {
    const r = renderBotApiCall('sendMessage', {
      chat_id: 7,
      text: 'д'.repeat(5000),
      reply_markup: { inline_keyboard: [[{ text: 'Да', callback_data: 'y' }, { text: 'Нет', callback_data: 'n' }], [{ text: 'Сайт', url: 'https://example.com/x' }]] },
    });
    if (r.kind !== 'send' || r.send.type !== 'text') throw new Error('expected a text send');
    expect([...r.send.text]).toHaveLength(4096);
    expect(r.send.text.endsWith('…\n\n1. Да\n2. Нет\n\nОтветьте цифрой варианта (от 1 до 2).\n\nСайт: https://example.com/x')).toBe(true);
  });

  it('sends edits as new messages, files by id or link, and answers bookkeeping calls locally', () => {
    expect(renderBotApiCall('editMessageText', { chat_id: 5, message_id: 9, text: 'Обновлено' })).toEqual({ kind: 'send', send: { type: 'text', to: '5', text: 'Обновлено' } });
    expect(renderBotApiCall('sendDocument', { chat_id: 5, document: 'https://files.example/act-7.pdf', caption: 'Акт' })).toEqual({
      kind: 'send',
      send: { type: 'document', to: '5', media: { url: 'https://files.example/act-7.pdf' }, caption: 'Акт', fileName: 'act-7.pdf' },
    });
    expect(renderBotApiCall('sendPhoto', { chat_id: 5, photo: '1234567890' })).toEqual({ kind: 'send', send: { type: 'image', to: '5', media: { id: '1234567890' } } });
    expect(renderBotApiCall('answerCallbackQuery', { callback_query_id: 'x' })).toEqual({ kind: 'local', result: true });
    expect(renderBotApiCall('editMessageReplyMarkup', { chat_id: 5, message_id: 9, reply_markup: { inline_keyboard: [] } })).toEqual({ kind: 'local', result: true });
    expect(renderBotApiCall('deleteMessage', { chat_id: 5, message_id: 9 })).toEqual({ kind: 'local', result: true });
    expect(renderBotApiCall('sendPoll', { chat_id: 5, question: '?' })).toMatchObject({ kind: 'unsupported' });
    expect(renderBotApiCall('editMessageText', { inline_message_id: 'abc', text: 'x' })).toMatchObject({ kind: 'unsupported' });
  });

  it('answers grammY with a Bot API message whose id is derived from the platform id', () => {
    const at = new Date('2026-11-23T09:00:00Z');
    expect(botApiMessage({ type: 'text', to: '79031112233', text: 'Привет' }, 'wamid.ABC', at)).toEqual({
      message_id: messageIdOf('wamid.ABC'),
      date: 1795424400,
      chat: { id: 79031112233, type: 'private' },
      text: 'Привет',
    });
    expect(messageIdOf('wamid.ABC')).toBe(messageIdOf('wamid.ABC'));
    expect(Number.isSafeInteger(messageIdOf('wamid.ABC'))).toBe(true);
  });
});

describe('Cloud sender', () => {
  const emulator = new WhatsAppCloudEmulator({ throughputPerSecond: 1000 });
  let sender: ReturnType<typeof createCloudSender>;

  beforeAll(async () => {
    const { apiRoot } = await emulator.start();
    sender = createCloudSender({ apiRoot, token: emulator.token, phoneId: emulator.phoneNumberId });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it('keeps to 80% of the number throughput by default', () => {
    expect(cloudLimits().perAccount).toEqual({ max: 64, windowMs: 1000 });
    expect(cloudLimits(250).perAccount.max).toBe(200);
  });

  it('sends with the bearer token and records the wamid', async () => {
    const outcome = await sender.send('sendMessage', { chat_id: 79031112233, text: 'Добрый день' });
    const [sent] = emulator.sentMessages('79031112233');
    expect(outcome).toEqual({ ok: true, platformMessageId: sent!.wamid, result: expect.objectContaining({ message_id: messageIdOf(sent!.wamid), text: 'Добрый день' }) });
    expect(emulator.calls[0]?.authorization).toBe(`Bearer ${emulator.token}`);
    expect(sent!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '79031112233', type: 'text', text: { body: 'Добрый день', preview_url: false } });
  });

  it('classifies 130429 as rate limited, 131026 as unreachable, 5xx and network as transient, others as permanent', async () => {
    emulator.setThroughput(0);
    expect(await sender.send('sendMessage', { chat_id: 79031112233, text: 'x' })).toMatchObject({ ok: false, kind: 'rate_limited', retryAfterMs: 1000 });
    emulator.setThroughput(1000);
    emulator.markUndeliverable('79990001122', 'response');
    expect(await sender.send('sendMessage', { chat_id: 79990001122, text: 'x' })).toMatchObject({ ok: false, kind: 'unreachable', message: expect.stringContaining('131026') });
    emulator.failNext(1, 503);
    expect(await sender.send('sendMessage', { chat_id: 79031112233, text: 'x' })).toMatchObject({ ok: false, kind: 'transient' });
    emulator.failNext(1, 'network');
    expect(await sender.send('sendMessage', { chat_id: 79031112233, text: 'x' })).toMatchObject({ ok: false, kind: 'transient', message: expect.stringContaining('network') });
    expect(await sender.send('sendPhoto', { chat_id: 79031112233, photo: '999' })).toMatchObject({ ok: false, kind: 'permanent', message: expect.stringContaining('100') });
    expect(await sender.send('answerCallbackQuery', { callback_query_id: 'q' })).toEqual({ ok: true, result: true, platformMessageId: null });
    expect(emulator.sentMessages()).toHaveLength(0);
  });
});
