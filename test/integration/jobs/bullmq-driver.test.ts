import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullmqJobs } from '../../../src/jobs/bullmq-driver.ts';
import { defineJobQueueSuite, silent } from './job-queue.suite.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `test-jobs-${process.pid}-${randomBytes(3).toString('hex')}`;
let n = 0;
// Each test its own prefix, so queues of earlier tests cannot leak into later ones.
const make = () => createBullmqJobs(REDIS_URL, { logger: silent, prefix: `${prefix}-${++n}` });

defineJobQueueSuite('bullmq', make);

describe('bullmq across processes', () => {
  afterAll(async () => {
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    await r.quit();
  });

  it('two consumers sharing a prefix share the jobs, each job exactly once', async () => {
    const shared = `${prefix}-shared`;
    const producer = createBullmqJobs(REDIS_URL, { logger: silent, prefix: shared });
    const a = createBullmqJobs(REDIS_URL, { logger: silent, prefix: shared });
    const b = createBullmqJobs(REDIS_URL, { logger: silent, prefix: shared });
    const byA: number[] = [];
    const byB: number[] = [];
    const slow = (into: number[]) => async (job: { data: { i: number } }) => {
      into.push(job.data.i);
      await new Promise((r) => setTimeout(r, 30));
    };
    await a.work('shared', slow(byA), { concurrency: 2 });
    await b.work('shared', slow(byB), { concurrency: 2 });
    for (let i = 0; i < 20; i++) await producer.add('shared', 'x', { i }, { jobId: `s-${i}` });
    const start = Date.now();
    while (byA.length + byB.length < 20 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([producer.close(), a.close(), b.close()]);
    const all = [...byA, ...byB].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(byA.length).toBeGreaterThan(0);
    expect(byB.length).toBeGreaterThan(0);
  }, 20_000);

  it('health reports an unreachable Redis', async () => {
    const j = createBullmqJobs('redis://127.0.0.1:1', { logger: silent, prefix: `${prefix}-down` });
    const h = await j.health();
    expect(h.ok).toBe(false);
    expect(h.driver).toBe('bullmq');
    await j.close({ timeoutMs: 500 });
  });
});
