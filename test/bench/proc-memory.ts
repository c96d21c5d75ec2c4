// What a process holds in memory, read from /proc (Linux), without asking the process: its
// resident set, split into WebAssembly memories, other anonymous memory (the JavaScript heaps,
// native allocations, compiled code) and file-backed pages (node, libraries); and its
// descendants (a child creating the database, a transform service), to measure a process tree.
import { readdirSync, readFileSync } from 'node:fs';

export interface StatusMemory {
  rssMb: number;
  /** High-water mark of the resident set over the process's life. */
  hwmMb: number;
  anonMb: number;
  fileMb: number;
}

export interface SmapsSplit {
  /** Resident pages of WebAssembly memories (V8 reserves each in a guarded region of 8-10 GB). */
  wasmMb: number;
  /** Other anonymous pages: JavaScript heaps, malloc, code, thread stacks. */
  otherAnonMb: number;
  /** Pages backed by files: node itself, shared libraries. */
  fileMb: number;
}

const mb = (kb: number) => Math.round(kb / 1024);

export function statusMemory(pid: number): StatusMemory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { rssMb: mb(kb('VmRSS')), hwmMb: mb(kb('VmHWM')), anonMb: mb(kb('RssAnon')), fileMb: mb(kb('RssFile') + kb('RssShmem')) };
}

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
  rssKb: number;
}

const GUARD_REGION = 1n << 30n;

/**
 * Splits the resident set by mapping. A WebAssembly memory shows as a read-write anonymous
 * mapping (its current size) followed directly by the inaccessible rest of its reservation.
 */
export function smapsSplit(pid: number): SmapsSplit | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const maps: Mapping[] = [];
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) maps.push({ start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3]!, path: head[4]!, rssKb: 0 });
    else if (line.startsWith('Rss:') && maps.length > 0) maps[maps.length - 1]!.rssKb = Number(line.split(/\s+/)[1]);
  }
  let wasm = 0;
  let anon = 0;
  let file = 0;
  maps.forEach((m, i) => {
    const next = maps[i + 1];
    if (m.path !== '' && !m.path.startsWith('[')) file += m.rssKb;
    else if (m.path === '' && m.perms.startsWith('rw') && next && next.start === m.end && next.perms.startsWith('---') && next.end - next.start > GUARD_REGION) wasm += m.rssKb;
    else anon += m.rssKb;
  });
  return { wasmMb: mb(wasm), otherAnonMb: mb(anon), fileMb: mb(file) };
}

/** Every live descendant of `root`, with its command name. */
export function descendants(root: number): { pid: number; name: string }[] {
  const parentOf = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      parentOf.set(Number(entry), { ppid: Number(stat.slice(close + 2).split(' ')[1]), name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; name: string }[] = [];
  const walk = (pid: number) => {
    for (const [child, info] of parentOf) {
      if (info.ppid === pid) {
        found.push({ pid: child, name: info.name });
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

/** CPU time (ms) the process has used so far. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
