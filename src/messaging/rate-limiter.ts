// Send pacing per platform account, in this process. Telegram: at most 30 messages a second
// per bot, 1 a second per private chat, 20 a minute per group; a 429 pauses the whole token.
// The defaults keep a small margin under those numbers, so the platform never has to refuse.

export interface RateLimits {
  /** Messages per window across the account. */
  perAccount: { max: number; windowMs: number };
  /**
   * Even spacing between two sends of the account. A window alone lets a burst through, and
   * a burst arrives bunched up; evenly spaced calls keep their spacing on the way.
   */
  minGapMs?: number;
  /** Minimum gap between two messages to one private chat. */
  perChatGapMs: number;
  /** Messages per window to one group chat. */
  perGroup: { max: number; windowMs: number };
  isGroup(chatId: string): boolean;
}

export const telegramLimits: RateLimits = {
  perAccount: { max: 29, windowMs: 1000 },
  minGapMs: 34.5,
  perChatGapMs: 1050,
  perGroup: { max: 20, windowMs: 61_000 },
  isGroup: (chatId) => chatId.startsWith('-'),
};

export class RateLimiter {
  private accountStarts: number[] = [];
  private chatLast = new Map<string, number>();
  private groupStarts = new Map<string, number[]>();
  private pausedUntil = 0;
  private nextSlot = 0;

  constructor(private readonly limits: RateLimits) {}

  /** 0 when a message to chatId may go now (and it is counted); otherwise ms to wait. */
  reserve(chatId: string, now = Date.now()): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (now < this.nextSlot) return this.nextSlot - now;
    const { perAccount, perGroup } = this.limits;
    prune(this.accountStarts, now - perAccount.windowMs);
    if (this.accountStarts.length >= perAccount.max) return this.accountStarts[0]! + perAccount.windowMs - now + 1;
    if (this.limits.isGroup(chatId)) {
      const starts = this.groupStarts.get(chatId) ?? [];
      prune(starts, now - perGroup.windowMs);
      if (starts.length >= perGroup.max) return starts[0]! + perGroup.windowMs - now + 1;
      starts.push(now);
      this.groupStarts.set(chatId, starts);
    } else {
      const last = this.chatLast.get(chatId);
      if (last !== undefined && now - last < this.limits.perChatGapMs) return last + this.limits.perChatGapMs - now;
      this.chatLast.set(chatId, now);
    }
    this.accountStarts.push(now);
    // Slots follow each other at the gap, not "gap after whenever the last one woke": timer
    // lateness does not add up, so the long-run rate stays at 1 / gap.
    if (this.limits.minGapMs) this.nextSlot = Math.max(this.nextSlot + this.limits.minGapMs, now + (this.limits.minGapMs * 3) / 4);
    if (this.chatLast.size > 50_000) this.forgetOld(now);
    return 0;
  }

  /** The platform said 429: nothing goes out on this account until then. */
  pauseAll(ms: number, now = Date.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  private forgetOld(now: number) {
    for (const [chat, at] of this.chatLast) if (now - at > this.limits.perChatGapMs) this.chatLast.delete(chat);
  }
}

function prune(starts: number[], horizon: number) {
  let i = 0;
  while (i < starts.length && starts[i]! <= horizon) i++;
  if (i) starts.splice(0, i);
}
