// Runs `chatcrm` as a real child process (through tsx, as `npm start` does) and watches its
// JSON log lines on stderr.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChatcrmProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  /** The stderr lines as written, for checks on the text itself (bytes, duplicate keys). */
  lines: string[];
  stdout: string[];
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends the signal and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
  /** Resolves with the exit code once the process ends by itself. */
  waitExit(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface SpawnOptions {
  /** Working directory of the process (where it looks for .env); default the repository root. */
  cwd?: string;
}

export function spawnChatcrm(args: string[], env: Record<string, string>, options: SpawnOptions = {}): ChatcrmProcess {
  // From another working directory tsx is named by its path (the bare name would not resolve)
  // and told where the project's tsconfig is.
  const tsx = options.cwd ? pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href : 'tsx';
  const tsconfig = options.cwd ? { TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') } : {};
  const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', tsx, join(root, 'src/cli.ts'), ...args], {
    cwd: options.cwd ?? root,
    // Only what the test gives: the child must not inherit this machine's settings.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...tsconfig, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const stdout: string[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let buf = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = { raw: line };
      }
      logs.push(parsed);
      for (const w of [...waiters]) {
        if (w.pred(parsed)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    }
  });
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    lines,
    stdout,
    waitForLog(pred, timeoutMs = 20_000) {
      const found = logs.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such log line in ${timeoutMs} ms; got:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`)), timeoutMs);
        const onExit = () => reject(new Error(`process exited before the log line; got:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`));
        child.once('exit', onExit);
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(l);
          },
        });
      });
    },
    waitExit: () => exited,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}
