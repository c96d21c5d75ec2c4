import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import { defineJobQueueSuite, silent } from './job-queue.suite.ts';

defineJobQueueSuite('in-process', (logger) => createInProcessJobs({ logger: logger ?? silent }));

describe('in-process scheduler timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a job due in 30 days past setTimeout’s 24.8-day limit', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const j = createInProcessJobs({ logger: silent });
    const fired: number[] = [];
    await j.work('far', async () => {
      fired.push(Date.now());
    });
    const day = 24 * 3600 * 1000;
    const due = Date.now() + 30 * day;
    await j.add('far', 'x', {}, { runAt: new Date(due) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(25 * day);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(5 * day - 1000 - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([due]);
    await j.close();
  });

  it('a pending job does not keep the process alive', async () => {
    const driver = fileURLToPath(new URL('../../../src/jobs/in-process-driver.ts', import.meta.url));
    const script = `
      const { createInProcessJobs } = await import(${JSON.stringify(driver)});
      const { pino } = await import('pino');
      const j = createInProcessJobs({ logger: pino({ level: 'silent' }) });
      await j.work('q', async () => {});
      await j.add('q', 'x', {}, { delayMs: 3_600_000 });
      await j.add('q', 'y', {}, { delayMs: 40 * 24 * 3600 * 1000 });
      console.log('armed');
    `;
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 8000);
      child.on('exit', (c) => {
        clearTimeout(kill);
        resolve(c);
      });
    });
    expect(out.trim()).toBe('armed');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000);
  }, 15_000);
});
