// `chatcrm seed` and `chatcrm config export` as a person runs them: a second preset over a
// configured company is refused with the list of changes and exit code 1; --dry-run lists them;
// the export is taken back unchanged; a company file with a wrong field or broken YAML is
// refused naming the line, the column and the field, and nothing is written; --replace applies.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnChatcrm } from '../support/spawn-chatcrm.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

describe('chatcrm seed / config export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatcrm-config-'));
  let t: TestDb;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestPostgres('config_cli');
    env = { DATABASE_URL: t.url! };
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(args: string[]) {
    const p = spawnChatcrm(args, { LOG_LEVEL: 'error', ...env });
    const code = await p.waitExit();
    return { code, out: p.stdout.join(''), err: p.logs.map((l) => String(l.raw ?? JSON.stringify(l))).join('\n') };
  }

  async function versions(): Promise<{ version: number; preset: string; source: string }[]> {
    const sql = postgres(t.url!, { max: 1, onnotice: () => {} });
    try {
      return await sql`select version, preset, source from company_config_versions order by version`;
    } finally {
      await sql.end();
    }
  }

  it('refuses a second preset with the changes listed, lists them with --dry-run, writes nothing', async () => {
    const first = await run(['seed', 'dealer']);
    expect(first).toMatchObject({ code: 0, out: 'dealer: config version 1 applied (2 pipelines, 18 stages, 14 custom fields, 2 intake questions, 2 rules)\n' });

    const refused = await run(['seed', 'freight']);
    expect(refused.code).toBe(1);
    const lines = refused.err.split('\n');
    expect(lines[0]).toBe('freight would change the configuration in force, "dealer" (version 1, preset:dealer):');
    expect(lines).toContain('  - pipeline road «Дорожно-строительная техника» (9 stages: new → in_work → proposal_sent → deferred → invoice_sent → shipment → closing_docs → won → lost)');
    expect(lines).toContain('  + pipeline requests «Запросы» (7 stages: new → quote → need_truck → pause → agreement → won → lost)');
    expect(lines).toContain('  ~ default pipeline: farm → requests');
    expect(lines).toContain('  - deal field upd_file «УПД» (file)');
    expect(lines.at(-1)).toMatch(/^nothing was changed \(\d+ changes\); to apply it: chatcrm seed freight --replace$/);

    const dry = await run(['seed', 'freight', '--dry-run']);
    expect(dry.code).toBe(0);
    const dryLines = dry.out.trimEnd().split('\n');
    expect(dryLines.slice(1, -1)).toEqual(lines.slice(1, -1));
    expect(dryLines.at(-1)).toMatch(/^dry run: nothing was written \(\d+ changes; --replace applies them\)$/);
    expect(await versions()).toEqual([{ version: 1, preset: 'dealer', source: 'preset:dealer' }]);
  }, 60_000);

  it('exports a file seed takes back unchanged; a wrong field or broken YAML in it is named by line, column and field, nothing written', async () => {
    const file = join(dir, 'our-company.yaml');
    const exported = await run(['config', 'export', '--out', file]);
    expect(exported).toMatchObject({ code: 0, out: `config version 1 ("dealer") written to ${file}\n` });
    const same = await run(['seed', file]);
    expect(same).toMatchObject({ code: 0, out: `${file}: config version 1 (unchanged)\n` });

    const text = readFileSync(file, 'utf8');
    const wrong = text.replace('requires: [ proposal_file ]', 'requires: [ proposal_fil ]');
    expect(wrong).not.toBe(text);
    writeFileSync(file, wrong);
    const at = position(wrong, 'proposal_fil ]');
    const invalid = await run(['seed', file]);
    expect(invalid.code).toBe(2);
    expect(invalid.err.split('\n')).toEqual([
      `${file}:${at} pipelines[0].stages[2].requires[0]: unknown deal field "proposal_fil"`,
      `${file}: invalid configuration, 1 problem`,
      'nothing was applied',
    ]);

    writeFileSync(file, text.replace('timezone: Europe/Moscow', 'timezone: Europe/Moscow: MSK'));
    const broken = await run(['seed', file]);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(new RegExp(`^${escape(file)}:${position(text, 'timezone:').split(':')[0]}:\\d+ YAML: `));
    expect(await versions()).toEqual([{ version: 1, preset: 'dealer', source: 'preset:dealer' }]);
  }, 60_000);

  it('--replace applies freight over dealer, recorded with its source', async () => {
    const replaced = await run(['seed', 'freight', '--replace']);
    expect(replaced.code).toBe(0);
    expect(replaced.out).toContain('  ~ default pipeline: farm → requests\n');
    expect(replaced.out).toMatch(/freight: config version 2 applied, \d+ changes\n$/);
    expect(await versions()).toEqual([
      { version: 1, preset: 'dealer', source: 'preset:dealer' },
      { version: 2, preset: 'freight', source: 'preset:freight' },
    ]);
  }, 60_000);

  it('answers --help and -h with its usage, exit 0', async () => {
    const seed = await run(['seed', '--help']);
    expect(seed).toMatchObject({ code: 0 });
    expect(seed.out).toMatch(/^usage: chatcrm seed <preset\|file> \[--dry-run\] \[--replace\]\n/);
    const config = await run(['config', '-h']);
    expect(config).toMatchObject({ code: 0 });
    expect(config.out).toMatch(/^usage: chatcrm config export \[--out <file>\]\n/);
  }, 60_000);
});

/** `line:col` (from 1) of the first occurrence of `needle`. */
function position(text: string, needle: string): string {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
