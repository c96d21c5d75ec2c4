// The embedded scheduler: timers in this process with the BullMQ driver's behaviour (dedup
// by id while pending or running, delays, retries with exponential backoff, concurrency,
// limiter, graceful close). Jobs live in memory only; Postgres re-arms them after a restart.
import { randomUUID } from 'node:crypto';
import {
  type AddOptions,
  type AddResult,
  asStored,
  backoffBefore,
  type CancelResult,
  checkJobId,
  checkQueueName,
  checkWorkOptions,
  DEFAULT_CLOSE_TIMEOUT_MS,
  delayOf,
  InvalidJobError,
  type JobContext,
  type JobHandler,
  type Jobs,
  JobsClosedError,
  type JobsHealth,
  type JobsOptions,
  retryPolicy,
  type WorkOptions,
} from './job-queue.ts';

// Node fires a timer of more than 2^31-1 ms (~24.8 days) after 1 ms: longer waits re-arm.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  id: string;
  name: string;
  data: unknown;
  attempts: number;
  backoffMs: number;
  /** Runs started so far. */
  attempt: number;
  dueAt: number;
  timer?: NodeJS.Timeout | undefined;
}

interface Consumer {
  handler: JobHandler<unknown>;
  opts: WorkOptions;
  concurrency: number;
}

interface QueueState {
  /** Every job not finished: delayed, ready or running. Its key is what dedups. */
  entries: Map<string, Entry>;
  ready: Entry[];
  active: Set<string>;
  consumer?: Consumer;
  /** Start times inside the current limiter window. */
  starts: number[];
  limiterTimer?: NodeJS.Timeout | undefined;
}

export function createInProcessJobs(options: JobsOptions): Jobs {
  const queues = new Map<string, QueueState>();
  const running = new Set<Promise<void>>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const state = (name: string): QueueState => {
    let q = queues.get(name);
    if (!q) {
      q = { entries: new Map(), ready: [], active: new Set(), starts: [] };
      queues.set(name, q);
    }
    return q;
  };

  const arm = (queue: string, q: QueueState, e: Entry) => {
    const wait = Math.max(0, e.dueAt - Date.now());
    e.timer = setTimeout(() => {
      e.timer = undefined;
      if (Date.now() < e.dueAt) return arm(queue, q, e);
      q.ready.push(e);
      pump(queue, q);
    }, Math.min(wait, MAX_TIMER_MS));
    // Pending jobs are re-armed from Postgres on the next start; they must not hold the process.
    e.timer.unref();
  };

  /** 0 when a job may start now, else the ms until the limiter allows one. */
  const limiterWait = (q: QueueState, limiter: NonNullable<WorkOptions['limiter']>): number => {
    const now = Date.now();
    while (q.starts.length && q.starts[0]! <= now - limiter.durationMs) q.starts.shift();
    return q.starts.length < limiter.max ? 0 : q.starts[0]! + limiter.durationMs - now;
  };

  const pump = (queue: string, q: QueueState) => {
    const c = q.consumer;
    if (closed || !c) return;
    while (q.ready.length && q.active.size < c.concurrency) {
      if (c.opts.limiter) {
        const wait = limiterWait(q, c.opts.limiter);
        if (wait > 0) {
          if (!q.limiterTimer) {
            q.limiterTimer = setTimeout(() => {
              q.limiterTimer = undefined;
              pump(queue, q);
            }, wait);
            q.limiterTimer.unref();
          }
          return;
        }
        q.starts.push(Date.now());
      }
      run(queue, q, c, q.ready.shift()!);
    }
  };

  const run = (queue: string, q: QueueState, c: Consumer, e: Entry) => {
    q.active.add(e.id);
    e.attempt += 1;
    const ctx: JobContext<unknown> = { id: e.id, name: e.name, data: asStored(e.data), attempt: e.attempt };
    const log = options.logger.child({ queue, job: e.id });
    const p = (async () => {
      try {
        await c.handler(ctx);
        q.entries.delete(e.id);
      } catch (err) {
        if (e.attempt < e.attempts && closed) {
          // BullMQ keeps such a job for a later retry; here it goes with the process, and
          // Postgres re-arms it on the next start.
          log.warn({ err, attempt: e.attempt }, 'job failed while closing, not retried');
          q.entries.delete(e.id);
        } else if (e.attempt < e.attempts) {
          log.warn({ err, attempt: e.attempt }, 'job failed, will retry');
          e.dueAt = Date.now() + backoffBefore(e.attempt, e.backoffMs);
          arm(queue, q, e);
        } else {
          log.error({ err, attempt: e.attempt }, 'job failed for good');
          q.entries.delete(e.id);
          try {
            c.opts.onFailed?.(ctx, err);
          } catch (cbErr) {
            log.error({ err: cbErr }, 'onFailed callback threw');
          }
        }
      } finally {
        q.active.delete(e.id);
        pump(queue, q);
      }
    })();
    running.add(p);
    void p.finally(() => running.delete(p));
  };

  return {
    driver: 'in-process',

    async add<T>(queue: string, name: string, data: T, opts?: AddOptions): Promise<AddResult> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = state(checkQueueName(queue));
      const id = opts?.jobId !== undefined ? checkJobId(opts.jobId) : randomUUID();
      const { attempts, backoffMs } = retryPolicy(opts);
      const now = Date.now();
      const dueAt = now + delayOf(opts, now);
      if (q.entries.has(id)) return { id, added: false };
      // Stored as BullMQ stores it, so later changes by the caller do not leak in.
      const e: Entry = { id, name, data: asStored(data), attempts, backoffMs, attempt: 0, dueAt };
      q.entries.set(id, e);
      arm(queue, q, e);
      return { id, added: true };
    },

    async cancel(queue: string, jobId: string): Promise<CancelResult> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = queues.get(checkQueueName(queue));
      const e = q?.entries.get(checkJobId(jobId));
      if (!q || !e) return 'not_found';
      if (q.active.has(jobId)) return 'active';
      clearTimeout(e.timer);
      q.entries.delete(jobId);
      const i = q.ready.indexOf(e);
      if (i >= 0) q.ready.splice(i, 1);
      return 'removed';
    },

    async work<T>(queue: string, handler: JobHandler<T>, opts: WorkOptions = {}): Promise<void> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = state(checkQueueName(queue));
      if (q.consumer) throw new InvalidJobError(`queue "${queue}" is already consumed here; raise its concurrency instead`);
      const { concurrency } = checkWorkOptions(opts);
      q.consumer = { handler: handler as JobHandler<unknown>, opts, concurrency };
      pump(queue, q);
    },

    async health(): Promise<JobsHealth> {
      return closed ? { ok: false, driver: 'in-process', detail: 'closed' } : { ok: true, driver: 'in-process' };
    },

    close(opts?: { timeoutMs?: number }) {
      closing ??= (async () => {
        closed = true;
        for (const q of queues.values()) {
          for (const e of q.entries.values()) clearTimeout(e.timer);
          clearTimeout(q.limiterTimer);
          q.ready.length = 0;
        }
        const timeout = opts?.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              options.logger.warn({ running: running.size, timeoutMs: timeout }, 'closed with jobs still running');
              resolve();
            }, timeout);
          }),
        ]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
