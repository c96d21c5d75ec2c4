// Telegram's published sending limits, enforced strictly so a deliverer that ignores them
// is caught in tests: 30 messages per second per bot, one message per second per private
// chat, 20 messages per minute per group. Real Telegram tolerates short bursts; this does
// not, apart from `perChatToleranceMs` of clock slack. Only accepted sends count.

export interface RateLimitOptions {
  /** Messages per rolling second for the whole bot. Telegram: 30. */
  globalPerSecond?: number;
  /** Minimum gap between two messages to one private chat. Telegram: 1000 ms. */
  perChatMinIntervalMs?: number;
  /** Slack on that gap, for timer jitter between a paced client and the emulator. */
  perChatToleranceMs?: number;
  /** Messages per rolling minute to one group or supergroup (chat id < 0). Telegram: 20. */
  groupPerMinute?: number;
  /** false turns all three off. */
  enabled?: boolean;
}

export type ResolvedRateLimits = Required<RateLimitOptions>;

export const TELEGRAM_RATE_LIMITS: ResolvedRateLimits = {
  globalPerSecond: 30,
  perChatMinIntervalMs: 1000,
  perChatToleranceMs: 20,
  groupPerMinute: 20,
  enabled: true,
};

export class SendRateLimiter {
  private limits: ResolvedRateLimits;
  /** Accepted sends' times, oldest first; those before `globalHead` are out of the window. */
  private global: number[] = [];
  private globalHead = 0;
  private lastPrivate = new Map<number, number>();
  private group = new Map<number, number[]>();

  constructor(
    opts: RateLimitOptions = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.limits = { ...TELEGRAM_RATE_LIMITS, ...opts };
  }

  get options(): ResolvedRateLimits {
    return { ...this.limits };
  }

  configure(opts: RateLimitOptions): void {
    this.limits = { ...this.limits, ...opts };
  }

  reset(): void {
    this.global = [];
    this.globalHead = 0;
    this.lastPrivate.clear();
    this.group.clear();
  }

  /**
   * Takes a slot for one message to `chatId`, or answers how many whole seconds to wait
   * (Telegram's `retry_after`, never below 1). Nothing is recorded for a refused send.
   */
  take(chatId: number): { ok: true } | { ok: false; retryAfter: number } {
    if (!this.limits.enabled) return { ok: true };
    const now = this.clock();
    const waits: number[] = [];

    // Times only grow: the window's start moves forward (filtering the whole window on every
    // send cost the load generator of the inbound bench more CPU than its HTTP).
    while (this.globalHead < this.global.length && now - this.global[this.globalHead]! >= 1000) this.globalHead++;
    if (this.globalHead > 1024 && this.globalHead * 2 > this.global.length) {
      this.global = this.global.slice(this.globalHead);
      this.globalHead = 0;
    }
    const oldestGlobal = this.global[this.globalHead];
    if (this.global.length - this.globalHead >= this.limits.globalPerSecond && oldestGlobal !== undefined) waits.push(oldestGlobal + 1000 - now);

    let groupWindow: number[] | undefined;
    if (chatId < 0) {
      groupWindow = (this.group.get(chatId) ?? []).filter((t) => now - t < 60_000);
      this.group.set(chatId, groupWindow);
      const oldest = groupWindow[0];
      if (groupWindow.length >= this.limits.groupPerMinute && oldest !== undefined) waits.push(oldest + 60_000 - now);
    } else {
      const last = this.lastPrivate.get(chatId);
      const gap = this.limits.perChatMinIntervalMs - this.limits.perChatToleranceMs;
      if (last !== undefined && now - last < gap) waits.push(last + this.limits.perChatMinIntervalMs - now);
    }

    if (waits.length > 0) return { ok: false, retryAfter: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
    this.global.push(now);
    if (groupWindow) groupWindow.push(now);
    else this.lastPrivate.set(chatId, now);
    return { ok: true };
  }
}
