// The embedded database folder's lock: one holder at a time, named when refused; a lock whose
// holder is gone (a crash), or whose pid now belongs to another process, or that was left
// half-written, is taken over; releasing removes only one's own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir, processStartTicks } from '../../../db/data-dir-lock.ts';

describe('data folder lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chatcrm-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lockPath = () => join(dir, LOCK_FILE);

  it('is held by one at a time; the refusal names the holder; release frees it', () => {
    const lock = lockDataDir(dir, 'start');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, command: 'start' });
    const err = (() => {
      try {
        lockDataDir(dir, 'users');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as DataDirLockedError).owner.pid).toBe(process.pid);
    expect((err as Error).message).toContain(`in use by chatcrm start (pid ${process.pid})`);
    lock.release();
    expect(existsSync(lockPath())).toBe(false);
    lockDataDir(dir, 'users').release();
  });

  it('takes over the lock of a process that is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    writeFileSync(lockPath(), JSON.stringify({ pid: deadPid, startTicks: null, command: 'start', since: '' }));
    const lock = lockDataDir(dir, 'users');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it.runIf(processStartTicks(process.pid) !== null)('takes over a lock whose pid now belongs to another process (a reused pid)', () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, startTicks: '1', command: 'start', since: '' }));
    const lock = lockDataDir(dir, 'users');
    expect(JSON.parse(readFileSync(lockPath(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock left half-written', () => {
    writeFileSync(lockPath(), '{"pid":');
    lockDataDir(dir, 'users').release();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('releasing does not remove a lock another process has taken over since', () => {
    const lock = lockDataDir(dir, 'start');
    const theirs = JSON.stringify({ pid: process.ppid, startTicks: null, command: 'start', since: '' });
    writeFileSync(lockPath(), theirs);
    lock.release();
    expect(readFileSync(lockPath(), 'utf8')).toBe(theirs);
  });
});
