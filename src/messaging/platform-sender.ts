import type { MessagingChannel } from '../../db/schema/index.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** What a platform call came to, in the terms the deliverer acts on. */
export type SendOutcome =
  | { ok: true; result: unknown; platformMessageId: string | null }
  | { ok: false; kind: 'rate_limited'; retryAfterMs: number; message: string }
  /** The person blocked us or cannot be reached on this channel: stop trying. */
  | { ok: false; kind: 'unreachable'; message: string }
  /** 5xx, timeouts, network errors: worth another try. */
  | { ok: false; kind: 'transient'; message: string }
  /** The request itself is wrong: another try would fail the same way. */
  | { ok: false; kind: 'permanent'; message: string };

export interface PlatformSender {
  channel: MessagingChannel;
  account: string;
  limiter: RateLimiter;
  send(method: string, params: Record<string, unknown>): Promise<SendOutcome>;
}
