// Idle memory of `npm start` on the embedded defaults (PGlite, in-process scheduler, no
// messenger configured): chatcrm is started as the start script runs it, in a child process, on
// a fresh temporary DATA_DIR (the first start, which creates the database), stopped, then
// started again on the same folder (a later start). Each time its resident set (VmRSS) is read
// once it is quiet (listening, no log line for --quiet-ms, default 5 s, under 5% of a core) and
// again once it has settled (V8 gives back part of its heap after some idle seconds: no drop of
// more than 2 MB for --settle-ms, default 15 s, at most 120 s after quiet); the settled figure is
// the idle RSS, the one a process keeps. It is split by mapping into WebAssembly memory, other
// anonymous memory and file-backed pages, beside the process's children and the JavaScript heap
// from its own /metrics (this process is a loopback client). The peak is the largest resident set
// of the whole process tree seen while it started (sampled every 100 ms), the child creating the
// database included. Target: idle ≤ 300 MB on both starts. Prints figures, then one JSON line.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/spawn-chatcrm.ts';
import { intFlag } from './bench-support.ts';
import { cpuMs, descendants, type SmapsSplit, smapsSplit, type StatusMemory, statusMemory } from './proc-memory.ts';

const TARGET_IDLE_MB = 300;
const QUIET_MS = intFlag('quiet-ms', 5000);
const SETTLE_MS = intFlag('settle-ms', 15_000);
const SAMPLE_MS = 100;
const root = fileURLToPath(new URL('../..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StartReport {
  label: string;
  listeningMs: number;
  /** Resident set once quiet, before V8 gave anything back. */
  quietRssMb: number;
  /** Seconds from quiet to settled. */
  settleS: number;
  idle: StatusMemory;
  split: SmapsSplit;
  children: { name: string; rssMb: number }[];
  heap: { usedMb: number; totalMb: number; externalMb: number } | null;
  /** Largest sum of the tree's resident sets seen while starting and idling. */
  peakTreeMb: number;
  /** Largest high-water mark of any one process of the tree (the app, or the child creating the database). */
  peakProcessMb: number;
  exitCode: number | null;
  stopMs: number;
}

/** `npm start` as package.json has it, with this node. */
function startCommandLine(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`the start script does not begin with node: ${pkg.scripts.start}`);
  return args;
}

async function measureStart(label: string, dataDir: string): Promise<StartReport> {
  const port = await freePort();
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, startCommandLine(), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, HTTP_PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = child.pid!;
  let lastLogAt = Date.now();
  let listeningMs = -1;
  let buf = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    lastLogAt = Date.now();
    buf += chunk.toString('utf8');
    if (listeningMs < 0 && buf.includes('"HTTP listening"')) listeningMs = Date.now() - started;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  let peakTreeMb = 0;
  let peakProcessMb = 0;
  const sampler = setInterval(() => {
    let tree = 0;
    for (const p of [pid, ...descendants(pid).map((d) => d.pid)]) {
      const m = statusMemory(p);
      if (!m) continue;
      tree += m.rssMb;
      peakProcessMb = Math.max(peakProcessMb, m.hwmMb);
    }
    peakTreeMb = Math.max(peakTreeMb, tree);
  }, SAMPLE_MS);

  try {
    while (listeningMs < 0) {
      if (child.exitCode !== null) throw new Error(`chatcrm exited with ${child.exitCode} before listening:\n${buf.slice(-2000)}`);
      if (Date.now() - started > 180_000) throw new Error(`chatcrm not listening after 180 s:\n${buf.slice(-2000)}`);
      await sleep(100);
    }
    await untilQuiet(pid, () => lastLogAt);
    const quietRssMb = statusMemory(pid)!.rssMb;
    const settleS = await untilSettled(pid);
    const idle = statusMemory(pid)!;
    const split = smapsSplit(pid)!;
    const children = descendants(pid).map((d) => ({ name: d.name, rssMb: statusMemory(d.pid)?.rssMb ?? 0 }));
    const heap = await heapOf(port);
    clearInterval(sampler);
    const stopStarted = Date.now();
    child.kill('SIGTERM');
    const exitCode = await exited;
    return { label, listeningMs, quietRssMb, settleS, idle, split, children, heap, peakTreeMb, peakProcessMb, exitCode, stopMs: Date.now() - stopStarted };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** No log line for QUIET_MS and under 5% of a core over the last second; at most 60 s. */
async function untilQuiet(pid: number, lastLogAt: () => number): Promise<void> {
  const giveUp = Date.now() + 60_000;
  let before = cpuMs(pid) ?? 0;
  for (;;) {
    await sleep(1000);
    const now = cpuMs(pid) ?? 0;
    const busy = now - before;
    before = now;
    if ((Date.now() - lastLogAt() >= QUIET_MS && busy <= 50) || Date.now() > giveUp) return;
  }
}

/** The resident set has not dropped by more than 2 MB for SETTLE_MS; at most 120 s. Returns the seconds waited. */
async function untilSettled(pid: number): Promise<number> {
  const started = Date.now();
  let low = statusMemory(pid)?.rssMb ?? 0;
  let since = Date.now();
  while (Date.now() - since < SETTLE_MS && Date.now() - started < 120_000) {
    await sleep(1000);
    const rss = statusMemory(pid)?.rssMb ?? low;
    if (rss < low - 2) since = Date.now();
    low = Math.min(low, rss);
  }
  return Math.round((Date.now() - started) / 1000);
}

/** The JavaScript heap as the app's own /metrics reports it (read after the resident set). */
async function heapOf(port: number): Promise<StartReport['heap']> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (name: string) => Math.round(Number(new RegExp(`^chatcrm_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1048576);
    return { usedMb: value('nodejs_heap_size_used_bytes'), totalMb: value('nodejs_heap_size_total_bytes'), externalMb: value('nodejs_external_memory_bytes') };
  } catch {
    return null;
  }
}

function show(r: StartReport): void {
  const kids = r.children.length ? r.children.map((c) => `${c.name} ${c.rssMb} MB`).join(', ') : 'none';
  console.log(`  ${r.label}: listening after ${(r.listeningMs / 1000).toFixed(1)} s; RSS ${r.quietRssMb} MB once quiet, ${r.idle.rssMb} MB settled ${r.settleS} s later (anonymous ${r.idle.anonMb}, file ${r.idle.fileMb})`);
  console.log(`    by mapping: WebAssembly memory ${r.split.wasmMb} MB, other anonymous ${r.split.otherAnonMb} MB (JS heap committed ${r.heap?.totalMb ?? '?'} MB, used ${r.heap?.usedMb ?? '?'} MB), files ${r.split.fileMb} MB`);
  console.log(`    child processes at idle: ${kids}; peak while starting: process tree ${r.peakTreeMb} MB, one process ${r.peakProcessMb} MB`);
  console.log(`    SIGTERM → exit ${r.exitCode} in ${r.stopMs} ms`);
}

const dataDir = join(mkdtempSync(join(tmpdir(), 'chatcrm-bench-memory-')), 'data');
try {
  console.log(`chatcrm idle memory, npm start on embedded defaults (node ${startCommandLine().join(' ')}), DATA_DIR ${dataDir}`);
  const first = await measureStart('first start (creates the database)', dataDir);
  show(first);
  const later = await measureStart('later start (same folder)', dataDir);
  show(later);
  const idleRss = Math.max(first.idle.rssMb, later.idle.rssMb);
  console.log(`  idle RSS ${idleRss} MB (target ≤ ${TARGET_IDLE_MB} MB): ${idleRss <= TARGET_IDLE_MB ? 'met' : 'NOT met'}`);
  const figures = (r: StartReport) => ({
    rss_mb: r.idle.rssMb,
    quiet_rss_mb: r.quietRssMb,
    settle_s: r.settleS,
    wasm_mb: r.split.wasmMb,
    other_anon_mb: r.split.otherAnonMb,
    file_mb: r.split.fileMb,
    heap_total_mb: r.heap?.totalMb ?? null,
    heap_used_mb: r.heap?.usedMb ?? null,
    children_mb: r.children.reduce((s, c) => s + c.rssMb, 0),
    peak_tree_mb: r.peakTreeMb,
    listening_ms: r.listeningMs,
  });
  console.log(
    JSON.stringify({
      bench: 'memory',
      idle_rss_mb: idleRss,
      first_start_idle_rss_mb: first.idle.rssMb,
      later_start_idle_rss_mb: later.idle.rssMb,
      peak_rss_mb: Math.max(first.peakTreeMb, later.peakTreeMb, first.peakProcessMb, later.peakProcessMb),
      target_idle_rss_mb: TARGET_IDLE_MB,
      first_start: figures(first),
      later_start: figures(later),
    }),
  );
} finally {
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
}
