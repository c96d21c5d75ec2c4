import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullmqJobs } from '../../../src/jobs/bullmq-driver.ts';
import { createJobs } from '../../../src/jobs/create-jobs.ts';
import { JobQueueUnavailableError } from '../../../src/jobs/job-queue.ts';
import { defineJobQueueSuite, silent, sleep, until } from './job-queue.suite.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-jobs-${process.pid}-${Date.now()}`;
let n = 0;

// Each test its own prefix, so queues of earlier tests cannot leak into later ones.
defineJobQueueSuite('bullmq', (logger) => createBullmqJobs(REDIS_URL, { logger: logger ?? silent, prefix: `${prefix}-${++n}` }));

afterAll(async () => {
  const r = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}-*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== '0');
  await r.quit();
});

describe('bullmq across processes', () => {
  // Separate createJobs instances stand in for separate processes: separate connections,
  // nothing shared but Redis and the prefix.
  const instance = (p: string) => createJobs({ redisUrl: REDIS_URL, prefix: p, logger: silent });

  it('two consumers sharing a prefix share 20 jobs, each processed exactly once', async () => {
    const shared = `${prefix}-shared`;
    const producer = instance(shared);
    const a = instance(shared);
    const b = instance(shared);
    const byA: number[] = [];
    const byB: number[] = [];
    const slow = (into: number[]) => async (job: { data: { i: number } }) => {
      into.push(job.data.i);
      await sleep(30);
    };
    await a.work('shared', slow(byA), { concurrency: 2 });
    await b.work('shared', slow(byB), { concurrency: 2 });
    for (let i = 0; i < 20; i++) await producer.add('shared', 'x', { i }, { jobId: `s-${i}` });
    await until(() => byA.length + byB.length >= 20, 10_000, '20 jobs processed');
    await sleep(300);
    await Promise.all([producer.close(), a.close(), b.close()]);
    const all = [...byA, ...byB].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
  });

  it('a producer-only instance adds and cancels; a worker-only instance consumes', async () => {
    const split = `${prefix}-split`;
    const web = instance(split);
    const worker = instance(split);
    const seen: string[] = [];
    // Added before any consumer exists: the jobs wait in Redis.
    await web.add('split', 'now', { from: 'web' }, { jobId: 'w-now' });
    await web.add('split', 'later', {}, { jobId: 'w-later', delayMs: 400 });
    await web.add('split', 'dropped', {}, { jobId: 'w-dropped', delayMs: 400 });
    await sleep(300);
    expect(seen).toEqual([]);
    await worker.work<{ from?: string }>('split', async (job) => {
      seen.push(job.id);
    });
    expect(await web.cancel('split', 'w-dropped')).toBe('removed');
    await until(() => seen.length === 2, 3000, 'both jobs consumed');
    await sleep(400);
    expect(seen).toEqual(['w-now', 'w-later']);
    // The worker instance can produce as well.
    await worker.add('split', 'own', {}, { jobId: 'w-own' });
    await until(() => seen.length === 3, 3000, 'own job consumed');
    await Promise.all([web.close(), worker.close()]);
  });

  it('producers racing on one id: exactly one is told it added', async () => {
    const p = `${prefix}-race`;
    const producers = Array.from({ length: 5 }, () => instance(p));
    const results = await Promise.all(producers.map((j) => j.add('race', 'x', {}, { jobId: 'same', delayMs: 60_000 })));
    expect(results.filter((r) => r.added)).toHaveLength(1);
    expect(await producers[0]!.cancel('race', 'same')).toBe('removed');
    await Promise.all(producers.map((j) => j.close()));
  });

  it('an unreachable Redis: health says so, add fails fast with a named error', async () => {
    const j = createBullmqJobs('redis://127.0.0.1:1', { logger: silent, prefix: `${prefix}-down`, commandTimeoutMs: 300, healthTimeoutMs: 300 });
    const h = await j.health();
    expect(h).toMatchObject({ ok: false, driver: 'bullmq' });
    expect(h.detail).toBeTruthy();
    const t0 = Date.now();
    await expect(j.add('down', 'x', {})).rejects.toBeInstanceOf(JobQueueUnavailableError);
    expect(Date.now() - t0).toBeLessThan(1500);
    await j.close({ timeoutMs: 500 });
  });
});
