// Every command answers --help (or -h) with its usage and exit code 0, and does nothing else:
// no configuration is read (a broken one does not matter) and no database folder is made.
// Unknown subcommands and options get the usage on stderr and exit code 2; `demo --preset`
// takes the one preset it has a scenario for and names the others it refuses.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChatcrm } from '../support/spawn-chatcrm.ts';

async function run(args: string[], env: Record<string, string>) {
  const p = spawnChatcrm(args, { LOG_LEVEL: 'warn', ...env });
  const code = await p.waitExit();
  return { args: args.join(' '), code, out: p.stdout.join(''), err: p.logs.map((l) => String(l.raw ?? JSON.stringify(l))).join('\n') };
}

describe('chatcrm --help and bad arguments', () => {
  const root = mkdtempSync(join(tmpdir(), 'chatcrm-help-'));
  const dataDir = join(root, 'data');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('every command answers --help or -h with its usage, exit 0, touching nothing', async () => {
    // A configuration that would stop any command that read it.
    const env = { DATA_DIR: dataDir, HTTP_PORT: 'not-a-port', DATABASE_URL: 'mysql://nowhere' };
    const cases: [string[], string][] = [
      [['--help'], 'usage: chatcrm <command>'],
      [['start', '--help'], 'usage: chatcrm start [--role'],
      [['migrate', '-h'], 'usage: chatcrm migrate'],
      [['seed', '--help'], 'usage: chatcrm seed <preset|file>'],
      [['config', 'export', '-h'], 'usage: chatcrm config export'],
      [['parse-when', '--help'], 'usage: chatcrm parse-when --now'],
      [['demo', '--help'], 'usage: chatcrm demo [--preset'],
      [['parse-replies', '--help'], 'usage: chatcrm parse-replies --now'],
      [['users', '--help'], 'usage: chatcrm users <subcommand>'],
      [['users', 'add', '--name', 'X', '--help'], 'usage: chatcrm users <subcommand>'],
      [['users', 'deactivate', '-h'], 'deactivate <id>'],
      [['token', '--help'], 'revoke <token id>'],
      [['invite', 'create', '--help'], 'usage: chatcrm invite create --user <id>'],
      [['whatsapp', 'login', '--help'], 'usage: chatcrm whatsapp login'],
    ];
    const results = await Promise.all(cases.map(([args]) => run(args, env)));
    for (const [i, r] of results.entries()) {
      expect({ args: r.args, code: r.code, err: r.err }).toEqual({ args: r.args, code: 0, err: '' });
      expect(r.out, r.args).toContain(cases[i]![1]);
    }
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  it('unknown subcommands and options get the usage on stderr and exit 2; the demo takes --preset dealer only', async () => {
    const env = { DATA_DIR: dataDir };
    const [sub, opt, tokenSub, migrateArg, demoOther, demoUnknown] = await Promise.all([
      run(['users', 'frobnicate'], env),
      run(['users', 'list', '--everyone'], env),
      run(['token', 'delete', '5'], env),
      run(['migrate', 'now'], env),
      run(['demo', '--preset', 'freight'], env),
      run(['demo', '--preset', 'bakery'], env),
    ]);
    expect(sub).toMatchObject({ code: 2, out: '' });
    expect(sub.err).toContain('unknown subcommand "frobnicate"\nusage: chatcrm users <subcommand>');
    expect(opt).toMatchObject({ code: 2, out: '' });
    expect(opt.err).toContain("Unknown option '--everyone'");
    expect(tokenSub.err).toContain('unknown subcommand "delete"\nusage: chatcrm token <subcommand>');
    expect(migrateArg).toMatchObject({ code: 2, err: 'migrate takes no argument: "now"\nusage: chatcrm migrate   apply pending database migrations (chatcrm start applies them too)' });
    expect(demoOther).toMatchObject({ code: 2, out: '', err: 'demo --preset freight: there is no demo scenario for this preset yet; demos exist for: dealer' });
    expect(demoUnknown).toMatchObject({ code: 2, out: '' });
    expect(demoUnknown.err).toContain('demo --preset bakery: no such preset (presets: dealer, b2b-supply, accessories, freight, lab');
    expect(existsSync(dataDir)).toBe(false);
    const demo = await run(['demo', '--preset', 'dealer'], env);
    expect(demo.code).toBe(0);
    expect(demo.out).toContain('[setup] preset "dealer" applied');
  }, 120_000);

  it('users add --supervisor 99: a clear message, exit 2, nothing written', async () => {
    const env = { DATA_DIR: dataDir };
    const bad = await run(['users', 'add', '--name', 'Анна', '--role', 'manager', '--supervisor', '99'], env);
    expect(bad).toMatchObject({ code: 2, out: '', err: 'supervisor 99: no such user' });
    const list = await run(['users', 'list'], env);
    expect(list).toMatchObject({ code: 0, out: 'no staff yet: chatcrm users add --name <name> --role <role>\n' });
  }, 120_000);
});
