// Linking a WhatsApp Web device on its own, without the bot (`chatcrm whatsapp login`): the
// Baileys connection with the auth state in Postgres, until the phone has scanned a QR and the
// connection opens, WhatsApp ends it, or the time is up. The process that runs the bot role
// later finds the credentials in Postgres.
import type { WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { acceptInbound } from '../../src/messaging/inbox.ts';
import { baileysRaw, baileysToInbound } from './baileys-inbound.ts';
import { messageFromOutbox } from './baileys-resend.ts';
import { type BaileysSocketFactory, createBaileysTransport, REFUSAL_CODES } from './baileys-transport.ts';
import { createLinkRecorder } from './link-status.ts';
import { usePgAuthState } from './pg-auth-state.ts';
import { readChoice, toUpdate } from './wa-update.ts';

export type LinkOutcome =
  | { kind: 'already_linked'; me: string | undefined }
  | { kind: 'linked'; me: string | undefined }
  | { kind: 'timeout' }
  | { kind: 'logged_out' }
  /** WhatsApp will not let this number connect (403 forbidden, 411 multi-device mismatch). */
  | { kind: 'refused'; code: number };

export interface LinkDeviceOptions {
  db: Db;
  account: string;
  logger: Logger;
  /** How long to wait for the phone to scan a QR. */
  timeoutMs: number;
  /** Every QR Baileys makes (a new one every 20 s or so, and after each reconnect). */
  onQr(qr: string): void;
  /** Default: Baileys' makeWASocket. Tests pass a stand-in's factory. */
  socketFactory?: BaileysSocketFactory;
  backoff?: { initialMs?: number; maxMs?: number };
}

export async function linkDevice(opts: LinkDeviceOptions): Promise<LinkOutcome> {
  const { db, account } = opts;
  const logger = opts.logger.child({ channel: 'whatsapp', provider: 'baileys', linking: true });
  const auth = await usePgAuthState(db, account);
  // Not connected at all: a second connection with the same credentials would take the session
  // from a running bot process (WhatsApp closes one of them with 440 connectionReplaced).
  if (auth.linked) return { kind: 'already_linked', me: auth.state.creds.me?.id };

  const link = createLinkRecorder(db, account, logger);
  let finish: (outcome: LinkOutcome) => void = () => {};
  const outcome = new Promise<LinkOutcome>((resolve) => {
    finish = resolve;
  });
  const transport = createBaileysTransport({
    account,
    auth,
    logger,
    ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    onMessage: (msg) => keepForTheBot(db, account, msg),
    getMessage: (key) => messageFromOutbox(db, account, key),
    onQr: (qr) => {
      link.qr(qr);
      opts.onQr(qr);
    },
    onOpen: (me) => {
      link.linked();
      finish({ kind: 'linked', me });
    },
    onClosed: (code) => {
      if (code === undefined || !REFUSAL_CODES.has(code)) return;
      link.refused(code);
      finish({ kind: 'refused', code });
    },
    onLoggedOut: async () => {
      link.loggedOut();
      finish({ kind: 'logged_out' });
    },
  });
  const timer = setTimeout(() => finish({ kind: 'timeout' }), opts.timeoutMs);
  transport.start();
  try {
    return await outcome;
  } finally {
    clearTimeout(timer);
    // Waits for the credentials Baileys saved on linking: the bot process needs all of them.
    await transport.stop();
    await link.flush();
  }
}

/**
 * A customer who writes in the moments the connection is open is not lost: the message is
 * stored unhandled, as the bridge would store it, and the bot process's recovery sweep
 * handles it later. WhatsApp Web does not deliver a message twice.
 */
async function keepForTheBot(db: Db, account: string, msg: WAMessage): Promise<void> {
  const inbound = baileysToInbound(msg, account);
  if (!inbound) return;
  const read = await readChoice(db, inbound);
  await acceptInbound(db, read, toUpdate(read, baileysRaw(msg)));
}
