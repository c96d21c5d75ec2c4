// Sends outbox rows (Bot API calls) through the WhatsApp Cloud API and classifies Meta's
// answers by their Graph error code, which is what identifies them (the HTTP status is a hint).
import type { PlatformSender, SendOutcome } from '../../src/messaging/platform-sender.ts';
import { RateLimiter, type RateLimits } from '../../src/messaging/rate-limiter.ts';
import { botApiMessage, type MediaRef, renderBotApiCall, type WhatsAppSend } from './render-bot-api-call.ts';

export interface CloudSenderOptions {
  /** Graph API root with its version, e.g. https://graph.facebook.com/v21.0. */
  apiRoot: string;
  token: string;
  phoneId: string;
  /** Messages per second Meta allows this number (80 unless it was raised). */
  throughputPerSecond?: number;
  limits?: RateLimits;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** Graph error codes the deliverer acts on differently from a plain refusal. */
export const CloudErrorCode = {
  rateLimitHit: 130429,
  /** The number has no WhatsApp account or cannot receive from us. */
  undeliverable: 131026,
  /** More than 24 hours since the customer last wrote: only templates may go. */
  reEngagement: 131047,
} as const;

/**
 * The customer cannot be written to until something changes on his side (he gets WhatsApp, or
 * writes to us again): the same whether Meta refuses the send or reports it failed later.
 */
export const cannotReach = (code: number | undefined): boolean => code === CloudErrorCode.undeliverable || code === CloudErrorCode.reEngagement;

/**
 * 80% of the number's throughput, so Meta never has to refuse; a short gap per chat keeps one
 * customer's messages in order without slowing a conversation.
 */
export function cloudLimits(throughputPerSecond = 80, share = 0.8): RateLimits {
  return {
    perAccount: { max: Math.max(1, Math.floor(throughputPerSecond * share)), windowMs: 1000 },
    perChatGapMs: 150,
    perGroup: { max: 20, windowMs: 60_000 },
    isGroup: () => false,
  };
}

interface GraphAnswer {
  messages?: { id?: string }[];
  error?: { code?: number; message?: string; error_data?: { details?: string } };
}

export function createCloudSender(opts: CloudSenderOptions): PlatformSender {
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    channel: 'whatsapp',
    account: opts.phoneId,
    limiter: new RateLimiter(opts.limits ?? cloudLimits(opts.throughputPerSecond)),
    async send(method, params): Promise<SendOutcome> {
      const rendered = renderBotApiCall(method, params);
      if (rendered.kind === 'local') return { ok: true, result: rendered.result, platformMessageId: null };
      if (rendered.kind === 'unsupported') return { ok: false, kind: 'permanent', message: rendered.reason };
      const send = rendered.send;
      let res: Response;
      try {
        res = await doFetch(`${opts.apiRoot}/${opts.phoneId}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
          body: JSON.stringify(cloudBody(send)),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
        });
      } catch (err) {
        return { ok: false, kind: 'transient', message: `network: ${err instanceof Error ? err.message : String(err)}` };
      }
      let body: GraphAnswer;
      try {
        body = (await res.json()) as GraphAnswer;
      } catch {
        return { ok: false, kind: res.status >= 500 ? 'transient' : 'permanent', message: `HTTP ${res.status} without a JSON body` };
      }
      const wamid = body.messages?.[0]?.id;
      if (res.ok && wamid) return { ok: true, result: botApiMessage(send, wamid), platformMessageId: wamid };
      const code = body.error?.code;
      const message = `${code ?? res.status}: ${body.error?.message ?? 'no message'}${body.error?.error_data?.details ? ` (${body.error.error_data.details})` : ''}`;
      if (res.status === 429 || code === CloudErrorCode.rateLimitHit) return { ok: false, kind: 'rate_limited', retryAfterMs: 1000, message };
      if (cannotReach(code)) return { ok: false, kind: 'unreachable', message };
      if (res.status >= 500) return { ok: false, kind: 'transient', message };
      return { ok: false, kind: 'permanent', message };
    },
  };
}

/** The `POST /{phone-id}/messages` body for one send. */
export function cloudBody(send: WhatsAppSend): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: send.to };
  const media = (m: MediaRef) => ('id' in m ? { id: m.id } : { link: m.url });
  switch (send.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: send.text, preview_url: false } };
    case 'image':
      return { ...base, type: 'image', image: { ...media(send.media), ...(send.caption ? { caption: send.caption } : {}) } };
    case 'document':
      return {
        ...base,
        type: 'document',
        document: { ...media(send.media), ...(send.caption ? { caption: send.caption } : {}), ...(send.fileName ? { filename: send.fileName } : {}) },
      };
    case 'location':
      return { ...base, type: 'location', location: { latitude: send.latitude, longitude: send.longitude } };
  }
}
