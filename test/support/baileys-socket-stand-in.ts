// A stand-in for the Baileys socket (`makeWASocket`) at the transport boundary: the
// transport receives a socket factory, production passes `makeWASocket`, tests pass
// `new BaileysStandIn().factory`. Only the WhatsApp Web network behind the socket is stood
// in for; what the transport sees is built with Baileys' own code and types.
//
// Reproduced, using Baileys itself where it can be:
// - `ev` is Baileys' real event buffer (`makeEventBuffer`): `on` / `off` / `process`
//   semantics, and the buffering of a logged-in socket until its offline messages have been
//   handled, flushed as one consolidated `messages.upsert` when it opens.
// - Lifecycle: `connecting` on the next tick after creation; `qr` while not linked; linking
//   (`pair`) emits `creds.update`, `isNewLogin` and then closes with 515 restartRequired, as
//   WhatsApp does, so the transport must create a new socket; `open` emits `creds.update`
//   (me with lid), `connection: 'open'`, then `receivedPendingNotifications: true`; a close
//   carries `lastDisconnect.error` Boom-like with `output.statusCode` from DisconnectReason,
//   after which the socket's listeners are removed and it is dead (a new one is needed).
//   `creds.update` is merged into `config.auth.creds`, as the real socket does.
// - `sendMessage` builds the message with Baileys' `generateWAMessage` (text becomes
//   `extendedTextMessage`, media is really encrypted and "uploaded", ids from
//   `generateMessageIDV2`, status PENDING); waits while connecting and throws Boom 428 when
//   closed; echoes the message as `messages.upsert` type 'append' when `emitOwnEvents`
//   (Baileys' default). Receipts arrive as `messages.update` with WebMessageInfo.Status.
// - Customer messages as WhatsApp delivers them: `conversation` for plain text,
//   `extendedTextMessage` with contextInfo for replies, media messages with real mediaKey /
//   directPath / hashes (decryptable with `downloadMedia`), pn or lid addressing with
//   `remoteJidAlt`; messages sent while no socket is open wait and arrive on the next open.
// - `getMessage` from the socket config is called when the recipient asks for a resend
//   (`requestResend`), which is when real Baileys calls it.
// - `onWhatsApp` answers only for numbers that have WhatsApp, like the real usync query.
// Not reproduced: the noise/signal protocol, groups, history sync, app-state sync, keep-alive
// timing, pairing codes, link previews, media download from the CDN (Baileys'
// `downloadMediaMessage` fetches https://mmg.whatsapp.net, so the transport should take a
// downloader, for which `BaileysStandIn.downloadMedia` stands in), what WhatsApp does with a
// send to a number without an account (the send succeeds and nothing follows).
import { createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  DisconnectReason,
  generateMessageIDV2,
  generateWAMessage,
  getMediaKeys,
  initAuthCreds,
  makeEventBuffer,
  prepareWAMessageMedia,
  proto,
} from '@whiskeysockets/baileys';
import type {
  AnyMessageContent,
  AuthenticationState,
  BaileysEventMap,
  ConnectionState,
  Contact,
  MediaType,
  MiscMessageGenerationOptions,
  SignalDataSet,
  SignalDataTypeMap,
  UserFacingSocketConfig,
  WAMediaUploadFunction,
  WAMessage,
  WAMessageKey,
  WAPresence,
  WASocket,
} from '@whiskeysockets/baileys';
import { pino } from 'pino';

export type { BaileysEventMap, ConnectionState, WAMessage, proto };

/** The part of Baileys' socket a transport uses; `makeWASocket(...)` satisfies it. */
export type BaileysSocketLike = Pick<
  WASocket,
  'ev' | 'user' | 'sendMessage' | 'end' | 'logout' | 'sendPresenceUpdate' | 'readMessages' | 'onWhatsApp'
>;
export type BaileysSocketFactory = (config: UserFacingSocketConfig) => BaileysSocketLike;

/** Shaped like @hapi/boom's errors, which is what Baileys puts in `lastDisconnect.error`. */
export class StandInBoom extends Error {
  override name = 'Boom';
  readonly isBoom = true;
  readonly isServer: boolean;
  readonly output: { statusCode: number; payload: { statusCode: number; error: string; message: string }; headers: Record<string, string> };
  constructor(message: string, statusCode: number, readonly data?: unknown) {
    super(message);
    this.isServer = statusCode >= 500;
    this.output = { statusCode, payload: { statusCode, error: httpReason(statusCode), message }, headers: {} };
  }
}

function httpReason(code: number): string {
  const reasons: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    408: 'Request Time-out',
    411: 'Length Required',
    428: 'Precondition Required',
    440: 'Unknown',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
    515: 'Unknown',
  };
  return reasons[code] ?? 'Unknown';
}

/** The messages Baileys itself puts on these closes. */
const closeMessages: Record<number, string> = {
  [DisconnectReason.loggedOut]: 'Connection Failure',
  [DisconnectReason.connectionLost]: 'Connection was lost',
  [DisconnectReason.connectionClosed]: 'Connection Closed',
  [DisconnectReason.connectionReplaced]: 'Stream Errored (conflict)',
  [DisconnectReason.badSession]: 'Stream Errored (bad-session)',
  [DisconnectReason.restartRequired]: 'Stream Errored (restart required)',
  [DisconnectReason.multideviceMismatch]: 'Multi-device beta not joined',
  [DisconnectReason.forbidden]: 'Connection Failure',
  [DisconnectReason.unavailableService]: 'Stream Errored (service unavailable)',
};

export type ReceiptStatus = 'server_ack' | 'delivered' | 'read' | 'played' | 'error';

const receiptStatus: Record<ReceiptStatus, proto.WebMessageInfo.Status> = {
  server_ack: proto.WebMessageInfo.Status.SERVER_ACK,
  delivered: proto.WebMessageInfo.Status.DELIVERY_ACK,
  read: proto.WebMessageInfo.Status.READ,
  played: proto.WebMessageInfo.Status.PLAYED,
  error: proto.WebMessageInfo.Status.ERROR,
};

export interface SentBaileysMessage {
  jid: string;
  content: AnyMessageContent;
  options: MiscMessageGenerationOptions | undefined;
  /** What `sendMessage` returned (and what went on the wire). */
  message: WAMessage;
  /** The text a person would read: text, caption, or undefined. */
  text: string | undefined;
  at: number;
}

export interface CustomerMessageBase {
  /** The customer's phone, digits (or a jid). */
  from: string;
  pushName?: string;
  /** WhatsApp increasingly addresses 1:1 chats by LID; the phone jid is then in remoteJidAlt. */
  addressing?: 'pn' | 'lid';
  id?: string;
  /** Unix seconds. */
  timestamp?: number;
}

export interface BaileysStandInOptions {
  /** The linked account's jid; the device suffix is what a linked companion has. */
  meJid?: string;
  meName?: string;
  meLid?: string;
  /**
   * Sockets open by themselves on the next tick when their creds are linked, and show a QR
   * when they are not, as a reachable WhatsApp would make them.
   */
  autoOpen?: boolean;
}

const silentLogger = pino({ level: 'silent' });
type StandInLogger = typeof silentLogger;

const mediaKinds: Record<string, MediaType> = {
  imageMessage: 'image',
  documentMessage: 'document',
  videoMessage: 'video',
  audioMessage: 'audio',
  stickerMessage: 'sticker',
};

function phoneDigits(phoneOrJid: string): string {
  return (phoneOrJid.split('@')[0] ?? '').split(':')[0]!.replace(/\D/g, '');
}

function textOf(content: AnyMessageContent): string | undefined {
  if ('text' in content && typeof content.text === 'string') return content.text;
  if ('caption' in content && typeof content.caption === 'string') return content.caption;
  return undefined;
}

/** The WhatsApp side: creates sockets (`factory`), holds what outlives a single connection. */
export class BaileysStandIn {
  readonly meJid: string;
  readonly meName: string;
  readonly meLid: string;
  readonly autoOpen: boolean;
  readonly sockets: BaileysSocketStandIn[] = [];
  /** Every message sent through any socket, in order. */
  readonly sent: SentBaileysMessage[] = [];
  /** Encrypted media by directPath, as the CDN would hold it. */
  readonly mediaStore = new Map<string, Buffer>();
  private readonly notOnWhatsApp = new Set<string>();
  private readonly lids = new Map<string, string>();
  private offline: WAMessage[] = [];
  private consumed = new Set<SentBaileysMessage>();
  private sentWaiters: { match: (m: SentBaileysMessage) => boolean; resolve: (m: SentBaileysMessage) => void }[] = [];
  private socketWaiters: { count: number; resolve: (s: BaileysSocketStandIn) => void }[] = [];

  constructor(opts: BaileysStandInOptions = {}) {
    this.meJid = opts.meJid ?? '79990000000:1@s.whatsapp.net';
    this.meName = opts.meName ?? 'chatcrm';
    this.meLid = opts.meLid ?? '180000000000001:1@lid';
    this.autoOpen = opts.autoOpen ?? false;
  }

  /** Pass this where the transport expects `makeWASocket`. */
  readonly factory = (config: UserFacingSocketConfig): BaileysSocketStandIn => {
    const socket = new BaileysSocketStandIn(config, this);
    this.sockets.push(socket);
    for (const w of [...this.socketWaiters]) {
      if (this.sockets.length >= w.count) {
        this.socketWaiters.splice(this.socketWaiters.indexOf(w), 1);
        w.resolve(socket);
      }
    }
    return socket;
  };

  /** The most recently created socket. */
  get socket(): BaileysSocketStandIn {
    const s = this.sockets.at(-1);
    if (!s) throw new Error('the transport has not created a Baileys socket yet');
    return s;
  }

  /** Resolves once `count` sockets have been created (e.g. 2 after a reconnect), with the latest. */
  waitForSocket(count: number, timeoutMs = 5000): Promise<BaileysSocketStandIn> {
    if (this.sockets.length >= count) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const w = {
        count,
        resolve: (s: BaileysSocketStandIn) => {
          clearTimeout(timer);
          resolve(s);
        },
      };
      const timer = setTimeout(() => {
        this.socketWaiters.splice(this.socketWaiters.indexOf(w), 1);
        reject(new Error(`the transport created ${this.sockets.length} socket(s), not ${count}, within ${timeoutMs} ms`));
      }, timeoutMs);
      this.socketWaiters.push(w);
    });
  }

  /**
   * The earliest message sent to `jid` (matching `pred`) that no earlier call returned,
   * already sent or within `timeoutMs`: consecutive waits walk a conversation in order.
   */
  waitForSent(jid: string, pred: (m: SentBaileysMessage) => boolean = () => true, timeoutMs = 5000): Promise<SentBaileysMessage> {
    const user = phoneDigits(jid);
    const match = (m: SentBaileysMessage) => phoneDigits(m.jid) === user && !this.consumed.has(m) && pred(m);
    const found = this.sent.find(match);
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const w = {
        match,
        resolve: (m: SentBaileysMessage) => {
          clearTimeout(timer);
          this.consumed.add(m);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.sentWaiters.splice(this.sentWaiters.indexOf(w), 1);
        const seen = this.sent.filter((m) => phoneDigits(m.jid) === user).map((m) => m.text ?? Object.keys(m.content)[0]);
        reject(new Error(`no Baileys message to ${jid} within ${timeoutMs} ms; sent to them so far: ${JSON.stringify(seen)}`));
      }, timeoutMs);
      this.sentWaiters.push(w);
    });
  }

  markNotOnWhatsApp(phone: string): void {
    this.notOnWhatsApp.add(phoneDigits(phone));
  }

  hasWhatsApp(phone: string): boolean {
    return !this.notOnWhatsApp.has(phoneDigits(phone));
  }

  /** A stable LID per phone, as WhatsApp assigns one per account. */
  lidOf(phone: string): string {
    const digits = phoneDigits(phone);
    let lid = this.lids.get(digits);
    if (!lid) {
      lid = `${BigInt(`0x${createHash('sha256').update(digits).digest('hex').slice(0, 12)}`) + 100_000_000_000_000n}@lid`;
      this.lids.set(digits, lid);
    }
    return lid;
  }

  /** Where Baileys would upload encrypted media; keeps the ciphertext under a CDN-like path. */
  readonly upload: WAMediaUploadFunction = async (encFilePath, opts) => {
    const enc = await readFile(encFilePath);
    const n = () => String(100_000_000 + Math.floor(Math.random() * 899_999_999));
    const kind = opts.mediaType === 'image' ? 't62.7118-24' : 't62.7119-24';
    const directPath = `/v/${kind}/${n()}_${n()}_n.enc?ccb=11-4&oh=${randomBytes(16).toString('hex')}&oe=${Math.floor(Date.now() / 1000 + 30 * 86400).toString(16).toUpperCase()}&_nc_sid=5e03e0`;
    this.mediaStore.set(directPath, enc);
    return { mediaUrl: `https://mmg.whatsapp.net${directPath}&mms3=true`, directPath };
  };

  /**
   * Fetches and decrypts a media message the way `downloadMediaMessage(msg, 'buffer')` does
   * (mediaKey → HKDF keys, MAC check, AES-256-CBC), from this stand-in's store.
   */
  async downloadMedia(message: WAMessage | proto.IMessage): Promise<Buffer> {
    const content: proto.IMessage | null | undefined = 'key' in message ? message.message : message;
    const entry = Object.entries(content ?? {}).find(([k]) => k in mediaKinds);
    if (!entry) throw new StandInBoom('not a media message', 400);
    const [kind, media] = entry as [string, proto.Message.IDocumentMessage];
    const enc = media.directPath ? this.mediaStore.get(media.directPath) : undefined;
    if (!enc || !media.mediaKey) throw new StandInBoom('Failed to fetch stream from media URL', 404, { directPath: media.directPath });
    const { cipherKey, iv, macKey } = await getMediaKeys(media.mediaKey, mediaKinds[kind]!);
    const body = enc.subarray(0, enc.length - 10);
    const mac = enc.subarray(enc.length - 10);
    const expected = createHmac('sha256', macKey!).update(iv).update(body).digest().subarray(0, 10);
    if (!timingSafeEqual(mac, expected)) throw new StandInBoom('media MAC mismatch', 400);
    const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  }

  // ---- the customer's side --------------------------------------------------------------

  /** A customer writes; delivered now if a socket is open, else on the next open. */
  customerSends(opts: CustomerMessageBase & { text: string; quoted?: WAMessage }): WAMessage {
    const message: proto.IMessage = opts.quoted
      ? {
          extendedTextMessage: {
            text: opts.text,
            contextInfo: {
              stanzaId: opts.quoted.key.id ?? null,
              participant: opts.quoted.key.fromMe ? this.meJid.replace(/:\d+@/, '@') : this.customerKey(opts).remoteJid,
              quotedMessage: opts.quoted.message ?? null,
            },
          },
        }
      : { conversation: opts.text };
    return this.arrive(opts, message);
  }

  async customerSendsDocument(
    opts: CustomerMessageBase & { bytes: Buffer | Uint8Array | string; fileName: string; mimetype?: string; caption?: string },
  ): Promise<WAMessage> {
    const doc = await prepareWAMessageMedia(
      {
        document: toBuffer(opts.bytes),
        mimetype: opts.mimetype ?? 'application/pdf',
        fileName: opts.fileName,
        ...(opts.caption !== undefined ? { caption: opts.caption } : {}),
      },
      { upload: this.upload, logger: silentLogger },
    );
    return this.arrive(opts, doc);
  }

  async customerSendsImage(opts: CustomerMessageBase & { bytes: Buffer | Uint8Array; caption?: string }): Promise<WAMessage> {
    const img = await prepareWAMessageMedia(
      { image: toBuffer(opts.bytes), ...(opts.caption !== undefined ? { caption: opts.caption } : {}) },
      { upload: this.upload, logger: silentLogger },
    );
    return this.arrive(opts, img);
  }

  private customerKey(opts: CustomerMessageBase): WAMessageKey {
    const digits = phoneDigits(opts.from);
    const pn = `${digits}@s.whatsapp.net`;
    const lid = this.lidOf(digits);
    const byLid = opts.addressing === 'lid';
    return {
      remoteJid: byLid ? lid : pn,
      remoteJidAlt: byLid ? pn : lid,
      addressingMode: byLid ? 'lid' : 'pn',
      fromMe: false,
      // Phones use 32 upper-case hex digits; Baileys' own ids start with 3EB0.
      id: opts.id ?? randomBytes(16).toString('hex').toUpperCase(),
    };
  }

  private arrive(opts: CustomerMessageBase, content: proto.IMessage): WAMessage {
    const msg: WAMessage = {
      key: this.customerKey(opts),
      messageTimestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
      ...(opts.pushName !== undefined ? { pushName: opts.pushName } : {}),
      broadcast: false,
      message: {
        ...content,
        messageContextInfo: {
          deviceListMetadata: { senderTimestamp: Math.floor(Date.now() / 1000) - 86400 },
          deviceListMetadataVersion: 2,
          messageSecret: randomBytes(32),
        },
      },
    };
    const live = this.sockets.at(-1);
    if (live?.connection === 'open') live.deliver([msg]);
    else this.offline.push(msg);
    return msg;
  }

  /** @internal called by a socket when it opens: WhatsApp hands over what waited. */
  takeOffline(): WAMessage[] {
    const msgs = this.offline;
    this.offline = [];
    return msgs;
  }

  /** @internal */
  recordSent(rec: SentBaileysMessage): void {
    this.sent.push(rec);
    const w = this.sentWaiters.find((x) => x.match(rec));
    if (w) {
      this.sentWaiters.splice(this.sentWaiters.indexOf(w), 1);
      w.resolve(rec);
    }
  }
}

/** One connection. Dead once closed, like the real socket. */
export class BaileysSocketStandIn implements BaileysSocketLike {
  readonly ev: WASocket['ev'];
  readonly config: UserFacingSocketConfig;
  readonly standIn: BaileysStandIn;
  connection: ConnectionState['connection'] = 'connecting';
  lastDisconnect: ConnectionState['lastDisconnect'] | undefined;
  loggedOut = false;
  readonly sent: SentBaileysMessage[] = [];
  readonly presenceUpdates: { type: WAPresence; toJid: string | undefined }[] = [];
  readonly readReceipts: WAMessageKey[] = [];
  readonly resends: { key: WAMessageKey; message: proto.IMessage | undefined }[] = [];
  readonly qrs: string[] = [];
  private readonly logger: StandInLogger;
  private buffering = false;
  private failures: Error[] = [];
  private openWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(config: UserFacingSocketConfig, standIn: BaileysStandIn = new BaileysStandIn()) {
    this.config = config;
    this.standIn = standIn;
    this.logger = (config.logger as StandInLogger | undefined) ?? silentLogger;
    this.ev = makeEventBuffer(this.logger);
    this.ev.on('creds.update', (update) => Object.assign(this.config.auth.creds, update));
    process.nextTick(() => {
      if (this.connection === 'close') return;
      if (this.config.auth.creds.me?.id) {
        this.ev.buffer();
        this.buffering = true;
      }
      this.ev.emit('connection.update', { connection: 'connecting', receivedPendingNotifications: false, qr: undefined });
      if (this.standIn.autoOpen) {
        if (this.config.auth.creds.me?.id) this.open();
        else this.emitQr();
      }
    });
  }

  get user(): Contact | undefined {
    return this.config.auth.creds.me;
  }

  // ---- the WASocket surface ----------------------------------------------------------------

  async sendMessage(jid: string, content: AnyMessageContent, options: MiscMessageGenerationOptions = {}): Promise<WAMessage | undefined> {
    await this.waitForOpen();
    const injected = this.failures.shift();
    if (injected) throw injected;
    if (!/^\d+(:\d+)?@(s\.whatsapp\.net|lid)$|^[\d-]+@g\.us$/.test(jid)) {
      // Real Baileys fails deep inside relayMessage on such a jid; fail here, legibly.
      throw new StandInBoom(`invalid jid "${jid}": expected <digits>@s.whatsapp.net or <lid>@lid`, 400);
    }
    const userJid = this.user!.id;
    const message = (await generateWAMessage(jid, content, {
      logger: this.logger,
      userJid,
      upload: this.standIn.upload,
      messageId: generateMessageIDV2(userJid),
      ...options,
    })) as WAMessage;
    const rec: SentBaileysMessage = { jid, content, options, message, text: textOf(content), at: Date.now() };
    this.sent.push(rec);
    this.standIn.recordSent(rec);
    if (this.config.emitOwnEvents ?? true) {
      process.nextTick(() => {
        if (this.connection !== 'close') this.ev.emit('messages.upsert', { messages: [message], type: 'append' });
      });
    }
    return message;
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.connection === 'close') return;
    this.connection = 'close';
    this.lastDisconnect = { error, date: new Date() };
    for (const w of this.openWaiters.splice(0)) w.reject(new StandInBoom('Connection Closed', DisconnectReason.connectionClosed));
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: this.lastDisconnect });
    this.ev.removeAllListeners('connection.update');
    this.ev.destroy();
  }

  async logout(msg?: string): Promise<void> {
    this.loggedOut = true;
    await this.end(new StandInBoom(msg ?? 'Intentional Logout', DisconnectReason.loggedOut));
  }

  async sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void> {
    await this.waitForOpen();
    if ((type === 'available' || type === 'unavailable') && !this.user?.name) return;
    this.presenceUpdates.push({ type, toJid });
    if (type === 'available' || type === 'unavailable') this.ev.emit('connection.update', { isOnline: type === 'available' });
  }

  async readMessages(keys: WAMessageKey[]): Promise<void> {
    await this.waitForOpen();
    this.readReceipts.push(...keys);
  }

  async onWhatsApp(...phoneNumber: string[]): Promise<{ jid: string; exists: boolean }[] | undefined> {
    await this.waitForOpen();
    return phoneNumber
      .filter((p) => !p.endsWith('@lid') && this.standIn.hasWhatsApp(p))
      .map((p) => ({ jid: `${phoneDigits(p)}@s.whatsapp.net`, exists: true }));
  }

  // ---- test-side controls ------------------------------------------------------------------

  /** The connection is established; messages that waited on the server arrive now. */
  open(): void {
    this.assertAlive();
    const me = this.config.auth.creds.me ?? { id: this.standIn.meJid, name: this.standIn.meName };
    this.ev.emit('creds.update', { me: { ...me, lid: this.standIn.meLid } });
    this.connection = 'open';
    this.ev.emit('connection.update', { connection: 'open' });
    for (const w of this.openWaiters.splice(0)) w.resolve();
    const offline = this.standIn.takeOffline();
    if (offline.length) this.deliver(offline);
    if (this.buffering) {
      this.buffering = false;
      this.ev.flush();
    }
    this.ev.emit('connection.update', { receivedPendingNotifications: true });
  }

  /** Shows a QR to link the device; returns it. */
  emitQr(qr?: string): string {
    this.assertAlive();
    const creds = this.config.auth.creds;
    const code =
      qr ??
      [
        `2@${randomBytes(48).toString('base64')}`,
        Buffer.from(creds.noiseKey.public).toString('base64'),
        Buffer.from(creds.signedIdentityKey.public).toString('base64'),
        creds.advSecretKey,
      ].join(',');
    this.qrs.push(code);
    this.ev.emit('connection.update', { qr: code });
    return code;
  }

  /**
   * The phone scanned the QR: credentials are issued, then WhatsApp closes the stream with
   * 515 restartRequired and the transport must connect again with the saved creds.
   */
  pair(): void {
    this.assertAlive();
    this.ev.emit('creds.update', {
      me: { id: this.standIn.meJid, name: this.standIn.meName, lid: this.standIn.meLid },
      platform: 'android',
      registered: true,
    });
    this.ev.emit('connection.update', { isNewLogin: true, qr: undefined });
    this.close(DisconnectReason.restartRequired);
  }

  /** The server ends the connection with this DisconnectReason code. */
  close(statusCode: number, message?: string): void {
    void this.end(new StandInBoom(message ?? closeMessages[statusCode] ?? 'Connection Terminated', statusCode));
  }

  /** The next send (or the next `errors.length` sends) throws this instead of sending. */
  failNextSend(...errors: Error[]): void {
    this.failures.push(...(errors.length ? errors : [new StandInBoom('Timed Out', DisconnectReason.timedOut)]));
  }

  /** A receipt for a sent message, as `messages.update`. */
  emitStatus(keyOrId: WAMessageKey | string, status: ReceiptStatus, opts: { errorCode?: string } = {}): void {
    this.assertAlive();
    const id = typeof keyOrId === 'string' ? keyOrId : keyOrId.id;
    const rec = this.standIn.sent.find((m) => m.message.key.id === id);
    if (!rec) throw new Error(`no message ${id} was sent through the stand-in`);
    const update: Partial<WAMessage> =
      status === 'error'
        ? { status: receiptStatus.error, messageStubParameters: [opts.errorCode ?? '479'] }
        : { status: receiptStatus[status] };
    this.ev.emit('messages.update', [{ key: { remoteJid: rec.message.key.remoteJid ?? null, id: id ?? null, fromMe: true }, update }]);
  }

  /** The recipient could not decrypt and asks for the message again: Baileys calls getMessage. */
  async requestResend(key: WAMessageKey): Promise<proto.IMessage | undefined> {
    const message = await this.config.getMessage?.(key);
    this.resends.push({ key, message });
    return message;
  }

  customerSends(opts: Parameters<BaileysStandIn['customerSends']>[0]): WAMessage {
    return this.standIn.customerSends(opts);
  }

  customerSendsDocument(opts: Parameters<BaileysStandIn['customerSendsDocument']>[0]): Promise<WAMessage> {
    return this.standIn.customerSendsDocument(opts);
  }

  customerSendsImage(opts: Parameters<BaileysStandIn['customerSendsImage']>[0]): Promise<WAMessage> {
    return this.standIn.customerSendsImage(opts);
  }

  /** @internal */
  deliver(messages: WAMessage[]): void {
    this.ev.emit('messages.upsert', { messages, type: 'notify' });
  }

  private assertAlive(): void {
    if (this.connection === 'close') throw new Error('this Baileys socket is closed; the transport must create a new one');
  }

  private waitForOpen(): Promise<void> {
    if (this.connection === 'open') return Promise.resolve();
    if (this.connection === 'close') return Promise.reject(new StandInBoom('Connection Closed', DisconnectReason.connectionClosed));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }
}

/** Auth state held in memory, built with Baileys' `initAuthCreds`, for tests. */
export function makeInMemoryAuthState(): AuthenticationState {
  const creds = initAuthCreds();
  const store = new Map<string, unknown>();
  return {
    creds,
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const out: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const id of ids) {
          const v = store.get(`${type}:${id}`);
          if (v !== undefined) out[id] = v as SignalDataTypeMap[T];
        }
        return out;
      },
      set: async (data: SignalDataSet) => {
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, v] of Object.entries(entries ?? {})) {
            if (v === null || v === undefined) store.delete(`${type}:${id}`);
            else store.set(`${type}:${id}`, v);
          }
        }
      },
    },
  };
}

function toBuffer(b: Buffer | Uint8Array | string): Buffer {
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
}
