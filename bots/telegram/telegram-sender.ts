// Sends Bot API calls for the outbox deliverer and classifies Telegram's answers.
import type { PlatformSender, SendOutcome } from '../../src/messaging/platform-sender.ts';
import { createJsonPost, type JsonAnswer } from '../../src/messaging/json-post.ts';
import { RateLimiter, type RateLimits, telegramLimits } from '../../src/messaging/rate-limiter.ts';

export interface TelegramSenderOptions {
  token: string;
  apiRoot: string;
  limits?: RateLimits;
  timeoutMs?: number;
}

export const botIdOf = (token: string) => token.split(':')[0]!;

interface BotApiAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

const UNREACHABLE = /bot was blocked by the user|user is deactivated|bot was kicked|chat not found|bot can't initiate conversation/i;

export function createTelegramSender(opts: TelegramSenderOptions): PlatformSender {
  const post = createJsonPost({ timeoutMs: opts.timeoutMs ?? 15_000 });
  return {
    channel: 'telegram',
    account: botIdOf(opts.token),
    limiter: new RateLimiter(opts.limits ?? telegramLimits),
    async send(method, params): Promise<SendOutcome> {
      let res: JsonAnswer;
      try {
        res = await post(`${opts.apiRoot}/bot${opts.token}/${method}`, params);
      } catch (err) {
        return { ok: false, kind: 'transient', message: `network: ${err instanceof Error ? err.message : String(err)}` };
      }
      const body = res.body as BotApiAnswer | undefined;
      if (!body || typeof body !== 'object') {
        return { ok: false, kind: res.status >= 500 ? 'transient' : 'permanent', message: `HTTP ${res.status} without a JSON body` };
      }
      if (body.ok) {
        const id = (body.result as { message_id?: number } | undefined)?.message_id;
        return { ok: true, result: body.result, platformMessageId: id === undefined ? null : String(id) };
      }
      const message = `${body.error_code ?? res.status}: ${body.description ?? 'no description'}`;
      if (body.error_code === 429 || res.status === 429)
        return { ok: false, kind: 'rate_limited', retryAfterMs: (body.parameters?.retry_after ?? 1) * 1000, message };
      if ((body.error_code === 403 || body.error_code === 400) && UNREACHABLE.test(body.description ?? '')) return { ok: false, kind: 'unreachable', message };
      if (res.status >= 500) return { ok: false, kind: 'transient', message };
      return { ok: false, kind: 'permanent', message };
    },
  };
}
