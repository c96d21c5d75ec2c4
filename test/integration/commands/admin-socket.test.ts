// The running app's admin socket: private to its owner, runs the command the CLI sends and
// streams back what it prints and its exit code; a malformed request runs nothing; a folder
// whose path is too long for a socket gets one in the temp folder, the same for both sides.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.ts';
import { adminSocketPath, forwardToApp, type RunArgv, serveAdminCommands } from '../../../src/commands/admin-socket.ts';

const collect = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: { write: (s: string) => out.push(s) }, err: { write: (s: string) => err.push(s) } }, out, err };
};

describe('admin socket', () => {
  const root = mkdtempSync(join(tmpdir(), 'chatcrm-sock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const fakeDb = {} as Db;
  const runs: string[][] = [];
  const run: RunArgv = async (argv, { io, db }) => {
    runs.push(argv);
    expect(db).toBe(fakeDb);
    io.out.write(`ran ${argv.join(' ')}\n`);
    io.err.write('a warning\n');
    return argv[1] === 'fail' ? 2 : 0;
  };

  it('runs the command sent, answering its output and exit code; the socket is its owner\'s only', async () => {
    const dir = join(root, 'data');
    mkdirSync(dir);
    const sock = await serveAdminCommands({ db: fakeDb, dataDir: dir, logger: pino({ level: 'silent' }), run });
    try {
      expect(sock.path).toBe(join(dir, 'chatcrm.sock'));
      expect(statSync(sock.path).mode & 0o777).toBe(0o600);
      const c = collect();
      expect(await forwardToApp(dir, ['users', 'list'], c.io)).toBe(0);
      expect(c.out.join('')).toBe('ran users list\n');
      expect(c.err.join('')).toBe('a warning\n');
      expect(await forwardToApp(dir, ['users', 'fail'], collect().io)).toBe(2);

      const answer = await new Promise<string>((resolve) => {
        const s = createConnection(sock.path);
        let buf = '';
        s.on('data', (d) => (buf += d.toString()));
        s.on('close', () => resolve(buf));
        s.write('not json\n');
      });
      expect(answer).toBe('{"err":"malformed request\\n"}\n{"exit":2}\n');
      expect(runs).toEqual([
        ['users', 'list'],
        ['users', 'fail'],
      ]);
    } finally {
      await sock.close();
    }
    // Nobody listening: the CLI is told so (null) and opens the folder itself.
    expect(await forwardToApp(dir, ['users', 'list'], collect().io)).toBeNull();
  });

  it('a folder too deep for a socket path gets one in the temp folder, found by the CLI too', async () => {
    const deep = join(root, 'x'.repeat(60), 'y'.repeat(60));
    mkdirSync(deep, { recursive: true });
    expect(adminSocketPath(deep).startsWith(tmpdir())).toBe(true);
    const sock = await serveAdminCommands({ db: fakeDb, dataDir: deep, logger: pino({ level: 'silent' }), run });
    try {
      expect(await forwardToApp(deep, ['token', 'list'], collect().io)).toBe(0);
    } finally {
      await sock.close();
    }
  });
});
