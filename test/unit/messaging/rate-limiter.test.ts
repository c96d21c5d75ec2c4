import { describe, expect, it } from 'vitest';
import { RateLimiter, telegramLimits } from '../../../src/messaging/rate-limiter.ts';

/** Simulates a sender that always waits what the limiter says; returns the send times. */
function simulate(limiter: RateLimiter, chats: string[], start = 1_000_000): number[] {
  const times: number[] = [];
  let now = start;
  for (const chat of chats) {
    for (;;) {
      const wait = limiter.reserve(chat, now);
      if (wait === 0) break;
      now += wait;
    }
    times.push(now);
  }
  return times;
}

const maxInWindow = (times: number[], windowMs: number) => Math.max(...times.map((t) => times.filter((x) => x >= t && x < t + windowMs).length));

describe('Telegram rate limiter', () => {
  it('never more than 29 messages in any second across the bot', () => {
    const times = simulate(new RateLimiter(telegramLimits), Array.from({ length: 300 }, (_, i) => `${i + 1}`));
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(29);
    const rate = (300 / (times.at(-1)! - times[0]!)) * 1000;
    expect(rate).toBeGreaterThan(28.5);
  });

  it('one private chat gets at most one message a second', () => {
    const times = simulate(new RateLimiter(telegramLimits), Array.from({ length: 10 }, () => '42'));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('a group gets at most 20 messages a minute', () => {
    const times = simulate(new RateLimiter(telegramLimits), Array.from({ length: 45 }, () => '-100123'));
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
  });

  it('a 429 pauses every chat of the bot', () => {
    const limiter = new RateLimiter(telegramLimits);
    expect(limiter.reserve('1', 0)).toBe(0);
    limiter.pauseAll(3000, 10);
    expect(limiter.reserve('2', 20)).toBe(2990);
    expect(limiter.reserve('2', 3010)).toBe(0);
  });
});
