// The embedded scheduler: timers in this process, the same behaviour as the BullMQ driver
// (dedup by id, delays, retries with backoff, concurrency, limiter, graceful close).
import { randomUUID } from 'node:crypto';
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
  type JobContext,
  type JobHandler,
  type Jobs,
  JobsClosedError,
  type JobsOptions,
  type WorkOptions,
} from './job-queue.ts';

// setTimeout fires at once for delays over 2^31-1 ms (~24.8 days): longer waits re-arm.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  id: string;
  name: string;
  data: unknown;
  attempts: number;
  backoffMs: number;
  attempt: number;
  dueAt: number;
  timer?: NodeJS.Timeout;
}

interface QueueState {
  entries: Map<string, Entry>;
  ready: Entry[];
  active: Set<string>;
  done: Map<string, number>;
  handler?: JobHandler<unknown>;
  opts: WorkOptions;
  starts: number[];
  limiterTimer?: NodeJS.Timeout;
}

export function createInProcessJobs(options: JobsOptions): Jobs {
  const queues = new Map<string, QueueState>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const state = (name: string): QueueState => {
    let q = queues.get(name);
    if (!q) {
      q = { entries: new Map(), ready: [], active: new Set(), done: new Map(), opts: {}, starts: [] };
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
    e.timer.unref();
  };

  const limiterAllows = (q: QueueState): number => {
    const lim = q.opts.limiter;
    if (!lim) return 0;
    const now = Date.now();
    while (q.starts.length && q.starts[0]! <= now - lim.durationMs) q.starts.shift();
    return q.starts.length < lim.max ? 0 : q.starts[0]! + lim.durationMs - now;
  };

  const pump = (queue: string, q: QueueState) => {
    if (closed || !q.handler) return;
    const concurrency = q.opts.concurrency ?? 1;
    while (q.ready.length && q.active.size < concurrency) {
      const wait = limiterAllows(q);
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
      const e = q.ready.shift()!;
      q.starts.push(Date.now());
      run(queue, q, e);
    }
  };

  const run = (queue: string, q: QueueState, e: Entry) => {
    q.active.add(e.id);
    e.attempt += 1;
    const ctx: JobContext<unknown> = { id: e.id, name: e.name, data: e.data, attempt: e.attempt };
    const log = options.logger.child({ queue, job: e.id });
    const p = (async () => {
      try {
        await q.handler!(ctx);
        q.entries.delete(e.id);
        q.done.set(e.id, Date.now());
      } catch (err) {
        if (e.attempt < e.attempts && !closed) {
          log.warn({ err, attempt: e.attempt }, 'job failed, will retry');
          e.dueAt = Date.now() + e.backoffMs * 2 ** (e.attempt - 1);
          arm(queue, q, e);
        } else {
          log.error({ err, attempt: e.attempt }, 'job failed for good');
          q.entries.delete(e.id);
          q.done.set(e.id, Date.now());
          try {
            q.opts.onFailed?.(ctx, err);
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

  const forgetOldDone = (q: QueueState) => {
    const horizon = Date.now() - DONE_DEDUP_MS;
    for (const [id, at] of q.done) if (at < horizon) q.done.delete(id);
  };

  return {
    driver: 'in-process',

    async add<T>(queue: string, name: string, data: T, opts?: AddOptions): Promise<AddResult> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = state(checkQueueName(queue));
      const id = opts?.jobId ? checkJobId(opts.jobId) : randomUUID();
      forgetOldDone(q);
      if (q.entries.has(id) || q.done.has(id)) return { id, added: false };
      const e: Entry = {
        id,
        name,
        // Like a job serialized into Redis: later changes by the caller do not leak in.
        data: structuredClone(data),
        attempts: Math.max(1, opts?.attempts ?? DEFAULT_ATTEMPTS),
        backoffMs: opts?.backoffMs ?? DEFAULT_BACKOFF_MS,
        attempt: 0,
        dueAt: Date.now() + delayOf(opts, Date.now()),
      };
      q.entries.set(id, e);
      arm(queue, q, e);
      return { id, added: true };
    },

    async cancel(queue: string, jobId: string): Promise<CancelResult> {
      const q = queues.get(queue);
      const e = q?.entries.get(jobId);
      if (!q || !e) return 'not_found';
      if (q.active.has(jobId)) return 'active';
      if (e.timer) clearTimeout(e.timer);
      q.entries.delete(jobId);
      const i = q.ready.indexOf(e);
      if (i >= 0) q.ready.splice(i, 1);
      return 'removed';
    },

    async work<T>(queue: string, handler: JobHandler<T>, opts: WorkOptions = {}): Promise<void> {
      if (closed) throw new JobsClosedError('job queue is closed');
      const q = state(checkQueueName(queue));
      q.handler = handler as JobHandler<unknown>;
      q.opts = opts;
      pump(queue, q);
    },

    async health() {
      return closed ? { ok: false, driver: 'in-process', detail: 'closed' } : { ok: true, driver: 'in-process' };
    },

    async close(opts?: { timeoutMs?: number }) {
      if (closed) return;
      closed = true;
      for (const q of queues.values()) {
        for (const e of q.entries.values()) if (e.timer) clearTimeout(e.timer);
        if (q.limiterTimer) clearTimeout(q.limiterTimer);
        q.ready.length = 0;
      }
      const timeout = opts?.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            options.logger.warn({ running: running.size }, 'closing with jobs still running');
            resolve();
          }, timeout);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
