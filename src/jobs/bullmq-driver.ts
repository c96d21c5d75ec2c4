// BullMQ on Redis: several processes sharing one prefix share the queues and their limits.
import { randomUUID } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  type AddOptions,
  type AddResult,
  type CancelResult,
  checkJobId,
  checkQueueName,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
  delayOf,
  DONE_DEDUP_MS,
  type JobHandler,
  type Jobs,
  JobsClosedError,
  type JobsOptions,
  type WorkOptions,
} from './job-queue.ts';

const HEALTH_TIMEOUT_MS = 1000;

export function createBullmqJobs(redisUrl: string, options: JobsOptions): Jobs {
  const prefix = options.prefix ?? 'chatcrm';
  const connections: Redis[] = [];
  const connect = () => {
    // BullMQ's blocking commands need maxRetriesPerRequest: null.
    const c = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    c.on('error', (err) => options.logger.warn({ err: err.message }, 'redis connection error'));
    connections.push(c);
    return c;
  };
  const producer = connect();
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  let closed = false;

  const queueOf = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(checkQueueName(name), { connection: producer, prefix });
      q.on('error', (err) => options.logger.warn({ err: err.message, queue: name }, 'queue error'));
      queues.set(name, q);
    }
    return q;
  };

  return {
    driver: 'bullmq',

    async add<T>(queue: string, name: string, data: T, opts?: AddOptions): Promise<AddResult> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = queueOf(queue);
      const id = opts?.jobId ? checkJobId(opts.jobId) : randomUUID();
      // Dedup itself is atomic in Redis (an existing id is not added again); this look-up
      // only tells the caller which case it was.
      const existed = opts?.jobId ? (await q.getJob(id)) !== undefined : false;
      await q.add(name, data, {
        jobId: id,
        delay: delayOf(opts, Date.now()),
        attempts: Math.max(1, opts?.attempts ?? DEFAULT_ATTEMPTS),
        backoff: { type: 'exponential', delay: opts?.backoffMs ?? DEFAULT_BACKOFF_MS },
        // Finished jobs stay a while so the same id still deduplicates, then go.
        removeOnComplete: { age: DONE_DEDUP_MS / 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      return { id, added: !existed };
    },

    async cancel(queue: string, jobId: string): Promise<CancelResult> {
      const job = await queueOf(queue).getJob(jobId);
      if (!job) return 'not_found';
      const state = await job.getState();
      if (state === 'active') return 'active';
      if (state === 'completed' || state === 'failed') return 'not_found';
      try {
        await job.remove();
        return 'removed';
      } catch {
        // It was picked up between the look-up and the removal.
        return 'active';
      }
    },

    async work<T>(queue: string, handler: JobHandler<T>, opts: WorkOptions = {}): Promise<void> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const worker = new Worker(
        checkQueueName(queue),
        async (job: Job) => {
          await handler({ id: job.id!, name: job.name, data: job.data as T, attempt: job.attemptsMade + 1 });
        },
        {
          connection: connect(),
          prefix,
          concurrency: opts.concurrency ?? 1,
          ...(opts.limiter ? { limiter: { max: opts.limiter.max, duration: opts.limiter.durationMs } } : {}),
        },
      );
      worker.on('failed', (job, err) => {
        if (!job) return;
        const log = options.logger.child({ queue, job: job.id });
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade >= attempts) {
          log.error({ err, attempt: job.attemptsMade }, 'job failed for good');
          try {
            opts.onFailed?.({ id: job.id!, name: job.name, data: job.data, attempt: job.attemptsMade }, err);
          } catch (cbErr) {
            log.error({ err: cbErr }, 'onFailed callback threw');
          }
        } else {
          log.warn({ err, attempt: job.attemptsMade }, 'job failed, will retry');
        }
      });
      worker.on('error', (err) => options.logger.warn({ err: err.message, queue }, 'worker error'));
      workers.push(worker);
      await worker.waitUntilReady();
    },

    async health() {
      let timer: NodeJS.Timeout | undefined;
      try {
        const pong = await Promise.race([
          producer.ping(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no PONG in ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
          }),
        ]);
        return { ok: pong === 'PONG', driver: 'bullmq' as const };
      } catch (err) {
        return { ok: false, driver: 'bullmq' as const, detail: err instanceof Error ? err.message : String(err) };
      } finally {
        clearTimeout(timer);
      }
    },

    async close(opts?: { timeoutMs?: number }) {
      if (closed) return;
      closed = true;
      const timeout = opts?.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.allSettled(workers.map((w) => w.close()));
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeout);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        options.logger.warn('closing with jobs still running');
        await Promise.allSettled(workers.map((w) => w.close(true)));
      }
      if (producer.status === 'ready') await Promise.allSettled([...queues.values()].map((q) => q.close()));
      // quit() waits for a reply a broken connection never gives; those are dropped at once.
      await Promise.allSettled(connections.map((c) => (c.status === 'ready' ? c.quit() : Promise.resolve(c.disconnect()))));
    },
  };
}
