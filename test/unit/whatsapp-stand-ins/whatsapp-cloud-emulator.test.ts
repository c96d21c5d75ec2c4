import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppCloudEmulator, type WebhookPayload } from '../../support/whatsapp-cloud-emulator.ts';

const TOKEN = 'cloud-token-for-tests';
const APP_SECRET = 'app-secret-for-tests';
const VERIFY_TOKEN = 'verify-me';
const PETR = '79161234567';

/** The test's own receiver: checks X-Hub-Signature-256 over the raw body, as an app must. */
function startReceiver(): Promise<{ url: string; received: { raw: string; payload: WebhookPayload }[]; rejected: number; server: ServerType }> {
  const state = { received: [] as { raw: string; payload: WebhookPayload }[], rejected: 0 };
  const app = new Hono();
  app.get('/webhooks/whatsapp', (c) => {
    if (c.req.query('hub.mode') === 'subscribe' && c.req.query('hub.verify_token') === VERIFY_TOKEN) {
      return c.text(c.req.query('hub.challenge') ?? '');
    }
    return c.text('forbidden', 403);
  });
  app.post('/webhooks/whatsapp', async (c) => {
    const raw = await c.req.text();
    const header = c.req.header('x-hub-signature-256') ?? '';
    const expected = Buffer.from(`sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`);
    const given = Buffer.from(header);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      state.rejected++;
      return c.text('bad signature', 401);
    }
    state.received.push({ raw, payload: JSON.parse(raw) as WebhookPayload });
    return c.text('EVENT_RECEIVED');
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}/webhooks/whatsapp`,
        get received() {
          return state.received;
        },
        get rejected() {
          return state.rejected;
        },
        server,
      });
    });
  });
}

describe('WhatsApp Cloud API emulator', () => {
  const emu = new WhatsAppCloudEmulator({ token: TOKEN, appSecret: APP_SECRET, phoneNumberId: '555000111222333', throughputPerSecond: 10 });
  let apiRoot = '';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  const post = (path: string, body: unknown, token: string | null = TOKEN) =>
    fetch(`${apiRoot}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const sendText = (to: string, text: string, token: string | null = TOKEN) =>
    post('/555000111222333/messages', { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body: text } }, token);

  beforeAll(async () => {
    ({ apiRoot } = await emu.start());
    receiver = await startReceiver();
    emu.setWebhook(receiver.url);
  });
  afterAll(async () => {
    await emu.stop();
    await new Promise((r) => receiver.server.close(r));
  });
  beforeEach(() => {
    // reset() also empties the throughput window, so each test starts with a full second.
    emu.reset();
    receiver.received.length = 0;
  });

  it('accepts a text message, answers with a wamid and records it', async () => {
    expect(apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v21\.0$/);
    const res = await sendText('+7 916 123-45-67', 'Здравствуйте, Пётр!');
    expect(res.status).toBe(200);
    const json = (await res.json()) as { messaging_product: string; contacts: { input: string; wa_id: string }[]; messages: { id: string }[] };
    expect(json.messaging_product).toBe('whatsapp');
    expect(json.contacts).toEqual([{ input: '+7 916 123-45-67', wa_id: PETR }]);
    expect(json.messages[0]?.id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);

    const sent = emu.sentMessages(PETR);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ wamid: json.messages[0]?.id, waId: PETR, type: 'text', text: 'Здравствуйте, Пётр!' });
    const waited = await emu.waitForMessage(PETR, (m) => m.text === 'Здравствуйте, Пётр!', 1000);
    expect(waited.wamid).toBe(json.messages[0]?.id);
    expect(emu.calls.at(-1)).toMatchObject({ method: 'POST', path: '/v21.0/555000111222333/messages', status: 200, authorization: `Bearer ${TOKEN}` });
  });

  it('answers 401 with a Graph OAuthException for a wrong or missing token', async () => {
    for (const token of ['wrong-token', null]) {
      const res = await sendText(PETR, 'hi', token);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: number; type: string; message: string; fbtrace_id: string } };
      expect(body.error.code).toBe(190);
      expect(body.error.type).toBe('OAuthException');
      expect(body.error.fbtrace_id).toMatch(/^[\w-]{11}$/);
    }
    expect(emu.sentMessages()).toHaveLength(0);
  });

  it('answers 400 code 100 for a missing `to` or an unknown type, 131009 for too many buttons', async () => {
    const noTo = await post('/555000111222333/messages', { messaging_product: 'whatsapp', type: 'text', text: { body: 'x' } });
    expect(noTo.status).toBe(400);
    const noToBody = (await noTo.json()) as { error: { code: number; message: string; error_data: { details: string } } };
    expect(noToBody.error).toMatchObject({ code: 100, message: '(#100) Invalid parameter' });
    expect(noToBody.error.error_data.details).toBe('The parameter to is required.');

    const badType = await post('/555000111222333/messages', { messaging_product: 'whatsapp', to: PETR, type: 'fax', fax: {} });
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { error: { code: number } }).error.code).toBe(100);

    const buttons = ['Да', 'Нет', 'Позже', 'Никогда'].map((t, i) => ({ type: 'reply', reply: { id: `b${i}`, title: t } }));
    const tooMany = await post('/555000111222333/messages', {
      messaging_product: 'whatsapp',
      to: PETR,
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Подтвердить?' }, action: { buttons } },
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { code: number } }).error.code).toBe(131009);
    expect(emu.sentMessages()).toHaveLength(0);
  });

  it('answers 429 with 130429 beyond the configured throughput (10/s, 15 at once)', async () => {
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => sendText(`7916000000${String(i).padStart(2, '0')}`, `load ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const limited = results.find((r) => r.status === 429)!;
    const body = (await limited.json()) as { error: { code: number; message: string } };
    expect(body.error).toMatchObject({ code: 130429, message: '(#130429) Rate limit hit' });
    expect(emu.sentMessages()).toHaveLength(10);
    // After the window has passed the number can send again.
    await new Promise((r) => setTimeout(r, 1050));
    expect((await sendText(PETR, 'after the window')).status).toBe(200);
  });

  it('reports 131026 for a blocked recipient: as a failed status webhook, or synchronously', async () => {
    emu.markUndeliverable('79160000001');
    const res = await sendText('79160000001', 'вы тут?');
    expect(res.status).toBe(200);
    const wamid = ((await res.json()) as { messages: { id: string }[] }).messages[0]!.id;
    await emu.waitForWebhook((w) => w.kind === 'status', 2000);
    const status = receiver.received.at(-1)!.payload.entry[0]!.changes[0]!.value.statuses![0]!;
    expect(status).toMatchObject({ id: wamid, status: 'failed', recipient_id: '79160000001' });
    expect(status.errors?.[0]).toMatchObject({ code: 131026, title: 'Message undeliverable' });
    expect(emu.sentMessages('79160000001')[0]?.failedWith).toBe(131026);

    emu.markUndeliverable('79160000002', 'response');
    const sync = await sendText('79160000002', 'вы тут?');
    expect(sync.status).toBe(400);
    expect(((await sync.json()) as { error: { code: number; message: string } }).error).toMatchObject({
      code: 131026,
      message: '(#131026) Message undeliverable',
    });
  });

  it('fails the next calls with 500 or a dropped connection on demand', async () => {
    emu.failNext(1, 500);
    const r500 = await sendText(PETR, 'one');
    expect(r500.status).toBe(500);
    expect(((await r500.json()) as { error: { code: number } }).error.code).toBe(1);
    emu.failNext(1, 'network');
    await expect(sendText(PETR, 'two')).rejects.toThrow(TypeError);
    expect((await sendText(PETR, 'three')).status).toBe(200);
    expect(emu.sentMessages(PETR).map((m) => m.text)).toEqual(['three']);
  });

  it('delivers signed message webhooks the app can verify; a wrong secret is detected; redelivery is byte-identical', async () => {
    const good = await emu.customerSends({ from: PETR, name: 'Пётр', text: 'Нужен прицеп на субботу' });
    expect(good.status).toBe(200);
    expect(good.body).toBe('EVENT_RECEIVED');
    expect(receiver.received).toHaveLength(1);
    const payload = receiver.received[0]!.payload;
    expect(payload.object).toBe('whatsapp_business_account');
    const value = payload.entry[0]!.changes[0]!.value;
    expect(payload.entry[0]!.changes[0]!.field).toBe('messages');
    expect(value.metadata).toEqual({ display_phone_number: emu.displayPhoneNumber, phone_number_id: '555000111222333' });
    expect(value.contacts).toEqual([{ profile: { name: 'Пётр' }, wa_id: PETR }]);
    expect(value.messages?.[0]).toMatchObject({ from: PETR, id: good.wamid, type: 'text', text: { body: 'Нужен прицеп на субботу' } });
    expect(value.messages?.[0]?.timestamp).toMatch(/^\d{10}$/);

    const forged = await emu.customerSends({ from: PETR, name: 'Пётр', text: 'подделка', sign: 'wrong-secret' });
    expect(forged.status).toBe(401);
    const unsigned = await emu.customerSends({ from: PETR, text: 'без подписи', sign: 'missing' });
    expect(unsigned.status).toBe(401);
    expect(receiver.rejected).toBeGreaterThanOrEqual(2);
    expect(receiver.received).toHaveLength(1);

    const again = await emu.redeliver(good.payloadId);
    expect(again.status).toBe(200);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.raw).toBe(receiver.received[0]!.raw);
  });

  it('posts status webhooks for sent messages on demand', async () => {
    const res = await sendText(PETR, 'Ваш заказ готов');
    const wamid = ((await res.json()) as { messages: { id: string }[] }).messages[0]!.id;
    for (const s of ['sent', 'delivered', 'read'] as const) expect((await emu.emitStatus(wamid, s)).status).toBe(200);
    const statuses = receiver.received.map((r) => r.payload.entry[0]!.changes[0]!.value.statuses![0]!);
    expect(statuses.map((s) => [s.id, s.status, s.recipient_id])).toEqual([
      [wamid, 'sent', PETR],
      [wamid, 'delivered', PETR],
      [wamid, 'read', PETR],
    ]);
    expect(statuses[0]?.pricing).toMatchObject({ billable: true, category: 'service' });
    expect(emu.sentMessages(PETR)[0]?.statuses).toEqual(['sent', 'delivered', 'read']);
  });

  it('turns a button press into an interactive button_reply webhook with context', async () => {
    const res = await post('/555000111222333/messages', {
      messaging_product: 'whatsapp',
      to: PETR,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Когда удобно забрать?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'slot:sat', title: 'Суббота' } }, { type: 'reply', reply: { id: 'slot:sun', title: 'Воскресенье' } }] },
      },
    });
    const wamid = ((await res.json()) as { messages: { id: string }[] }).messages[0]!.id;
    expect(() => emu.customerPressesButton({ from: PETR, id: 'slot:mon' })).toThrow(/offers no option/);
    await emu.customerPressesButton({ from: PETR, name: 'Пётр', title: 'Воскресенье' });
    const msg = receiver.received.at(-1)!.payload.entry[0]!.changes[0]!.value.messages![0]!;
    expect(msg).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'slot:sun', title: 'Воскресенье' } },
      context: { from: emu.displayPhoneNumber, id: wamid },
    });
  });

  it('turns a list pick into list_reply and a swipe-reply into text with context', async () => {
    const res = await post('/555000111222333/messages', {
      messaging_product: 'whatsapp',
      to: PETR,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Выберите кузов' },
        action: {
          button: 'Кузов',
          sections: [{ title: 'Кузов', rows: [{ id: 'v:tent', title: 'Тент', description: '20 т' }, { id: 'v:ref', title: 'Рефрижератор' }] }],
        },
      },
    });
    const wamid = ((await res.json()) as { messages: { id: string }[] }).messages[0]!.id;
    await emu.customerPressesButton({ from: PETR, id: 'v:tent' });
    await emu.customerReplies({ from: PETR, text: 'и ещё один', replyTo: wamid });
    const [pick, reply] = receiver.received.map((r) => r.payload.entry[0]!.changes[0]!.value.messages![0]!);
    expect(pick?.interactive).toEqual({ type: 'list_reply', list_reply: { id: 'v:tent', title: 'Тент', description: '20 т' } });
    expect(reply).toMatchObject({ type: 'text', text: { body: 'и ещё один' }, context: { id: wamid } });
  });

  it('uploads media and serves the same bytes back through the media URL with the bearer', async () => {
    const bytes = Buffer.from('%PDF-1.4\nсчёт №42\n%%EOF', 'utf8');
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'application/pdf');
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), 'invoice-42.pdf');
    const up = await fetch(`${apiRoot}/555000111222333/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(up.status).toBe(200);
    const { id } = (await up.json()) as { id: string };
    expect(id).toMatch(/^\d{16}$/);

    const meta = await fetch(`${apiRoot}/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const info = (await meta.json()) as { url: string; mime_type: string; sha256: string; file_size: number; id: string };
    expect(info).toMatchObject({ mime_type: 'application/pdf', file_size: bytes.length, id });
    expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    expect((await fetch(info.url)).status).toBe(401);
    const dl = await fetch(info.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);

    const doc = await post('/555000111222333/messages', { messaging_product: 'whatsapp', to: PETR, type: 'document', document: { id, filename: 'invoice-42.pdf', caption: 'Счёт' } });
    expect(doc.status).toBe(200);
    expect(emu.sentMessages(PETR).at(-1)).toMatchObject({ type: 'document', text: 'Счёт' });
  });

  it('lets the app download a document the customer sent, by the media id in the webhook', async () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
    await emu.customerSendsDocument({ from: PETR, name: 'Пётр', bytes, filename: 'ПТС.pdf', caption: 'документы' });
    const doc = receiver.received.at(-1)!.payload.entry[0]!.changes[0]!.value.messages![0]!.document!;
    expect(doc).toMatchObject({ filename: 'ПТС.pdf', mime_type: 'application/pdf', caption: 'документы' });
    const info = (await (await fetch(`${apiRoot}/${doc.id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { url: string };
    const dl = await fetch(info.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('runs the GET verification handshake against the app', async () => {
    expect(await emu.verifyWebhook({ verifyToken: VERIFY_TOKEN, challenge: '1158201444' })).toEqual({ status: 200, body: '1158201444', challenge: '1158201444' });
    expect((await emu.verifyWebhook({ verifyToken: 'nope' })).status).toBe(403);
  });
});
