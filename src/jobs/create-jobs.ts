import { createBullmqJobs } from './bullmq-driver.ts';
import { createInProcessJobs } from './in-process-driver.ts';
import type { Jobs, JobsOptions } from './job-queue.ts';

/** BullMQ when a Redis URL is configured, the in-process scheduler otherwise. */
export function createJobs(options: JobsOptions & { redisUrl?: string | undefined }): Jobs {
  return options.redisUrl ? createBullmqJobs(options.redisUrl, options) : createInProcessJobs(options);
}
