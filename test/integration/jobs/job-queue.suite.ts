// One behavioural suite for both queue drivers.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Jobs, InvalidJobError } from '../../../src/jobs/job-queue.ts';

export type JobsFactory = () => Jobs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const silent = pino({ level: 'silent' });

async function until(pred: () => boolean, timeoutMs: number) {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function defineJobQueueSuite(label: string, make: JobsFactory) {
  describe(`job queue: ${label}`, () => {
    const open: Jobs[] = [];
    const jobs = () => {
      const j = make();
      open.push(j);
      return j;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((j) => j.close({ timeoutMs: 2000 })));
    });

    it('fires a delayed job within 1 s of its due time, not before', async () => {
      const j = jobs();
      const fired: number[] = [];
      await j.work('delayed', async () => {
        fired.push(Date.now());
      });
      const due = Date.now() + 1500;
      await j.add('delayed', 'ping', { n: 1 }, { runAt: new Date(due) });
      await until(() => fired.length === 1, 4000);
      const lateness = fired[0]! - due;
      expect(lateness).toBeGreaterThanOrEqual(0);
      expect(lateness).toBeLessThan(1000);
      console.log(`[${label}] delayed job lateness: ${lateness} ms`);
    });

    it('the same job id added twice fires once', async () => {
      const j = jobs();
      const seen: string[] = [];
      await j.work('dedup', async (job) => {
        seen.push(job.id);
      });
      const a = await j.add('dedup', 'x', {}, { jobId: 'reminder.42', delayMs: 200 });
      const b = await j.add('dedup', 'x', {}, { jobId: 'reminder.42', delayMs: 200 });
      expect(a).toEqual({ id: 'reminder.42', added: true });
      expect(b).toEqual({ id: 'reminder.42', added: false });
      await sleep(900);
      const c = await j.add('dedup', 'x', {}, { jobId: 'reminder.42' });
      expect(c.added).toBe(false);
      await sleep(300);
      expect(seen).toEqual(['reminder.42']);
    });

    it('a cancelled job never fires', async () => {
      const j = jobs();
      const seen: string[] = [];
      await j.work('cancel', async (job) => {
        seen.push(job.id);
      });
      await j.add('cancel', 'x', {}, { jobId: 'c1', delayMs: 500 });
      await j.add('cancel', 'x', {}, { jobId: 'c2', delayMs: 500 });
      expect(await j.cancel('cancel', 'c1')).toBe('removed');
      expect(await j.cancel('cancel', 'nope')).toBe('not_found');
      await sleep(1200);
      expect(seen).toEqual(['c2']);
    });

    it('retries with backoff and reports a job that exhausted its attempts', async () => {
      const j = jobs();
      const runs: number[] = [];
      const failed: string[] = [];
      await j.work<{ failTimes: number }>(
        'retry',
        async (job) => {
          runs.push(job.attempt);
          if (job.attempt <= job.data.failTimes) throw new Error(`boom ${job.attempt}`);
        },
        { onFailed: (job) => failed.push(job.id) },
      );
      await j.add('retry', 'flaky', { failTimes: 2 }, { jobId: 'flaky', attempts: 3, backoffMs: 50 });
      await j.add('retry', 'broken', { failTimes: 99 }, { jobId: 'broken', attempts: 2, backoffMs: 50 });
      await until(() => failed.length === 1 && runs.length === 5, 5000);
      expect(failed).toEqual(['broken']);
      expect(runs.filter((a) => a === 3)).toHaveLength(1);
    });

    it('limiter: no more than max starts in any window', async () => {
      const j = jobs();
      const starts: number[] = [];
      await j.work(
        'limited',
        async () => {
          starts.push(Date.now());
        },
        { concurrency: 5, limiter: { max: 2, durationMs: 500 } },
      );
      const t0 = Date.now();
      for (let i = 0; i < 10; i++) await j.add('limited', 'x', { i });
      await until(() => starts.length === 10, 6000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
      for (const s of starts) expect(starts.filter((x) => x >= s && x < s + 480).length).toBeLessThanOrEqual(2);
    }, 15_000);

    it('respects concurrency', async () => {
      const j = jobs();
      let active = 0;
      let peak = 0;
      let done = 0;
      await j.work(
        'conc',
        async () => {
          active += 1;
          peak = Math.max(peak, active);
          await sleep(100);
          active -= 1;
          done += 1;
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 9; i++) await j.add('conc', 'x', { i });
      await until(() => done === 9, 5000);
      expect(peak).toBe(3);
    });

    it('close waits for the running job and runs nothing after', async () => {
      const j = make();
      const events: string[] = [];
      await j.work('closing', async (job) => {
        events.push(`start ${job.id}`);
        await sleep(400);
        events.push(`end ${job.id}`);
      });
      await j.add('closing', 'x', {}, { jobId: 'first' });
      await j.add('closing', 'x', {}, { jobId: 'later', delayMs: 800 });
      await until(() => events.length === 1, 3000);
      await j.close({ timeoutMs: 3000 });
      expect(events).toEqual(['start first', 'end first']);
      await sleep(900);
      expect(events).toEqual(['start first', 'end first']);
      await j.close();
    });

    it('refuses ids the drivers cannot both keep', async () => {
      const j = jobs();
      await expect(j.add('ids', 'x', {}, { jobId: 'a:b' })).rejects.toBeInstanceOf(InvalidJobError);
      await expect(j.add('ids', 'x', {}, { jobId: '123' })).rejects.toBeInstanceOf(InvalidJobError);
      expect((await j.health()).ok).toBe(true);
    });
  });
}
