// Sends outbox rows through a WhatsApp Web session (Baileys). An unofficial client that
// sends like a machine gets the number banned, so pacing is deliberately human: a few
// messages a minute, random gaps between them, and a daily cap.
import type { AnyMessageContent, WAMediaUpload, WASocket } from '@whiskeysockets/baileys';
import type { PlatformSender, SendOutcome } from '../../src/messaging/platform-sender.ts';
import { RateLimiter } from '../../src/messaging/rate-limiter.ts';
import { botApiMessage, renderBotApiCall, type WhatsAppSend } from './render-bot-api-call.ts';

export interface BaileysPacing {
  perMinute: number;
  /** Random gap between two sends on the account, uniformly in [minGapMs, maxGapMs]. */
  minGapMs: number;
  maxGapMs: number;
  /** Sends per UTC day; past it, rate limited until the next day. */
  dailyCap: number;
}

export const defaultBaileysPacing: BaileysPacing = { perMinute: 20, minGapMs: 1500, maxGapMs: 4000, dailyCap: 1000 };

/** The part of a Baileys socket sending needs. */
export type BaileysSendSocket = Pick<WASocket, 'sendMessage'>;

export interface BaileysSenderOptions {
  account: string;
  /** The socket while the connection is open; null while connecting, closed or logged out. */
  socket: () => BaileysSendSocket | null;
  /** The jid to send to for a chat id (see JidBook). */
  jidOf?: (chatId: string) => string;
  pacing?: Partial<BaileysPacing>;
  /** Sends already made since a time (the outbox knows them): the daily cap survives restarts. */
  sentSince?: (since: Date) => Promise<number>;
  /** A Bot API file_id to something Baileys can send; WhatsApp Web has no file ids of its own. */
  media?: (fileId: string) => Promise<WAMediaUpload | null>;
  random?: () => number;
  now?: () => number;
}

/** The Telegram-style limiter with an account-wide random gap in front. */
export class PacedLimiter extends RateLimiter {
  private nextAt = 0;

  constructor(
    private readonly pacing: BaileysPacing,
    private readonly random: () => number = Math.random,
  ) {
    super({
      perAccount: { max: pacing.perMinute, windowMs: 60_000 },
      perChatGapMs: 0,
      perGroup: { max: pacing.perMinute, windowMs: 60_000 },
      isGroup: () => false,
    });
  }

  override reserve(chatId: string, now = Date.now()): number {
    if (now < this.nextAt) return this.nextAt - now;
    const wait = super.reserve(chatId, now);
    if (wait > 0) return wait;
    const { minGapMs, maxGapMs } = this.pacing;
    this.nextAt = now + minGapMs + Math.floor(this.random() * Math.max(0, maxGapMs - minGapMs));
    return 0;
  }
}

const DAY_MS = 86_400_000;

export function createBaileysSender(opts: BaileysSenderOptions): PlatformSender {
  const pacing = { ...defaultBaileysPacing, ...opts.pacing };
  const now = opts.now ?? Date.now;
  const jidOf = opts.jidOf ?? ((chatId: string) => `${chatId.replace(/\D/g, '')}@s.whatsapp.net`);
  let day = -1;
  let sentToday = 0;

  const capReached = async (): Promise<number> => {
    const t = now();
    const today = Math.floor(t / DAY_MS);
    if (today !== day) {
      sentToday = opts.sentSince ? await opts.sentSince(new Date(today * DAY_MS)) : 0;
      day = today;
    }
    return sentToday >= pacing.dailyCap ? (today + 1) * DAY_MS - t : 0;
  };

  return {
    channel: 'whatsapp',
    account: opts.account,
    limiter: new PacedLimiter(pacing, opts.random),
    async send(method, params): Promise<SendOutcome> {
      const rendered = renderBotApiCall(method, params);
      if (rendered.kind === 'local') return { ok: true, result: rendered.result, platformMessageId: null };
      if (rendered.kind === 'unsupported') return { ok: false, kind: 'permanent', message: rendered.reason };
      const send = rendered.send;
      const untilTomorrow = await capReached();
      if (untilTomorrow > 0) return { ok: false, kind: 'rate_limited', retryAfterMs: untilTomorrow, message: `daily cap of ${pacing.dailyCap} WhatsApp Web messages reached` };
      const socket = opts.socket();
      if (!socket) return { ok: false, kind: 'transient', message: 'WhatsApp Web is not connected' };
      let content: AnyMessageContent;
      try {
        content = await baileysContent(send, opts.media);
      } catch (err) {
        return { ok: false, kind: 'permanent', message: err instanceof Error ? err.message : String(err) };
      }
      try {
        const sent = await socket.sendMessage(jidOf(send.to), content);
        const id = sent?.key.id;
        if (!id) return { ok: false, kind: 'transient', message: 'Baileys returned no message id' };
        sentToday += 1;
        return { ok: true, result: botApiMessage(send, id, new Date(now())), platformMessageId: id };
      } catch (err) {
        const status = (err as { output?: { statusCode?: number } }).output?.statusCode;
        const message = `${status ?? 'error'}: ${err instanceof Error ? err.message : String(err)}`;
        // 400 is a request WhatsApp will never take (a bad jid); the rest are connection trouble.
        return status === 400 ? { ok: false, kind: 'permanent', message } : { ok: false, kind: 'transient', message };
      }
    },
  };
}

export class UnsendableMediaError extends Error {
  override name = 'UnsendableMediaError';
}

async function baileysContent(send: WhatsAppSend, media: BaileysSenderOptions['media']): Promise<AnyMessageContent> {
  switch (send.type) {
    case 'text':
      return { text: send.text };
    case 'location':
      return { location: { degreesLatitude: send.latitude, degreesLongitude: send.longitude } };
    case 'document':
    case 'image': {
      let upload: WAMediaUpload | null;
      if ('url' in send.media) upload = { url: send.media.url };
      else upload = media ? await media(send.media.id) : null;
      if (!upload) throw new UnsendableMediaError(`file ${'id' in send.media ? send.media.id : ''} cannot be sent over WhatsApp Web: give a URL or a media resolver`);
      const caption = send.caption ? { caption: send.caption } : {};
      if (send.type === 'image') return { image: upload, ...caption };
      return { document: upload, mimetype: mimeOf(send.fileName), ...(send.fileName ? { fileName: send.fileName } : {}), ...caption };
    }
  }
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
};

function mimeOf(fileName: string | undefined): string {
  const ext = fileName?.split('.').pop()?.toLowerCase();
  return (ext && MIME[ext]) || 'application/octet-stream';
}
