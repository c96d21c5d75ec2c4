// One process at a time on an embedded database folder: PGlite has no lock of its own, and two
// processes writing one folder lose data (each sees only its own writes until restarted). The
// lock is a file in the folder, created exclusively, holding the owner's pid (and on Linux the
// process's start time, so a pid reused by another process after a crash is not taken for the
// owner). A lock whose owner is gone is taken over.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'chatcrm.lock';

export interface LockOwner {
  pid: number;
  /** Clock ticks since boot when the process started (/proc/<pid>/stat); null where unknown. */
  startTicks: string | null;
  /** The chatcrm command holding it (start, users, migrate...), for the message. */
  command: string;
  since: string;
}

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
    options?: { cause?: unknown },
  ) {
    const what = owner.command ? `chatcrm ${owner.command}` : 'another process';
    super(`the embedded database in ${dataDir} is in use by ${what} (pid ${owner.pid}); only one process may open it: stop that one first`, options);
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Field 22 of /proc/<pid>/stat: when the process started; null off Linux or for no such process. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: alive, but someone else's.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStartTicks(owner.pid);
  return owner.startTicks === null || now === null || now === owner.startTicks;
}

function readOwner(path: string): { text: string; owner: LockOwner | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0) {
      return { text, owner: { pid: o.pid, startTicks: typeof o.startTicks === 'string' ? o.startTicks : null, command: String(o.command ?? ''), since: String(o.since ?? '') } };
    }
  } catch {
    // A lock written half-way by a process killed right then: nobody holds it.
  }
  return { text, owner: null };
}

/** Who holds the folder now, if a live process does: checked before a start binds its port, so a second start says the folder is taken rather than the port. */
export function dataDirOwner(dataDir: string): LockOwner | null {
  const found = readOwner(join(resolve(dataDir), LOCK_FILE));
  return found?.owner && found.owner.pid !== process.pid && isAlive(found.owner) ? found.owner : null;
}

/** The chatcrm command this process runs (`chatcrm users ...` → users), for the lock's message. */
function thisCommand(): string {
  return /(?:cli\.ts|bin\.js)$/.test(process.argv[1] ?? '') ? (process.argv[2] ?? '') : '';
}

/**
 * Takes the folder's lock for this process, or throws DataDirLockedError naming the live owner.
 * `command`: what this process is, shown to whoever finds the folder locked.
 */
export function lockDataDir(dataDir: string, command = thisCommand()): DataDirLock {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, startTicks: processStartTicks(process.pid), command, since: new Date().toISOString() } satisfies LockOwner);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(path, mine, { flag: 'wx', mode: 0o600 });
      return {
        path,
        release() {
          // Only our own: after a takeover by someone else, the file is theirs.
          if (readOwner(path)?.text === mine) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const found = readOwner(path);
    if (!found) continue;
    if (found.owner && isAlive(found.owner)) throw new DataDirLockedError(dir, found.owner);
    // Its owner is gone: the file is moved aside first (atomically), so of two processes taking
    // over at once only one removes it, and a fresh lock taken meanwhile is put back.
    const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readOwner(aside);
    if (moved && moved.text !== found.text) {
      try {
        linkSync(aside, path);
      } catch {
        // Someone locked it meanwhile: theirs stays.
      }
    }
    unlinkSync(aside);
  }
  const last = readOwner(path)?.owner;
  throw new DataDirLockedError(dir, last ?? { pid: 0, startTicks: null, command: '', since: '' });
}
