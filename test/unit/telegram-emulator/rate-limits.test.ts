// The emulator's bot-wide window (N sends per rolling second), on a clock of our own: it
// refuses what Telegram would refuse and accepts again once the window has moved, over a long
// run whose window start is moved and trimmed many times.
import { describe, expect, it } from 'vitest';
import { SendRateLimiter } from '../../support/telegram-emulator/rate-limits.ts';

describe('emulator send limits: the bot-wide window', () => {
  it('takes 30 in a second, refuses the 31st with retry_after 1, takes again a second after the first', () => {
    let now = 0;
    const limiter = new SendRateLimiter({}, () => now);
    for (let chat = 1; chat <= 30; chat++) expect(limiter.take(chat)).toEqual({ ok: true });
    expect(limiter.take(31)).toEqual({ ok: false, retryAfter: 1 });
    now = 999;
    expect(limiter.take(31).ok).toBe(false);
    now = 1000;
    for (let chat = 31; chat <= 60; chat++) expect(limiter.take(chat)).toEqual({ ok: true });
    expect(limiter.take(61)).toEqual({ ok: false, retryAfter: 1 });
  });

  it('decides as a window recounted on every send would, over 20,000 sends at irregular gaps', () => {
    let now = 0;
    const perSecond = 200;
    const limiter = new SendRateLimiter({ globalPerSecond: perSecond, perChatMinIntervalMs: 0, perChatToleranceMs: 0 }, () => now);
    let window: number[] = [];
    let refused = 0;
    // A fixed pseudo-random sequence of gaps (0 to 9 ms): bursts over the limit and quiet spells.
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      now += seed % 10;
      window = window.filter((t) => now - t < 1000);
      const expected = window.length < perSecond;
      const got = limiter.take(i + 1);
      expect(got.ok, `send ${i} at ${now} ms`).toBe(expected);
      if (expected) window.push(now);
      else refused++;
    }
    // Both outcomes were exercised.
    expect(refused).toBeGreaterThan(1000);
    expect(20_000 - refused).toBeGreaterThan(1000);
  });
});
