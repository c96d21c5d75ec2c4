// The queue port. The queue only wakes the system up: handlers re-read Postgres and act
// only if their condition still holds, so a job delivered twice or late does no harm.
import type { Logger } from 'pino';

export const jobDrivers = ['bullmq', 'in-process'] as const;
export type JobDriver = (typeof jobDrivers)[number];

export interface JobContext<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
}

export type JobHandler<T> = (job: JobContext<T>) => Promise<void>;

export interface AddOptions {
  /** Dedup key: a job with the same id already waiting, delayed, running or just done is not added again. */
  jobId?: string;
  delayMs?: number;
  runAt?: Date;
  /** Runs in all, default 3. */
  attempts?: number;
  /** First retry delay; doubles on each retry. Default 1000 ms. */
  backoffMs?: number;
}

export interface AddResult {
  id: string;
  added: boolean;
}

export interface WorkOptions {
  concurrency?: number;
  /** At most `max` job starts per `durationMs`, across every consumer of the queue. */
  limiter?: { max: number; durationMs: number };
  /** Called once a job has failed its last attempt. */
  onFailed?: (job: JobContext<unknown>, err: unknown) => void;
}

export type CancelResult = 'removed' | 'not_found' | 'active';

export interface JobsHealth {
  ok: boolean;
  driver: JobDriver;
  detail?: string;
}

export interface Jobs {
  readonly driver: JobDriver;
  add<T>(queue: string, name: string, data: T, opts?: AddOptions): Promise<AddResult>;
  /** A waiting or delayed job is removed and never fires; a running one cannot be cancelled. */
  cancel(queue: string, jobId: string): Promise<CancelResult>;
  /** Starts consuming the queue in this process. */
  work<T>(queue: string, handler: JobHandler<T>, opts?: WorkOptions): Promise<void>;
  health(): Promise<JobsHealth>;
  /** Stops taking jobs, waits for running ones (up to timeoutMs, default 5 s), disconnects. Idempotent. */
  close(opts?: { timeoutMs?: number }): Promise<void>;
}

export interface JobsOptions {
  logger: Logger;
  /** Redis key prefix; processes that share work share it. */
  prefix?: string;
}

export class InvalidJobError extends Error {
  override name = 'InvalidJobError';
}

export class JobsClosedError extends Error {
  override name = 'JobsClosedError';
}

// BullMQ refuses custom ids that are integers or contain ':'; both drivers accept the same ids.
const JOB_ID = /^[A-Za-z0-9._-]{1,200}$/;
const QUEUE_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export function checkJobId(id: string): string {
  if (!JOB_ID.test(id) || /^\d+$/.test(id)) throw new InvalidJobError(`job id "${id}" must be 1-200 of A-Z a-z 0-9 . _ - and not only digits`);
  return id;
}

export function checkQueueName(name: string): string {
  if (!QUEUE_NAME.test(name)) throw new InvalidJobError(`queue name "${name}" must be lower-case letters, digits and -`);
  return name;
}

export function delayOf(opts: AddOptions | undefined, now: number): number {
  if (opts?.runAt) return Math.max(0, opts.runAt.getTime() - now);
  return Math.max(0, opts?.delayMs ?? 0);
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5000;
/** How long a finished job id still deduplicates. */
export const DONE_DEDUP_MS = 60 * 60 * 1000;
