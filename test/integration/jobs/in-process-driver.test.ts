import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import { defineJobQueueSuite, silent } from './job-queue.suite.ts';

defineJobQueueSuite('in-process', () => createInProcessJobs({ logger: silent }));
