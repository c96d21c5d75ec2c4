// The admin commands as a person runs them: add a user, give him an API token and an invite
// code, and use the token against the API; bad arguments get a usage line and exit code 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnChatcrm } from '../support/spawn-chatcrm.ts';

async function run(args: string[], env: Record<string, string>) {
  const p = spawnChatcrm(args, { LOG_LEVEL: 'warn', ...env });
  const code = await p.waitExit();
  return { code, out: p.stdout.join(''), err: p.logs.map((l) => String(l.raw ?? JSON.stringify(l))).join('\n') };
}

describe('chatcrm users / token / invite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chatcrm-cli-'));
  const env = { DATA_DIR: dataDir };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds a manager, issues a token that the API accepts, and an invite code', async () => {
    const added = await run(['users', 'add', '--name', 'Анна Петрова', '--role', 'manager,logist', '--language', 'en'], env);
    expect(added.code).toBe(0);
    const id = /^user (\d+): Анна Петрова \(manager, logist\)$/m.exec(added.out)?.[1];
    expect(id).toBeDefined();

    const token = await run(['token', 'create', '--user', id!, '--label', 'laptop'], env);
    expect(token.code).toBe(0);
    const value = token.out.trim();
    expect(value).toMatch(/^ccrm_[\w-]{32}$/);

    const invite = await run(['invite', 'create', '--user', id!], env);
    expect(invite.code).toBe(0);
    expect(invite.out).toMatch(/^[\w-]{12}\n\(send "\/start [\w-]{12}" to the bot before \d{4}-/);

    const port = await freePort();
    const server = spawnChatcrm(['start'], { ...env, HTTP_PORT: String(port), LOG_LEVEL: 'info' });
    try {
      await server.waitForLog((l) => l.msg === 'HTTP listening', 30_000);
      const ok = await fetch(`http://127.0.0.1:${port}/api/v1/contacts`, { headers: { authorization: `Bearer ${value}` } });
      expect(ok.status).toBe(200);
      const bad = await fetch(`http://127.0.0.1:${port}/api/v1/contacts`, { headers: { authorization: `Bearer ${value}x` } });
      expect(bad.status).toBe(401);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  }, 90_000);

  it('refuses bad arguments with the usage and exit code 2', async () => {
    const noUser = await run(['token', 'create', '--user', '999'], env);
    expect(noUser.code).toBe(2);
    expect(noUser.err).toContain('no user 999');
    const badRole = await run(['users', 'add', '--name', 'X', '--role', 'boss'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('roles.0');
    const unknownFlag = await run(['invite', 'create', '--usr', '1'], env);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err).toContain('usage: chatcrm invite create --user <id>');
    const unknownCommand = await run(['frobnicate'], env);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.err).toContain('unknown command "frobnicate"');
  }, 90_000);
});
