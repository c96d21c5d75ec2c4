// One process on an embedded database folder, through real processes. While `chatcrm start`
// runs on it, the admin commands of a second process are run by the app (what they write is
// what the app serves at once), migrate and a second start refuse in one line naming the pid,
// and nothing opens the folder twice. Stopped, the folder is free; killed, its lock is taken over.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnChatcrm, type ChatcrmProcess } from '../support/spawn-chatcrm.ts';

async function run(args: string[], env: Record<string, string>) {
  const p = spawnChatcrm(args, { LOG_LEVEL: 'warn', ...env });
  const code = await p.waitExit();
  return { code, out: p.stdout.join(''), err: p.logs.map((l) => String(l.raw ?? JSON.stringify(l))).join('\n') };
}

describe('one process on an embedded database folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'chatcrm-one-'));
  const dataDir = join(root, 'data');
  const env = { DATA_DIR: dataDir };
  let app: ChatcrmProcess | undefined;
  let port = 0;
  afterAll(async () => {
    await app?.stop('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  const startApp = async () => {
    port = await freePort();
    app = spawnChatcrm(['start'], { ...env, HTTP_PORT: String(port) });
    await app.waitForLog((l) => l.msg === 'HTTP listening', 60_000);
    return app;
  };

  it('while the app runs, users / token / invite go through it and what they write is served at once', async () => {
    const running = await startApp();
    const pid = running.child.pid!;
    expect(JSON.parse(readFileSync(join(dataDir, 'chatcrm.lock'), 'utf8'))).toMatchObject({ pid, command: 'start' });
    expect(statSync(join(dataDir, 'chatcrm.sock')).mode & 0o777).toBe(0o600);

    const added = await run(['users', 'add', '--name', 'Анна Петрова', '--role', 'manager'], env);
    expect(added).toMatchObject({ code: 0, out: 'user 1: Анна Петрова (manager)\n' });
    const token = await run(['token', 'create', '--user', '1'], env);
    expect(token.code).toBe(0);
    const invite = await run(['invite', 'create', '--user', '1'], env);
    expect(invite.code).toBe(0);
    const bad = await run(['users', 'add', '--name', 'Борис', '--role', 'manager', '--supervisor', '99'], env);
    expect(bad).toMatchObject({ code: 2, err: 'supervisor 99: no such user' });
    // Written to the app's own database: the token works against it right away.
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/contacts`, { headers: { authorization: `Bearer ${token.out.trim()}` } });
    expect(res.status).toBe(200);
    const deactivated = await run(['users', 'deactivate', '1'], env);
    expect(deactivated.out).toContain('user 1 (Анна Петрова) deactivated: API tokens revoked: 1');
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/contacts`, { headers: { authorization: `Bearer ${token.out.trim()}` } })).status).toBe(401);
    const runs = running.logs.filter((l) => l.msg === 'admin command run');
    expect(runs.map((l) => [l.command, l.sub, l.exit])).toEqual([
      ['users', 'add', 0],
      ['token', 'create', 0],
      ['invite', 'create', 0],
      ['users', 'add', 2],
      ['users', 'deactivate', 0],
    ]);
    // The lock never changed hands.
    expect(JSON.parse(readFileSync(join(dataDir, 'chatcrm.lock'), 'utf8')).pid).toBe(pid);
  }, 120_000);

  it('migrate and a second start refuse in one line naming the running pid', async () => {
    const pid = app!.child.pid!;
    const line = `the embedded database in ${dataDir} is in use by chatcrm start (pid ${pid}); only one process may open it: stop that one first`;
    const migrate = await run(['migrate'], env);
    expect(migrate).toMatchObject({ code: 1, err: line });
    const second = await run(['start'], { ...env, HTTP_PORT: String(await freePort()) });
    expect(second).toMatchObject({ code: 1, err: line });
    // On the same port too (the usual mistake: npm start twice): the folder is named, not the port.
    const samePort = await run(['start'], { ...env, HTTP_PORT: String(port) });
    expect(samePort).toMatchObject({ code: 1, err: line });
    expect(app!.child.exitCode).toBeNull();
  }, 120_000);

  it('stopped, the app leaves the folder free; the commands then open it themselves', async () => {
    expect((await app!.stop()).code).toBe(0);
    app = undefined;
    expect(existsSync(join(dataDir, 'chatcrm.lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'chatcrm.sock'))).toBe(false);
    const list = await run(['users', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^1\s+Анна Петрова\s+manager\s+deactivated \d{4}-\d\d-\d\d/m);
  }, 120_000);

  it('killed, the app leaves a lock that the next process takes over', async () => {
    const running = await startApp();
    const pid = running.child.pid!;
    await running.stop('SIGKILL');
    app = undefined;
    expect(JSON.parse(readFileSync(join(dataDir, 'chatcrm.lock'), 'utf8')).pid).toBe(pid);
    const list = await run(['users', 'reactivate', '1'], env);
    expect(list).toMatchObject({ code: 0 });
    expect(list.out).toContain('user 1 (Анна Петрова) is active again');
    expect(existsSync(join(dataDir, 'chatcrm.lock'))).toBe(false);
  }, 120_000);
});
