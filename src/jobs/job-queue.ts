// The queue port. The queue only wakes the system up: handlers re-read Postgres and act
// only if their condition still holds, so a job delivered twice or late does no harm, and
// a job lost with Redis or with this process is re-armed from Postgres.
import type { Logger } from 'pino';

export const jobDrivers = ['bullmq', 'in-process'] as const;
export type JobDriver = (typeof jobDrivers)[number];

export interface JobContext<T> {
  /** The `jobId` given to `add`, or the id `add` generated. */
  id: string;
  name: string;
  data: T;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

export interface AddOptions {
  /** Dedup key: while a job with this id is waiting, delayed, retrying or running, adding it again adds nothing. */
  jobId?: string;
  delayMs?: number;
  /** Wins over `delayMs`; a time in the past means now. */
  runAt?: Date;
  /** Runs in all, default 3. */
  attempts?: number;
  /** First retry delay; doubles on each further retry. Default 1000 ms. */
  backoffMs?: number;
}

export interface AddResult {
  id: string;
  /** false: a job with this id was still pending or running, and that one stays as it was. */
  added: boolean;
}

export interface WorkOptions {
  /** Jobs of this queue running at once in this process; default 1. */
  concurrency?: number;
  /** At most `max` job starts per `durationMs` (BullMQ: across every consumer of the queue). */
  limiter?: { max: number; durationMs: number };
  /** Called once a job has failed its last attempt. */
  onFailed?: (job: JobContext<unknown>, err: unknown) => void;
}

/** `active`: it is running now and cannot be stopped; it will not run again unless it fails and retries. */
export type CancelResult = 'removed' | 'not_found' | 'active';

export interface JobsHealth {
  ok: boolean;
  driver: JobDriver;
  detail?: string;
}

export interface Jobs {
  readonly driver: JobDriver;
  /** Producer side, usable in every role. */
  add<T>(queue: string, name: string, data: T, opts?: AddOptions): Promise<AddResult>;
  /** A waiting or delayed job is removed and never fires; a running one cannot be cancelled. */
  cancel(queue: string, jobId: string): Promise<CancelResult>;
  /** Consumer side: starts consuming the queue in this process, once per queue. */
  work<T>(queue: string, handler: JobHandler<T>, opts?: WorkOptions): Promise<void>;
  health(): Promise<JobsHealth>;
  /** Stops taking jobs, waits for running ones (up to timeoutMs, default 5 s), disconnects. Idempotent. */
  close(opts?: { timeoutMs?: number }): Promise<void>;
}

export interface JobsOptions {
  logger: Logger;
  /** Redis key prefix; processes that share work share it. Default "chatcrm". */
  prefix?: string;
}

export class JobQueueError extends Error {
  override name = 'JobQueueError';
}

/** A job id, queue name or option the port does not accept; a bug in the caller. */
export class InvalidJobError extends JobQueueError {
  override name = 'InvalidJobError';
}

export class JobsClosedError extends JobQueueError {
  override name = 'JobsClosedError';
}

/** Redis did not answer in time; `cause` holds what the client said, if anything. */
export class JobQueueUnavailableError extends JobQueueError {
  override name = 'JobQueueUnavailableError';
}

// BullMQ 6.7 (Job.validateOptions) refuses custom job ids that read back as an integer
// (`${parseInt(id, 10)}` === id) or contain ':'. The BullMQ driver keys dedup on the id
// rather than using it as BullMQ's job id, but both drivers keep to the stricter rule so an
// id accepted in embedded mode is accepted in distributed mode too, and an id never
// splits a Redis key.
const JOB_ID = /^[A-Za-z0-9._-]{1,200}$/;
const QUEUE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export function checkJobId(id: string): string {
  if (!JOB_ID.test(id) || /^\d+$/.test(id)) {
    throw new InvalidJobError(`job id "${id}" must be 1-200 of A-Z a-z 0-9 . _ - and not only digits`);
  }
  return id;
}

export function checkQueueName(name: string): string {
  if (!QUEUE_NAME.test(name)) throw new InvalidJobError(`queue name "${name}" must be lower-case letters, digits and -`);
  return name;
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

export function retryPolicy(opts: AddOptions | undefined): RetryPolicy {
  const attempts = opts?.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = opts?.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (!Number.isInteger(attempts) || attempts < 1) throw new InvalidJobError(`attempts must be a whole number >= 1, got ${attempts}`);
  if (!Number.isFinite(backoffMs) || backoffMs < 0) throw new InvalidJobError(`backoffMs must be >= 0, got ${backoffMs}`);
  return { attempts, backoffMs };
}

/** Delay before the n-th retry (n = 1 after the first failure), as BullMQ's 'exponential' backoff. */
export function backoffBefore(retry: number, backoffMs: number): number {
  return backoffMs * 2 ** (retry - 1);
}

export function delayOf(opts: AddOptions | undefined, now: number): number {
  if (opts?.runAt) {
    const at = opts.runAt.getTime();
    if (Number.isNaN(at)) throw new InvalidJobError('runAt is an invalid Date');
    return Math.max(0, at - now);
  }
  const delay = opts?.delayMs ?? 0;
  if (!Number.isFinite(delay)) throw new InvalidJobError(`delayMs must be a finite number, got ${delay}`);
  return Math.max(0, Math.ceil(delay));
}

export function checkWorkOptions(opts: WorkOptions): { concurrency: number } {
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidJobError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  const lim = opts.limiter;
  if (lim && (!Number.isInteger(lim.max) || lim.max < 1 || !(lim.durationMs > 0))) {
    throw new InvalidJobError(`limiter needs max >= 1 and durationMs > 0, got ${JSON.stringify(lim)}`);
  }
  return { concurrency };
}

/** What a handler sees of `data` in both drivers: what survives a trip through JSON, as in Redis. */
export function asStored<T>(data: T): T {
  return JSON.parse(JSON.stringify(data === undefined ? {} : data)) as T;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5000;
export const DEFAULT_PREFIX = 'chatcrm';
