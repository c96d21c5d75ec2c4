// BullMQ on Redis: several processes sharing one prefix share the queues, their dedup ids and
// their limiters. A process that never calls work() only produces.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  type AddOptions,
  type AddResult,
  asStored,
  type CancelResult,
  checkJobId,
  checkQueueName,
  checkWorkOptions,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_PREFIX,
  delayOf,
  InvalidJobError,
  type JobContext,
  type JobHandler,
  JobQueueUnavailableError,
  type Jobs,
  JobsClosedError,
  type JobsHealth,
  type JobsOptions,
  retryPolicy,
  type WorkOptions,
} from './job-queue.ts';

export interface BullmqJobsOptions extends JobsOptions {
  /** How long add/cancel wait for Redis before failing with JobQueueUnavailableError. Default 3 s. */
  commandTimeoutMs?: number;
  /** How long health() waits for PONG. Default 1 s. */
  healthTimeoutMs?: number;
}

const FAILED_KEEP_S = 7 * 24 * 3600;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The port's id of a BullMQ job: the dedup id it was added under. */
const portId = (job: Job): string => job.deduplicationId ?? job.opts.deduplication?.id ?? job.id!;

export function createBullmqJobs(redisUrl: string, options: BullmqJobsOptions): Jobs {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const commandTimeoutMs = options.commandTimeoutMs ?? 3000;
  const healthTimeoutMs = options.healthTimeoutMs ?? 1000;
  const log = options.logger.child({ driver: 'bullmq' });
  const connections: Redis[] = [];

  const connect = (role: 'producer' | 'worker') => {
    const c = new Redis(redisUrl, {
      // A worker's blocking commands must wait out a Redis restart (BullMQ requires null);
      // a producer's command fails instead, so an HTTP request never hangs on it.
      maxRetriesPerRequest: role === 'worker' ? null : 1,
    });
    let down = false;
    c.on('error', (err: Error) => {
      if (!down) log.warn({ err: err.message, role }, 'redis connection error');
      down = true;
    });
    c.on('ready', () => {
      if (down) log.info({ role }, 'redis connection restored');
      down = false;
    });
    connections.push(c);
    return c;
  };

  const producer = connect('producer');
  const queues = new Map<string, Queue>();
  const workers = new Map<string, Worker>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const queueOf = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(checkQueueName(name), { connection: producer, prefix });
      q.on('error', (err: Error) => log.warn({ err: err.message, queue: name }, 'queue error'));
      queues.set(name, q);
    }
    return q;
  };

  // BullMQ waits for a ready connection before each command, for as long as Redis is down.
  const bounded = async <R>(what: string, work: () => Promise<R>): Promise<R> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new JobQueueUnavailableError(`${what}: no answer from Redis in ${commandTimeoutMs} ms`)), commandTimeoutMs);
        }),
      ]);
    } catch (err) {
      if (err instanceof JobQueueUnavailableError || err instanceof InvalidJobError) throw err;
      throw new JobQueueUnavailableError(`${what} failed`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    driver: 'bullmq',

    async add<T>(queue: string, name: string, data: T, opts?: AddOptions): Promise<AddResult> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = queueOf(queue);
      const id = opts?.jobId !== undefined ? checkJobId(opts.jobId) : randomUUID();
      const { attempts, backoffMs } = retryPolicy(opts);
      const payload = asStored(data);
      const now = Date.now();
      const delay = delayOf(opts, now);
      // Dedup is BullMQ's deduplication on our id (kept exactly while the job is delayed,
      // waiting, active or between retries). Each add carries its own BullMQ job id, and
      // BullMQ answers with the id of the job that holds the dedup id: ours means added,
      // atomically, even with several producers racing.
      const bullId = `${id}~${randomBytes(4).toString('hex')}`;
      const job = await bounded(`add ${queue}/${id}`, () =>
        q.add(name, payload, {
          jobId: bullId,
          deduplication: { id },
          timestamp: now,
          delay,
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          // Finished jobs stay a while for inspection; they no longer hold the dedup id.
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: FAILED_KEEP_S },
        }),
      );
      return { id, added: job.id === bullId };
    },

    async cancel(queue: string, jobId: string): Promise<CancelResult> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = queueOf(queue);
      checkJobId(jobId);
      return bounded(`cancel ${queue}/${jobId}`, async () => {
        const bullId = await q.getDeduplicationJobId(jobId);
        if (!bullId) return 'not_found';
        const job = await q.getJob(bullId);
        if (!job) return 'not_found';
        const state = await job.getState();
        if (state === 'active') return 'active';
        if (state === 'completed' || state === 'failed' || state === 'unknown') return 'not_found';
        // Removal refuses a locked job: one a worker took between getState and now.
        if ((await q.remove(bullId)) === 1) return 'removed';
        return (await job.getState()) === 'active' ? 'active' : 'not_found';
      });
    },

    async work<T>(queue: string, handler: JobHandler<T>, opts: WorkOptions = {}): Promise<void> {
      if (closed) throw new JobsClosedError('job queue is closed');
      checkQueueName(queue);
      if (workers.has(queue)) throw new InvalidJobError(`queue "${queue}" is already consumed here; raise its concurrency instead`);
      const { concurrency } = checkWorkOptions(opts);
      const worker = new Worker(
        queue,
        async (job: Job) => {
          await handler({ id: portId(job), name: job.name, data: job.data as T, attempt: job.attemptsMade + 1 });
        },
        {
          connection: connect('worker'),
          prefix,
          concurrency,
          ...(opts.limiter ? { limiter: { max: opts.limiter.max, duration: opts.limiter.durationMs } } : {}),
        },
      );
      worker.on('failed', (job: Job | undefined, err: Error) => {
        if (!job) return;
        const jobLog = options.logger.child({ queue, job: portId(job) });
        const attempts = job.opts.attempts ?? 1;
        if (job.attemptsMade < attempts) {
          jobLog.warn({ err, attempt: job.attemptsMade }, 'job failed, will retry');
          return;
        }
        jobLog.error({ err, attempt: job.attemptsMade }, 'job failed for good');
        const ctx: JobContext<unknown> = { id: portId(job), name: job.name, data: job.data, attempt: job.attemptsMade };
        try {
          opts.onFailed?.(ctx, err);
        } catch (cbErr) {
          jobLog.error({ err: cbErr }, 'onFailed callback threw');
        }
      });
      worker.on('error', (err: Error) => log.warn({ err: err.message, queue }, 'worker error'));
      workers.set(queue, worker);
      await worker.waitUntilReady();
    },

    async health(): Promise<JobsHealth> {
      if (closed) return { ok: false, driver: 'bullmq', detail: 'closed' };
      let timer: NodeJS.Timeout | undefined;
      try {
        const pong = await Promise.race([
          producer.ping(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no PONG from Redis in ${healthTimeoutMs} ms`)), healthTimeoutMs);
          }),
        ]);
        return pong === 'PONG' ? { ok: true, driver: 'bullmq' } : { ok: false, driver: 'bullmq', detail: `PING answered ${pong}` };
      } catch (err) {
        return { ok: false, driver: 'bullmq', detail: err instanceof Error ? err.message : String(err) };
      } finally {
        clearTimeout(timer);
      }
    },

    close(opts?: { timeoutMs?: number }) {
      closing ??= (async () => {
        closed = true;
        const timeout = opts?.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
        let timer: NodeJS.Timeout | undefined;
        // worker.close() stops fetching at once, then waits for the running handlers.
        const graceful = Promise.allSettled([...workers.values()].map((w) => w.close()));
        const timedOut = await Promise.race([
          graceful.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), timeout);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          // Their jobs stay active in Redis until BullMQ's stalled check hands them to another worker.
          log.warn({ timeoutMs: timeout }, 'closed with jobs still running');
          // close(true) now would only return the pending close(); cutting the connections is what stops it.
          await Promise.race([Promise.allSettled([...workers.values()].map((w) => w.disconnect())), sleep(1000)]);
        }
        if (producer.status === 'ready') await Promise.allSettled([...queues.values()].map((q) => q.close()));
        // quit() waits for a reply a broken connection never gives; those are dropped at once.
        await Promise.allSettled(connections.map((c) => (c.status === 'ready' ? c.quit() : Promise.resolve(c.disconnect()))));
      })();
      return closing;
    },
  };
}
