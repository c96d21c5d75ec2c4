// One behavioural suite for both queue drivers: whatever embedded mode does, distributed mode does too.
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidJobError, type Jobs, JobsClosedError } from '../../../src/jobs/job-queue.ts';

export type JobsFactory = (logger?: Logger) => Jobs;
export const silent = pino({ level: 'silent' });
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(pred: () => boolean, timeoutMs: number, what = 'condition') {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** A gate a handler can wait on, opened by the test. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

export function defineJobQueueSuite(label: string, make: JobsFactory) {
  describe(`job queue: ${label}`, () => {
    const open: Jobs[] = [];
    const jobs = (logger?: Logger) => {
      const j = make(logger);
      open.push(j);
      return j;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((j) => j.close({ timeoutMs: 2000 })));
    });

    it('fires a delayed job within 1 s of its due time, never before', async () => {
      const j = jobs();
      const fired = new Map<string, number>();
      await j.work('delayed', async (job) => {
        fired.set(job.id, Date.now());
      });
      const due = Date.now() + 1500;
      await j.add('delayed', 'ping', {}, { jobId: 'at', runAt: new Date(due) });
      const addedAt = Date.now();
      await j.add('delayed', 'ping', {}, { jobId: 'in', delayMs: 1500 });
      await until(() => fired.size === 2, 4000, 'both delayed jobs fired');
      const lateAt = fired.get('at')! - due;
      // delayMs counts from inside add(), which is no earlier than addedAt.
      const lateIn = fired.get('in')! - (addedAt + 1500);
      console.log(`[${label}] delayed job lateness: runAt ${lateAt} ms, delayMs ${lateIn} ms`);
      expect(lateAt).toBeGreaterThanOrEqual(0);
      expect(lateAt).toBeLessThan(1000);
      expect(lateIn).toBeGreaterThanOrEqual(0);
      expect(lateIn).toBeLessThan(1000);
    });

    it('the same job id added twice while pending fires once', async () => {
      const j = jobs();
      const seen: string[] = [];
      await j.work('dedup', async (job) => {
        seen.push(`${job.id}:${job.name}`);
      });
      const a = await j.add('dedup', 'first', {}, { jobId: 'reminder.42', delayMs: 300 });
      const b = await j.add('dedup', 'second', {}, { jobId: 'reminder.42', delayMs: 300 });
      const other = await j.add('dedup', 'first', {}, { jobId: 'reminder.43', delayMs: 300 });
      expect(a).toEqual({ id: 'reminder.42', added: true });
      expect(b).toEqual({ id: 'reminder.42', added: false });
      expect(other.added).toBe(true);
      await sleep(900);
      expect(seen.sort()).toEqual(['reminder.42:first', 'reminder.43:first']);
    });

    it('an id is taken while its job runs and free again once it finished', async () => {
      const j = jobs();
      const runs: number[] = [];
      let g = gate();
      await j.work<{ n: number }>('busy', async (job) => {
        runs.push(job.data.n);
        await g.opened;
      });
      expect((await j.add('busy', 'x', { n: 1 }, { jobId: 'busy-1' })).added).toBe(true);
      await until(() => runs.length === 1, 3000, 'first run started');
      expect((await j.add('busy', 'x', { n: 2 }, { jobId: 'busy-1' })).added).toBe(false);
      const first = g;
      g = gate();
      first.open();
      await sleep(300);
      expect(runs).toEqual([1]);
      expect((await j.add('busy', 'x', { n: 3 }, { jobId: 'busy-1' })).added).toBe(true);
      await until(() => runs.length === 2, 3000, 'second run started');
      g.open();
      expect(runs).toEqual([1, 3]);
    });

    it('a cancelled delayed job never fires, and its id is free again', async () => {
      const j = jobs();
      const seen: string[] = [];
      await j.work('cancel', async (job) => {
        seen.push(`${job.id}:${job.name}`);
      });
      await j.add('cancel', 'old', {}, { jobId: 'c1', delayMs: 400 });
      await j.add('cancel', 'x', {}, { jobId: 'c2', delayMs: 400 });
      expect(await j.cancel('cancel', 'c1')).toBe('removed');
      expect(await j.cancel('cancel', 'c1')).toBe('not_found');
      expect(await j.cancel('cancel', 'nope')).toBe('not_found');
      await sleep(1000);
      expect(seen).toEqual(['c2:x']);
      expect(await j.cancel('cancel', 'c2')).toBe('not_found');
      expect((await j.add('cancel', 'new', {}, { jobId: 'c1' })).added).toBe(true);
      await until(() => seen.length === 2, 3000, 're-added job ran');
      expect(seen).toEqual(['c2:x', 'c1:new']);
    });

    it('a running job cannot be cancelled and still runs once', async () => {
      const j = jobs();
      const g = gate();
      let started = 0;
      let finished = 0;
      await j.work('running', async () => {
        started += 1;
        await g.opened;
        finished += 1;
      });
      await j.add('running', 'x', {}, { jobId: 'r1' });
      await until(() => started === 1, 3000, 'job started');
      expect(await j.cancel('running', 'r1')).toBe('active');
      g.open();
      await until(() => finished === 1, 3000, 'job finished');
      await sleep(200);
      expect(started).toBe(1);
    });

    it('retries with exponential backoff; a job out of attempts goes to onFailed', async () => {
      const j = jobs();
      const runs = new Map<string, { attempt: number; at: number }[]>();
      const failed: { id: string; attempt: number; message: string }[] = [];
      await j.work<{ failTimes: number }>(
        'retry',
        async (job) => {
          const list = runs.get(job.id) ?? [];
          list.push({ attempt: job.attempt, at: Date.now() });
          runs.set(job.id, list);
          if (job.attempt <= job.data.failTimes) throw new Error(`boom ${job.attempt}`);
        },
        { concurrency: 2, onFailed: (job, err) => failed.push({ id: job.id, attempt: job.attempt, message: (err as Error).message }) },
      );
      await j.add('retry', 'flaky', { failTimes: 2 }, { jobId: 'flaky', attempts: 3, backoffMs: 150 });
      await j.add('retry', 'broken', { failTimes: 99 }, { jobId: 'broken', attempts: 2, backoffMs: 50 });
      await until(() => runs.get('flaky')?.length === 1, 3000, 'flaky ran once');
      await sleep(60);
      // Waiting out its backoff, it is still the same job.
      expect((await j.add('retry', 'flaky', { failTimes: 0 }, { jobId: 'flaky' })).added).toBe(false);
      await until(() => failed.length === 1 && runs.get('flaky')?.length === 3, 5000, 'retries done');
      await sleep(300);
      const flaky = runs.get('flaky')!;
      expect(flaky.map((r) => r.attempt)).toEqual([1, 2, 3]);
      expect(flaky[1]!.at - flaky[0]!.at).toBeGreaterThanOrEqual(150 - 5);
      expect(flaky[2]!.at - flaky[1]!.at).toBeGreaterThanOrEqual(300 - 5);
      expect(runs.get('broken')!.map((r) => r.attempt)).toEqual([1, 2]);
      expect(failed).toEqual([{ id: 'broken', attempt: 2, message: 'boom 2' }]);
    });

    it('logs a failing handler with a child logger and carries on', async () => {
      const lines: Record<string, unknown>[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      const j = jobs(pino({ level: 'warn' }, sink));
      const ok: string[] = [];
      await j.work('failing', async (job) => {
        if (job.name === 'bad') throw new Error('handler broke');
        ok.push(job.id);
      });
      await j.add('failing', 'bad', {}, { jobId: 'bad-1', attempts: 1 });
      await j.add('failing', 'good', {}, { jobId: 'good-1' });
      await until(() => ok.length === 1 && lines.some((l) => l.job === 'bad-1'), 3000, 'failure logged');
      const line = lines.find((l) => l.job === 'bad-1')!;
      expect(line).toMatchObject({ level: 50, queue: 'failing', job: 'bad-1', msg: 'job failed for good' });
      expect((line.err as { message: string }).message).toBe('handler broke');
      expect((await j.health()).ok).toBe(true);
    });

    it('limiter: 10 jobs at 2 per 500 ms take about 2 s, never 3 starts in a window', async () => {
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
      await until(() => starts.length === 10, 6000, 'all 10 started');
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(1950);
      expect(took).toBeLessThan(4000);
      // 10 ms of slack for timer granularity between two clocks' notion of the window.
      for (const s of starts) expect(starts.filter((x) => x >= s && x < s + 490).length).toBeLessThanOrEqual(2);
    }, 15_000);

    it('runs at most `concurrency` jobs of a queue at once', async () => {
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
      await until(() => done === 9, 5000, 'all 9 done');
      expect(peak).toBe(3);
    });

    it('close waits for the running job, runs nothing after, and is idempotent', async () => {
      const j = make();
      const events: string[] = [];
      await j.work('closing', async (job) => {
        events.push(`start ${job.id}`);
        await sleep(400);
        events.push(`end ${job.id}`);
      });
      await j.add('closing', 'x', {}, { jobId: 'first' });
      await j.add('closing', 'x', {}, { jobId: 'later', delayMs: 600 });
      await until(() => events.length === 1, 3000, 'first started');
      const closing = j.close({ timeoutMs: 3000 });
      const again = j.close();
      await Promise.all([closing, again]);
      expect(events).toEqual(['start first', 'end first']);
      await expect(j.add('closing', 'x', {})).rejects.toBeInstanceOf(JobsClosedError);
      await sleep(900);
      expect(events).toEqual(['start first', 'end first']);
      expect((await j.health()).ok).toBe(false);
      await j.close();
    });

    it('a job failing during close is not retried here; only a last attempt reaches onFailed', async () => {
      const j = make();
      const runs: string[] = [];
      const failed: string[] = [];
      await j.work(
        'fail-closing',
        async (job) => {
          runs.push(`${job.id}#${job.attempt}`);
          await sleep(200);
          throw new Error('late failure');
        },
        { concurrency: 2, onFailed: (job) => failed.push(job.id) },
      );
      await j.add('fail-closing', 'x', {}, { jobId: 'retryable', attempts: 3, backoffMs: 10 });
      await j.add('fail-closing', 'x', {}, { jobId: 'last-try', attempts: 1 });
      await until(() => runs.length === 2, 3000, 'both started');
      await j.close({ timeoutMs: 2000 });
      await sleep(300);
      expect(runs.sort()).toEqual(['last-try#1', 'retryable#1']);
      expect(failed).toEqual(['last-try']);
    });

    it('close gives up on a stuck handler after its timeout', async () => {
      const j = make();
      const g = gate();
      let started = false;
      await j.work('stuck', async () => {
        started = true;
        await g.opened;
      });
      await j.add('stuck', 'x', {});
      await until(() => started, 3000, 'started');
      const t0 = Date.now();
      await j.close({ timeoutMs: 300 });
      const took = Date.now() - t0;
      g.open();
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(1000);
    });

    it('hands the handler data as stored, not the caller’s object', async () => {
      const j = jobs();
      const got: unknown[] = [];
      await j.work('data', async (job) => {
        got.push(job.data);
      });
      const data = { at: new Date('2026-11-23T06:00:00Z'), list: [1] };
      await j.add('data', 'x', data);
      data.list.push(2);
      await j.add('data', 'y', undefined);
      await until(() => got.length === 2, 3000, 'both ran');
      expect(got).toContainEqual({ at: '2026-11-23T06:00:00.000Z', list: [1] });
      expect(got).toContainEqual({});
    });

    it('refuses ids, names and options that both drivers cannot keep', async () => {
      const j = jobs();
      for (const bad of ['a:b', '123', '', 'with space', 'x'.repeat(201)]) {
        await expect(j.add('ids', 'x', {}, { jobId: bad })).rejects.toBeInstanceOf(InvalidJobError);
        await expect(j.cancel('ids', bad)).rejects.toBeInstanceOf(InvalidJobError);
      }
      await expect(j.add('Bad Queue', 'x', {})).rejects.toBeInstanceOf(InvalidJobError);
      await expect(j.add('ids', 'x', {}, { attempts: 0 })).rejects.toBeInstanceOf(InvalidJobError);
      expect((await j.add('ids', 'x', {}, { jobId: 'task-due.42.1763877600000' })).added).toBe(true);
      await j.work('ids', async () => {});
      await expect(j.work('ids', async () => {})).rejects.toBeInstanceOf(InvalidJobError);
      await expect(j.work('other', async () => {}, { concurrency: 0 })).rejects.toBeInstanceOf(InvalidJobError);
      expect(await j.health()).toEqual({ ok: true, driver: label });
    });
  });
}
