// While `chatcrm start` runs on an embedded database, no other process may open its folder (see
// db/data-dir-lock.ts). The admin commands still work then: the app listens on a Unix socket
// (mode 0600, so only the user running it can connect) and runs the command the CLI sends on
// its own database, sending back what it prints and its exit code.
//
// Protocol: the CLI writes one JSON line {"argv":["users","add",...]}; the app answers JSON
// lines {"out":text} / {"err":text}, then {"exit":code}, and closes.
import { createHash } from 'node:crypto';
import { chmodSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { CommandIo } from './admin-command.ts';

export const SOCKET_FILE = 'chatcrm.sock';
// sun_path holds 108 bytes on Linux, 104 on macOS.
const MAX_SOCKET_PATH = 100;
const MAX_REQUEST_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;

/** In the data folder; a folder too deep for a socket path gets one in the temp folder, named by its path. */
export function adminSocketPath(dataDir: string): string {
  const dir = resolve(dataDir);
  const inDir = join(dir, SOCKET_FILE);
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
  return join(tmpdir(), `chatcrm-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`);
}

export type RunArgv = (argv: string[], deps: { db: Db; io: CommandIo; logger: Logger }) => Promise<number>;

export interface AdminSocket {
  path: string;
  close(): Promise<void>;
}

/** Listens for admin commands; the caller holds the folder's lock, so a socket file left there is stale. */
export async function serveAdminCommands(opts: { db: Db; dataDir: string; logger: Logger; run: RunArgv }): Promise<AdminSocket> {
  const path = adminSocketPath(opts.dataDir);
  const log = opts.logger.child({ admin: 'socket' });
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', (err) => log.warn({ err: err.message }, 'admin connection failed'));
    void handle(socket, opts.db, log, opts.run);
  });
  // The socket file is created by bind() with the process umask: made private before it exists.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(path, () => ok());
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  log.info({ path }, 'admin commands accepted on the socket');
  return {
    path,
    close: () =>
      new Promise<void>((done) => {
        for (const s of connections) s.destroy();
        server.close(() => done());
      }),
  };
}

function handle(socket: Socket, db: Db, log: Logger, run: RunArgv): Promise<void> {
  return new Promise((done) => {
    let buf = '';
    let started = false;
    const send = (frame: object) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
    };
    // A client that connects and says nothing is not kept waiting on forever.
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    const onData = async (chunk: Buffer) => {
      if (started) return;
      buf += chunk.toString('utf8');
      if (buf.length > MAX_REQUEST_BYTES) {
        started = true;
        send({ err: 'request too large\n' });
        send({ exit: 2 });
        socket.end();
        return done();
      }
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      started = true;
      socket.setTimeout(0);
      const argv = argvOf(buf.slice(0, nl));
      if (!argv) {
        send({ err: 'malformed request\n' });
        send({ exit: 2 });
        socket.end();
        return done();
      }
      const io: CommandIo = { out: { write: (text: string) => send({ out: text }) }, err: { write: (text: string) => send({ err: text }) } };
      // Never the arguments (names, phones, labels); a subcommand only when it looks like one.
      const what = { command: argv[0], sub: /^[a-z-]{1,20}$/.test(argv[1] ?? '') ? argv[1] : undefined };
      let code: number;
      try {
        code = await run(argv, { db, io, logger: log });
      } catch (err) {
        log.error({ err, ...what }, 'admin command failed');
        io.err.write(`${argv[0]} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        code = 1;
      }
      log.info({ ...what, exit: code }, 'admin command run');
      send({ exit: code });
      socket.end();
      done();
    };
    socket.on('data', (chunk: Buffer) => void onData(chunk));
    socket.on('close', () => done());
  });
}

function argvOf(line: string): string[] | null {
  try {
    const req = JSON.parse(line) as { argv?: unknown };
    if (Array.isArray(req.argv) && req.argv.length > 0 && req.argv.length <= 64 && req.argv.every((a) => typeof a === 'string' && a.length <= 4096)) return req.argv as string[];
  } catch {
    // Not JSON: refused below.
  }
  return null;
}

/**
 * Runs the command in the app that listens on the folder's socket: its exit code, or null when
 * no app answers there (none runs, or it stopped without removing the socket).
 */
export function forwardToApp(dataDir: string, argv: string[], io: CommandIo, timeoutMs = 120_000): Promise<number | null> {
  const path = adminSocketPath(dataDir);
  return new Promise((resolveExit) => {
    let connected = false;
    let exit: number | null = null;
    let buf = '';
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      io.err.write(`the running chatcrm did not finish the command within ${timeoutMs / 1000} s\n`);
      socket.destroy();
      resolveExit(1);
    }, timeoutMs);
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ argv })}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const frame = JSON.parse(buf.slice(0, nl)) as { out?: string; err?: string; exit?: number };
        buf = buf.slice(nl + 1);
        if (typeof frame.out === 'string') io.out.write(frame.out);
        if (typeof frame.err === 'string') io.err.write(frame.err);
        if (typeof frame.exit === 'number') exit = frame.exit;
      }
    });
    socket.on('error', () => {
      // ENOENT or ECONNREFUSED before connecting: nobody listens; after: the close below tells.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (!connected) return resolveExit(null);
      if (exit === null) io.err.write('the running chatcrm closed the connection before the command finished\n');
      resolveExit(exit ?? 1);
    });
  });
}
