import { DisconnectReason, proto, type BaileysEventMap, type ConnectionState } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import {
  BaileysStandIn,
  makeInMemoryAuthState,
  type BaileysSocketFactory,
  type BaileysSocketStandIn,
} from '../../support/baileys-socket-stand-in.ts';

const PETR = '79161234567';
const PETR_JID = `${PETR}@s.whatsapp.net`;

/** Connects the way a transport does: through the factory, recording connection updates. */
function connect(standIn: BaileysStandIn, auth = makeInMemoryAuthState()) {
  const factory: BaileysSocketFactory = standIn.factory;
  const sock = factory({ auth }) as BaileysSocketStandIn;
  const updates: Partial<ConnectionState>[] = [];
  sock.ev.on('connection.update', (u) => updates.push(u));
  return { sock, updates, auth };
}

const tick = () => new Promise((r) => setImmediate(r));
const statusCodeOf = (u: Partial<ConnectionState> | undefined) =>
  (u?.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;

describe('Baileys socket stand-in', () => {
  it('emits connecting, then open, and on close the DisconnectReason status code; a closed socket is dead', async () => {
    const standIn = new BaileysStandIn();
    const { sock, updates } = connect(standIn);
    await tick();
    expect(updates[0]).toEqual({ connection: 'connecting', receivedPendingNotifications: false, qr: undefined });

    sock.open();
    expect(updates.map((u) => u.connection).filter(Boolean)).toEqual(['connecting', 'open']);
    expect(updates.at(-1)).toEqual({ receivedPendingNotifications: true });
    expect(sock.user?.id).toBe('79990000000:1@s.whatsapp.net');

    sock.close(DisconnectReason.loggedOut);
    const closed = updates.at(-1)!;
    expect(closed.connection).toBe('close');
    expect(statusCodeOf(closed)).toBe(401);
    expect(closed.lastDisconnect?.date).toBeInstanceOf(Date);
    await expect(sock.sendMessage(PETR_JID, { text: 'после закрытия' })).rejects.toMatchObject({ output: { statusCode: 428 } });
    expect(() => sock.open()).toThrow(/closed/);
  });

  it('reports restartRequired 515 and connectionLost 408 on the sockets that closed', async () => {
    const standIn = new BaileysStandIn();
    const a = connect(standIn);
    const b = connect(standIn);
    await tick();
    a.sock.open();
    b.sock.open();
    a.sock.close(DisconnectReason.restartRequired);
    b.sock.close(DisconnectReason.connectionLost);
    expect(statusCodeOf(a.updates.at(-1))).toBe(515);
    expect(a.updates.at(-1)?.lastDisconnect?.error?.message).toBe('Stream Errored (restart required)');
    expect(statusCodeOf(b.updates.at(-1))).toBe(408);
    expect(standIn.sockets).toHaveLength(2);
  });

  it('links by QR: creds saved into the auth state, isNewLogin, then 515 and a fresh socket opens with them', async () => {
    const standIn = new BaileysStandIn();
    const { sock, updates, auth } = connect(standIn);
    const creds: BaileysEventMap['creds.update'][] = [];
    sock.ev.on('creds.update', (c) => creds.push(c));
    await tick();
    const qr = sock.emitQr();
    expect(updates.at(-1)).toEqual({ qr });
    expect(qr.split(',')).toHaveLength(4);
    sock.pair();
    expect(creds[0]?.me?.id).toBe('79990000000:1@s.whatsapp.net');
    expect(auth.creds.me?.id).toBe('79990000000:1@s.whatsapp.net');
    expect(updates.some((u) => u.isNewLogin === true)).toBe(true);
    expect(statusCodeOf(updates.at(-1))).toBe(DisconnectReason.restartRequired);

    const again = connect(standIn, auth);
    await tick();
    again.sock.open();
    expect(again.updates.some((u) => u.connection === 'open')).toBe(true);
  });

  it('delivers a customer text as messages.upsert notify with the phone jid, text and push name', async () => {
    const standIn = new BaileysStandIn();
    const { sock } = connect(standIn);
    const upserts: BaileysEventMap['messages.upsert'][] = [];
    const processed: Partial<BaileysEventMap>[] = [];
    sock.ev.on('messages.upsert', (u) => upserts.push(u));
    sock.ev.process((events) => {
      processed.push(events);
    });
    await tick();
    sock.open();
    const sent = sock.customerSends({ from: PETR, text: 'Нужен прицеп на субботу', pushName: 'Пётр' });

    expect(upserts).toHaveLength(1);
    expect(upserts[0]?.type).toBe('notify');
    const msg = upserts[0]!.messages[0]!;
    expect(msg.key).toMatchObject({ remoteJid: PETR_JID, fromMe: false, id: sent.key.id, addressingMode: 'pn' });
    expect(msg.key.id).toMatch(/^[0-9A-F]{32}$/);
    expect(msg.message?.conversation).toBe('Нужен прицеп на субботу');
    expect(msg.pushName).toBe('Пётр');
    expect(typeof msg.messageTimestamp).toBe('number');
    expect(processed.some((e) => e['messages.upsert']?.messages[0]?.key.id === sent.key.id)).toBe(true);
  });

  it('addresses by LID when asked, with the phone jid in remoteJidAlt; a reply quotes as extendedTextMessage', async () => {
    const standIn = new BaileysStandIn();
    const { sock } = connect(standIn);
    const got: BaileysEventMap['messages.upsert'][] = [];
    sock.ev.on('messages.upsert', (u) => got.push(u));
    await tick();
    sock.open();
    const mine = await sock.sendMessage(PETR_JID, { text: 'Во сколько удобно?' });
    sock.customerSends({ from: PETR, text: 'В 10', addressing: 'lid', quoted: mine! });
    const notify = got.find((u) => u.type === 'notify')!.messages[0]!;
    expect(notify.key.remoteJid).toBe(standIn.lidOf(PETR));
    expect(notify.key.remoteJid).toMatch(/^\d+@lid$/);
    expect(notify.key.remoteJidAlt).toBe(PETR_JID);
    expect(notify.message?.extendedTextMessage?.text).toBe('В 10');
    expect(notify.message?.extendedTextMessage?.contextInfo?.stanzaId).toBe(mine!.key.id);
  });

  it('sendMessage returns a WAMessage with a Baileys key id, records it, echoes it as append, and receipts arrive as messages.update', async () => {
    const standIn = new BaileysStandIn();
    const { sock } = connect(standIn);
    const upserts: BaileysEventMap['messages.upsert'][] = [];
    const updates: BaileysEventMap['messages.update'][] = [];
    sock.ev.on('messages.upsert', (u) => upserts.push(u));
    sock.ev.on('messages.update', (u) => updates.push(u));
    await tick();
    // A send while connecting waits for the connection, as Baileys does.
    const pending = sock.sendMessage(PETR_JID, { text: 'Здравствуйте!' });
    sock.open();
    const msg = await pending;
    expect(msg?.key).toMatchObject({ remoteJid: PETR_JID, fromMe: true });
    expect(msg?.key.id).toMatch(/^3EB0[0-9A-F]{18}$/);
    expect(msg?.message?.extendedTextMessage?.text).toBe('Здравствуйте!');
    expect(msg?.status).toBe(proto.WebMessageInfo.Status.PENDING);
    expect(sock.sent).toHaveLength(1);
    expect(sock.sent[0]).toMatchObject({ jid: PETR_JID, text: 'Здравствуйте!', content: { text: 'Здравствуйте!' } });
    expect((await standIn.waitForSent(PETR, (m) => m.text === 'Здравствуйте!', 500)).message.key.id).toBe(msg?.key.id);

    await tick();
    expect(upserts).toEqual([{ messages: [msg], type: 'append' }]);

    sock.emitStatus(msg!.key, 'delivered');
    sock.emitStatus(msg!.key.id!, 'read');
    expect(updates.map((u) => [u[0]?.key.id, u[0]?.update.status])).toEqual([
      [msg?.key.id, proto.WebMessageInfo.Status.DELIVERY_ACK],
      [msg?.key.id, proto.WebMessageInfo.Status.READ],
    ]);
  });

  it('failNextSend makes exactly the next send throw', async () => {
    const standIn = new BaileysStandIn({ autoOpen: true });
    const { sock, auth } = connect(standIn);
    auth.creds.me = { id: standIn.meJid, name: 'chatcrm' };
    await tick();
    expect(sock.connection).toBe('open');
    const boom = Object.assign(new Error('Timed Out'), { output: { statusCode: 408 } });
    sock.failNextSend(boom);
    await expect(sock.sendMessage(PETR_JID, { text: 'раз' })).rejects.toBe(boom);
    await expect(sock.sendMessage(PETR_JID, { text: 'два' })).resolves.toMatchObject({ key: { fromMe: true } });
    expect(sock.sent.map((s) => s.text)).toEqual(['два']);
  });

  it('holds customer messages while disconnected and hands them over when the next socket opens', async () => {
    const standIn = new BaileysStandIn();
    const first = connect(standIn);
    await tick();
    first.sock.open();
    first.sock.close(DisconnectReason.connectionLost);
    standIn.customerSends({ from: PETR, text: 'раз' });
    standIn.customerSends({ from: '79035550011', text: 'два' });

    const second = connect(standIn, first.auth);
    const upserts: BaileysEventMap['messages.upsert'][] = [];
    second.sock.ev.on('messages.upsert', (u) => upserts.push(u));
    await tick();
    expect(upserts).toHaveLength(0);
    second.sock.open();
    expect(upserts).toHaveLength(1);
    expect(upserts[0]?.type).toBe('notify');
    expect(upserts[0]?.messages.map((m) => m.message?.conversation)).toEqual(['раз', 'два']);
  });

  it('sends and receives documents whose media really decrypts to the same bytes', async () => {
    const standIn = new BaileysStandIn();
    const { sock } = connect(standIn);
    await tick();
    sock.open();
    const bytes = Buffer.from('%PDF-1.4 счёт %%EOF', 'utf8');
    const incoming = await sock.customerSendsDocument({ from: PETR, bytes, fileName: 'ПТС.pdf', pushName: 'Пётр' });
    const doc = incoming.message?.documentMessage;
    expect(doc).toMatchObject({ fileName: 'ПТС.pdf', mimetype: 'application/pdf' });
    expect(doc?.directPath).toMatch(/^\/v\/t62\./);
    expect((await standIn.downloadMedia(incoming)).equals(bytes)).toBe(true);

    const out = await sock.sendMessage(PETR_JID, { document: Buffer.from('договор'), mimetype: 'application/pdf', fileName: 'договор.pdf' });
    expect(out?.message?.documentMessage?.fileName).toBe('договор.pdf');
    expect((await standIn.downloadMedia(out!)).toString()).toBe('договор');
  });

  it("calls the transport's getMessage when the recipient asks for a resend", async () => {
    const standIn = new BaileysStandIn();
    const auth = makeInMemoryAuthState();
    const stored = new Map<string, proto.IMessage>();
    const sock = standIn.factory({ auth, getMessage: async (key) => stored.get(key.id ?? '') });
    await tick();
    sock.open();
    const msg = await sock.sendMessage(PETR_JID, { text: 'повтор' });
    stored.set(msg!.key.id!, msg!.message!);
    const resent = await sock.requestResend(msg!.key);
    expect(resent?.extendedTextMessage?.text).toBe('повтор');
    expect(await sock.requestResend({ remoteJid: PETR_JID, id: 'UNKNOWN', fromMe: true })).toBeUndefined();
    expect(sock.resends.map((r) => r.key.id)).toEqual([msg!.key.id, 'UNKNOWN']);
  });

  it('answers onWhatsApp only for numbers that have WhatsApp', async () => {
    const standIn = new BaileysStandIn();
    standIn.markNotOnWhatsApp('79035550000');
    const { sock } = connect(standIn);
    await tick();
    sock.open();
    expect(await sock.onWhatsApp(PETR, '79035550000')).toEqual([{ jid: PETR_JID, exists: true }]);
  });
});
