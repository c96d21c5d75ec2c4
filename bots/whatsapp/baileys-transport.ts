// The WhatsApp Web connection (Baileys): one socket at a time, a new one after every close
// (a closed socket is dead), exponential backoff between attempts, and a full stop on
// loggedOut, since reconnecting with revoked credentials only loops. Inbound messages of one
// chat are handed over in order; our own echoes ('append', fromMe) are not messages to us.
import {
  type BaileysEventMap,
  DisconnectReason,
  makeCacheableSignalKeyStore,
  makeWASocket,
  proto,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WASocket,
} from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { PgAuthState } from './pg-auth-state.ts';

/** The part of Baileys' socket the transport uses; `makeWASocket(...)` satisfies it. */
export type BaileysSocketLike = Pick<WASocket, 'ev' | 'user' | 'sendMessage' | 'end'>;
export type BaileysSocketFactory = (config: UserFacingSocketConfig) => BaileysSocketLike;

export type TransportStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'logged_out' | 'stopped';
export type Receipt = 'delivered' | 'read' | 'failed';

export interface BaileysTransportOptions {
  account: string;
  auth: PgAuthState;
  logger: Logger;
  /** Default: Baileys' makeWASocket. Tests pass a stand-in's factory. */
  socketFactory?: BaileysSocketFactory;
  /** A customer's message; rejections are logged (the inbox keeps what it stored). */
  onMessage(msg: WAMessage): Promise<void>;
  /** What we sent under this key, for a recipient who asks for it again. */
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
  /** The QR to link the device with (shown until scanned). */
  onQr?(qr: string): void;
  /** The connection is open: the device is linked and WhatsApp talks to us. */
  onOpen?(me: string | undefined): void;
  /**
   * A connection closed, not by stop() and not by a logout (onLoggedOut tells that), with
   * Baileys' DisconnectReason code; called before the reconnect is scheduled, so a stop() here
   * prevents it.
   */
  onClosed?(code: number | undefined): void;
  /** The session was ended from the phone (or WhatsApp): the transport has stopped. */
  onLoggedOut?(at: Date): Promise<void>;
  onReceipt?(messageId: string, receipt: Receipt): Promise<void>;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Extra socket settings (browser name, timeouts); auth, logger and getMessage are set here. */
  socketConfig?: Partial<UserFacingSocketConfig>;
}

export interface BaileysTransport {
  start(): void;
  stop(): Promise<void>;
  /** The socket while the connection is open, else null (senders wait for it). */
  openSocket(): BaileysSocketLike | null;
  status(): TransportStatus;
  /** Resolves when the inbound messages handed over so far are handled. */
  idle(): Promise<void>;
}

export class BaileysLoggedOutError extends Error {
  override name = 'BaileysLoggedOutError';
}

/**
 * Close codes by which WhatsApp refuses the number itself (403 forbidden: banned or restricted;
 * 411 multi-device mismatch): reconnecting gets the same answer until someone acts.
 */
export const REFUSAL_CODES: ReadonlySet<number> = new Set([DisconnectReason.forbidden, DisconnectReason.multideviceMismatch]);

const statusCodeOf = (err: unknown): number | undefined => (err as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;

const receiptOf: Partial<Record<number, Receipt>> = {
  [proto.WebMessageInfo.Status.DELIVERY_ACK]: 'delivered',
  [proto.WebMessageInfo.Status.READ]: 'read',
  [proto.WebMessageInfo.Status.PLAYED]: 'read',
  [proto.WebMessageInfo.Status.ERROR]: 'failed',
};

export function createBaileysTransport(opts: BaileysTransportOptions): BaileysTransport {
  const log = opts.logger.child({ transport: 'baileys', account: opts.account });
  // Baileys logs every frame at debug; only its warnings belong in ours.
  const baileysLog = opts.logger.child({ module: 'baileys' }, { level: opts.logger.levelVal > 40 ? opts.logger.level : 'warn' });
  const factory = opts.socketFactory ?? (makeWASocket as unknown as BaileysSocketFactory);
  const initialMs = opts.backoff?.initialMs ?? 1000;
  const maxMs = opts.backoff?.maxMs ?? 60_000;
  const keys = makeCacheableSignalKeyStore(opts.auth.state.keys, baileysLog);

  let status: TransportStatus = 'idle';
  let current: BaileysSocketLike | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let credsSaving: Promise<void> = Promise.resolve();
  const chains = new Map<string, Promise<void>>();

  const hand = (msg: WAMessage) => {
    const chat = msg.key.remoteJid ?? '';
    const next = (chains.get(chat) ?? Promise.resolve())
      .then(() => opts.onMessage(msg))
      .catch((err: unknown) => log.error({ err, id: msg.key.id }, 'inbound WhatsApp Web message not handled'));
    chains.set(chat, next);
    void next.finally(() => {
      if (chains.get(chat) === next) chains.delete(chat);
    });
  };

  const saveCreds = () => {
    // In order: an older snapshot must never land after a newer one.
    credsSaving = credsSaving.then(() => opts.auth.saveCreds()).catch((err: unknown) => log.error({ err }, 'could not save WhatsApp Web credentials'));
  };

  const onUpsert = ({ messages, type }: BaileysEventMap['messages.upsert']) => {
    if (type !== 'notify') return;
    for (const m of messages) if (!m.key.fromMe) hand(m);
  };

  const onUpdate = (updates: BaileysEventMap['messages.update']) => {
    for (const { key, update } of updates) {
      const receipt = update.status == null ? undefined : receiptOf[update.status];
      if (!key.fromMe || !key.id || !receipt || !opts.onReceipt) continue;
      void opts.onReceipt(key.id, receipt).catch((err: unknown) => log.warn({ err, id: key.id }, 'could not record a receipt'));
    }
  };

  const scheduleReconnect = (code: number | undefined) => {
    // 515 is WhatsApp asking for a fresh connection right away (after linking, for one).
    const delay = code === DisconnectReason.restartRequired ? 0 : Math.min(maxMs, initialMs * 2 ** attempt) * (0.75 + Math.random() * 0.25);
    attempt += 1;
    status = 'reconnecting';
    log.warn({ code, attempt, delayMs: Math.round(delay) }, 'WhatsApp Web connection closed; reconnecting');
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, delay);
  };

  const onLoggedOut = async (at: Date) => {
    status = 'logged_out';
    log.error({ at }, 'WhatsApp Web logged out: the device must be linked again (QR); not reconnecting');
    try {
      await credsSaving;
      await opts.auth.clear();
      await opts.onLoggedOut?.(at);
    } catch (err) {
      log.error({ err: new BaileysLoggedOutError('handling the logout failed', { cause: err }) }, 'WhatsApp Web logout not fully handled');
    }
  };

  const onConnection = (sock: BaileysSocketLike, u: BaileysEventMap['connection.update']) => {
    if (sock !== current) return;
    if (u.qr) {
      log.info('WhatsApp Web is not linked: scan the QR code');
      opts.onQr?.(u.qr);
    }
    if (u.connection === 'open') {
      status = 'open';
      attempt = 0;
      log.info({ me: sock.user?.id }, 'WhatsApp Web connected');
      opts.onOpen?.(sock.user?.id);
    }
    if (u.connection === 'close') {
      current = null;
      if (stopped) {
        status = 'stopped';
        return;
      }
      const code = statusCodeOf(u.lastDisconnect?.error);
      if (code === DisconnectReason.loggedOut) void onLoggedOut(u.lastDisconnect?.date ?? new Date());
      else {
        opts.onClosed?.(code);
        // onClosed may have stopped the transport (a caller that gives up on this code).
        if (!stopped) scheduleReconnect(code);
      }
    }
  };

  const connect = () => {
    if (stopped) return;
    status = 'connecting';
    const sock = factory({
      markOnlineOnConnect: false,
      syncFullHistory: false,
      ...opts.socketConfig,
      auth: { creds: opts.auth.state.creds, keys },
      logger: baileysLog as unknown as UserFacingSocketConfig['logger'],
      getMessage: async (key) => {
        try {
          return await opts.getMessage(key);
        } catch (err) {
          log.warn({ err, id: key.id }, 'could not rebuild a message for a resend');
          return undefined;
        }
      },
    });
    current = sock;
    sock.ev.on('creds.update', saveCreds);
    sock.ev.on('connection.update', (u) => onConnection(sock, u));
    sock.ev.on('messages.upsert', onUpsert);
    sock.ev.on('messages.update', onUpdate);
  };

  return {
    start() {
      if (status !== 'idle') return;
      connect();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const sock = current;
      current = null;
      status = 'stopped';
      if (sock) await sock.end(undefined);
      await Promise.all([...chains.values()]);
      await credsSaving;
    },
    openSocket: () => (status === 'open' ? current : null),
    status: () => status,
    async idle() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}
