import { type BullmqJobsOptions, createBullmqJobs } from './bullmq-driver.ts';
import { createInProcessJobs } from './in-process-driver.ts';
import type { Jobs } from './job-queue.ts';

/**
 * BullMQ when a Redis URL is configured, the in-process scheduler otherwise. Every role gets
 * the same object; only the processes that call `work()` consume.
 */
export function createJobs(options: BullmqJobsOptions & { redisUrl?: string | undefined }): Jobs {
  const { redisUrl, ...rest } = options;
  return redisUrl ? createBullmqJobs(redisUrl, rest) : createInProcessJobs(rest);
}
