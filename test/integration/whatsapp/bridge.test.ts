// One feature, one flow, written against grammY, running on WhatsApp: inline keyboards shown as
// numbered options, a reply "2" handed to the handler as the second button's callback_query.
import type { Conversation } from '@grammyjs/conversations';
import { Composer, type Context, InlineKeyboard } from 'grammy';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../../bots/telegram/context.ts';
import type { FlowBuilder } from '../../../flows/index.ts';
import { createCloudChannel } from '../../../bots/whatsapp/cloud-channel.ts';
import { messageIdOf } from '../../../bots/whatsapp/message-id.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { WhatsAppCloudEmulator } from '../../support/whatsapp-cloud-emulator.ts';
import { inboundRows, serveApp, silent } from './helpers.ts';

const IVAN = '79031112233';
const ANNA = '79264445566';
const OLEG = '79157778899';
const ACK_RU = 'Спасибо, сообщение получено. Менеджер скоро ответит.';

interface Seen {
  kind: 'callback' | 'text';
  chat: number | undefined;
  data?: string;
  text?: string;
  messageId?: number;
}

function bodyTypeFeature(seen: Seen[]): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.hears('кузов', (ctx) =>
    ctx.reply('Какой кузов нужен?', {
      reply_markup: new InlineKeyboard().text('Тент', 'body:tent').text('Рефрижератор', 'body:ref').row().text('Изотерм', 'body:iso'),
    }),
  );
  feature.on('callback_query:data', async (ctx) => {
    seen.push({ kind: 'callback', chat: ctx.chat?.id, data: ctx.callbackQuery.data, messageId: ctx.callbackQuery.message?.message_id });
    await ctx.answerCallbackQuery();
    await ctx.reply(`Выбрано: ${ctx.callbackQuery.data}`);
  });
  feature.on('message:text', (ctx, next) => {
    seen.push({ kind: 'text', chat: ctx.chat.id, text: ctx.message.text });
    return next();
  });
  return feature;
}

/** A two-question intake, as flows/ hold them: an inline keyboard, then free text. */
async function intake(conversation: Conversation<BotContext, Context>, ctx: Context) {
  await ctx.reply('Куда везем?', { reply_markup: new InlineKeyboard().text('Москва', 'to:msk').text('Казань', 'to:kzn') });
  const picked = await conversation.waitForCallbackQuery(/^to:/);
  await picked.answerCallbackQuery();
  await ctx.reply('Сколько тонн?');
  const weight = await conversation.waitFor('message:text');
  await ctx.reply(`Заявка: ${picked.callbackQuery.data}, ${weight.message.text} т`);
}

/** Registered like the built-in flows (conversation state in Postgres), entered by a handler after them. */
function testFeatures(seen: Seen[]) {
  const enter = new Composer<BotContext>();
  enter.hears('заявка', (ctx) => ctx.conversation.enter('test-intake'));
  return { extraFlows: [['test-intake', intake]] as [string, FlowBuilder][], extraFeatures: [enter, bodyTypeFeature(seen)] };
}

describe('WhatsApp bridge: features and flows written for grammY', () => {
  let db: TestDb;
  const emulator = new WhatsAppCloudEmulator();
  let server: Awaited<ReturnType<typeof serveApp>>;
  const seen: Seen[] = [];

  beforeAll(async () => {
    db = await createTestPostgres('wa_bridge');
    const { apiRoot } = await emulator.start();
    const channel = createCloudChannel({
      db: db.db,
      apiRoot,
      token: emulator.token,
      phoneId: emulator.phoneNumberId,
      appSecret: emulator.appSecret,
      verifyToken: undefined,
      logger: silent,
      features: testFeatures(seen),
    });
    const app = new Hono();
    app.route('/webhooks/whatsapp', channel.webhook);
    server = await serveApp(app);
    emulator.setWebhook(`${server.url}/webhooks/whatsapp`);
  });

  afterAll(async () => {
    await server?.close();
    await emulator.stop();
    await db?.drop();
  });

  it('shows an inline keyboard as numbered options with a Russian hint', async () => {
    await emulator.customerSends({ from: IVAN, name: 'Иван', text: 'кузов' });
    const shown = await emulator.waitForMessage(IVAN);
    expect(shown.type).toBe('text');
    expect(shown.text).toBe('Какой кузов нужен?\n\n1. Тент\n2. Рефрижератор\n3. Изотерм\n\nОтветьте цифрой варианта (от 1 до 3).');
  });

  it('takes the reply "2" as a press of the second button, on the keyboard message', async () => {
    const keyboardMessage = emulator.sentMessages(IVAN).at(-1)!;
    const reply = await emulator.customerSends({ from: IVAN, name: 'Иван', text: ' 2. ' });
    expect(reply.status).toBe(200);
    expect(seen.filter((s) => s.kind === 'callback')).toEqual([{ kind: 'callback', chat: Number(IVAN), data: 'body:ref', messageId: messageIdOf(keyboardMessage.wamid) }]);
    expect((await emulator.waitForMessage(IVAN)).text).toBe('Выбрано: body:ref');
    const row = (await inboundRows(db.db)).find((r) => r.externalId === reply.wamid);
    expect(row).toMatchObject({ kind: 'button', text: ' 2. ' });
    expect((row!.payload as { message: { button: unknown } }).message.button).toEqual({ data: 'body:ref', messageId: String(messageIdOf(keyboardMessage.wamid)) });
  });

  it('reads a "2" as text once a later message took the buttons away, and where no keyboard was shown', async () => {
    await emulator.customerSends({ from: IVAN, name: 'Иван', text: '2' });
    await emulator.customerSends({ from: ANNA, name: 'Анна', text: '2' });
    expect(seen.filter((s) => s.kind === 'callback')).toHaveLength(1);
    expect(seen.filter((s) => s.kind === 'text' && s.text === '2').map((s) => s.chat)).toEqual([Number(IVAN), Number(ANNA)]);
    expect((await emulator.waitForMessage(IVAN)).text).toBe(ACK_RU);
    expect((await emulator.waitForMessage(ANNA)).text).toBe(ACK_RU);
  });

  it('takes a redelivered "2" the way it was read the first time, and answers it once', async () => {
    await emulator.customerSends({ from: IVAN, name: 'Иван', text: 'кузов' });
    await emulator.waitForMessage(IVAN);
    const press = await emulator.customerSends({ from: IVAN, name: 'Иван', text: '3' });
    expect((await emulator.waitForMessage(IVAN)).text).toBe('Выбрано: body:iso');
    await emulator.redeliver(emulator.webhooks.find((w) => w.payload.entry[0]?.changes[0]?.value.messages?.[0]?.id === press.wamid)!.payloadId);
    expect(emulator.sentMessages(IVAN).filter((m) => m.text === 'Выбрано: body:iso')).toHaveLength(1);
  });

  it('takes a swipe-reply quoting an older keyboard message as a press of that message\'s button', async () => {
    const firstKeyboard = emulator.sentMessages(IVAN)[0]!;
    expect(firstKeyboard.text).toMatch(/^Какой кузов нужен\?/);
    const reply = await emulator.customerReplies({ from: IVAN, name: 'Иван', text: '1', replyTo: firstKeyboard.wamid });
    expect(reply.status).toBe(200);
    expect(seen.at(-1)).toEqual({ kind: 'callback', chat: Number(IVAN), data: 'body:tent', messageId: messageIdOf(firstKeyboard.wamid) });
    expect((await emulator.waitForMessage(IVAN, (m) => m.text === 'Выбрано: body:tent')).text).toBe('Выбрано: body:tent');
  });

  it('takes a Cloud interactive button reply as a callback_query with the button id as data', async () => {
    const res = await fetch(`${emulator.apiRoot}/${emulator.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.token}` },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: ANNA,
        type: 'interactive',
        interactive: { type: 'button', body: { text: 'Какой кузов?' }, action: { buttons: [{ type: 'reply', reply: { id: 'body:tent', title: 'Тент' } }, { type: 'reply', reply: { id: 'body:ref', title: 'Реф' } }] } },
      }),
    });
    const { messages } = (await res.json()) as { messages: { id: string }[] };
    const pressed = await emulator.customerPressesButton({ from: ANNA, name: 'Анна', title: 'Реф' });
    expect(pressed.status).toBe(200);
    expect(seen.at(-1)).toEqual({ kind: 'callback', chat: Number(ANNA), data: 'body:ref', messageId: messageIdOf(messages[0]!.id) });
    expect((await emulator.waitForMessage(ANNA, (m) => m.text?.startsWith('Выбрано') ?? false)).text).toBe('Выбрано: body:ref');
  });

  it('runs a conversation flow on WhatsApp: keyboard answered by number, then free text', async () => {
    await emulator.customerSends({ from: OLEG, name: 'Олег', text: 'заявка' });
    expect((await emulator.waitForMessage(OLEG)).text).toBe('Куда везем?\n\n1. Москва\n2. Казань\n\nОтветьте цифрой варианта (от 1 до 2).');
    await emulator.customerSends({ from: OLEG, name: 'Олег', text: '2' });
    expect((await emulator.waitForMessage(OLEG)).text).toBe('Сколько тонн?');
    await emulator.customerSends({ from: OLEG, name: 'Олег', text: '20' });
    expect((await emulator.waitForMessage(OLEG)).text).toBe('Заявка: to:kzn, 20 т');
    expect(emulator.sentMessages(OLEG)).toHaveLength(3);
  });
});
