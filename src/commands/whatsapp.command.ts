// chatcrm whatsapp login: links the WhatsApp Web (Baileys) device from a terminal, showing
// each QR Baileys makes as a QR code to scan. Neither the Telegram bot nor the HTTP server runs.
import QRCode from 'qrcode';
import type { Logger } from 'pino';
import type { BaileysSocketFactory } from '../../bots/whatsapp/baileys-transport.ts';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { parseOrUsage, withMigratedDb } from './args.ts';

export const usage = 'usage: chatcrm whatsapp login [--timeout <seconds>]   (default 120)\n';
const DEFAULT_TIMEOUT_S = 120;
// setTimeout fires at once past 2^31 ms; nobody waits a day at a QR code anyway.
const MAX_TIMEOUT_S = 86_400;

export const LINK_INSTRUCTION =
  'WhatsApp → Связанные устройства → Привязка устройства: отсканируйте код / WhatsApp → Linked devices → Link a device: scan the code';

export interface WhatsAppLoginDeps {
  db: Db;
  logger: Logger;
  out: { write(text: string): unknown };
  /** Default: Baileys' makeWASocket. Tests pass the stand-in's factory. */
  socketFactory?: BaileysSocketFactory;
}

/** The exit code: 0 linked (now or before), 1 not linked (time up, logged out, refused). */
export async function runWhatsAppLogin(deps: WhatsAppLoginDeps, opts: { account: string; timeoutMs: number }): Promise<number> {
  // Baileys takes a third of a second to load: only this command, of the CLI's, pays for it.
  const { linkDevice } = await import('../../bots/whatsapp/baileys-link.ts');
  const { out, db, logger } = deps;
  const seconds = opts.timeoutMs / 1000;
  let printing: Promise<void> = Promise.resolve();
  const showQr = (qr: string) => {
    // In order: QR codes render asynchronously, and an old one must not come out last.
    printing = printing.then(async () => {
      out.write(`\n${await terminalQr(qr)}\n${LINK_INSTRUCTION}\n`);
    });
  };
  const outcome = await linkDevice({ db, logger, account: opts.account, timeoutMs: opts.timeoutMs, onQr: showQr, ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}) });
  await printing;
  const who = (me: string | undefined) => `${me ? `${me}, ` : ''}account "${opts.account}"`;
  switch (outcome.kind) {
    case 'already_linked':
      out.write(`WhatsApp уже привязан / WhatsApp is already linked (${who(outcome.me)}); nothing to do\n`);
      return 0;
    case 'linked':
      out.write(`WhatsApp привязан / WhatsApp linked (${who(outcome.me)}); chatcrm start uses it from now on\n`);
      return 0;
    case 'timeout':
      out.write(`Код не отсканирован за ${seconds} с / The QR code was not scanned within ${seconds} s; run chatcrm whatsapp login again\n`);
      return 1;
    case 'logged_out':
      out.write('WhatsApp завершил сеанс до привязки / WhatsApp logged the device out before it was linked; run chatcrm whatsapp login again\n');
      return 1;
    case 'refused':
      out.write(`WhatsApp отказал в подключении (код ${outcome.code}) / WhatsApp refused the connection (code ${outcome.code}): this number may be banned or unable to link devices\n`);
      return 1;
  }
}

async function terminalQr(qr: string): Promise<string> {
  try {
    return await QRCode.toString(qr, { type: 'terminal', small: true });
  } catch {
    // Never seen for a Baileys QR; the string can still be turned into a code elsewhere.
    return qr;
  }
}

export async function whatsappCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, { timeout: { type: 'string' } }, usage);
  if (!parsed) return 2;
  const seconds = parsed.values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(parsed.values.timeout);
  if (parsed.positionals[0] !== 'login' || parsed.positionals.length > 1 || !(seconds > 0 && seconds <= MAX_TIMEOUT_S)) {
    process.stderr.write(usage);
    return 2;
  }
  if (config.WHATSAPP_PROVIDER !== 'baileys') {
    process.stderr.write(`note: WHATSAPP_PROVIDER is ${config.WHATSAPP_PROVIDER}; chatcrm start uses this link once it is baileys\n`);
  }
  return withMigratedDb(config, (db) => runWhatsAppLogin({ db, logger, out: process.stdout }, { account: config.WHATSAPP_BAILEYS_ACCOUNT, timeoutMs: seconds * 1000 }));
}
