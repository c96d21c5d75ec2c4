import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNow, runParseWhen } from '../../../src/automation/when/parse-when-command.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const NOW = ['--now', '2026-04-29T11:20:00+03:00'];

async function run(argv: string[], input: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runParseWhen(argv, Readable.from([input]), stdout, stderr);
  return {
    code,
    lines: Buffer.concat(out).toString('utf8').split('\n').filter((l) => l !== ''),
    errors: Buffer.concat(err).toString('utf8'),
  };
}

/** `chatcrm parse-when` as a real process: node with tsx, as `npm start` runs it, stdin piped. */
function spawnParseWhen(argv: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'parse-when', ...argv], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('parse-when command', () => {
  it('writes one {"id","at","explain"} line per input, in order, at in the zone with its offset', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'завтра в 10 позвонить' }),
      JSON.stringify({ id: 2, text: 'ок' }),
      JSON.stringify({ id: 'c', text: 'in 3 hours' }),
    ].join('\n');
    const { code, lines, errors } = await run(NOW, input);
    expect(code).toBe(0);
    expect(errors).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { id: 'a', at: '2026-04-30T10:00:00+03:00', explain: 'tomorrow (2026-04-30), at 10:00' },
      { id: 2, at: null, explain: 'no date or time named' },
      { id: 'c', at: '2026-04-29T14:20:00+03:00', explain: '3 hours from now' },
    ]);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['id', 'at', 'explain']);
  });

  it('a malformed line still gets its line (at null) and a message on stderr; the rest go on', async () => {
    const input = ['{"id":"a","text":"завтра"}', '{not json', '[1,2]', '{"id":"d"}', '{"id":{"x":1},"text":"в 10"}', '{"id":"f","text":"в 10"}'].join('\n');
    const { code, lines, errors } = await run(NOW, input);
    expect(code).toBe(0);
    const out = lines.map((l) => JSON.parse(l) as { id: unknown; at: unknown });
    expect(out.map((o) => o.id)).toEqual(['a', null, null, 'd', null, 'f']);
    expect(out.map((o) => o.at)).toEqual(['2026-04-30T09:00:00+03:00', null, null, null, '2026-04-30T10:00:00+03:00', '2026-04-30T10:00:00+03:00']);
    expect(errors).toContain('line 2: not JSON');
    expect(errors).toContain('line 3: not a JSON object');
    expect(errors).toContain('line 4: no string "text"');
    expect(errors).toContain('line 5: id is neither a string nor a number');
  });

  it('--tz changes the zone of the reading and of the offset written', async () => {
    const { lines } = await run(['--now', '2026-04-29T11:20', '--tz', 'Asia/Vladivostok'], '{"id":"v","text":"завтра в 10"}');
    expect(JSON.parse(lines[0]!)).toMatchObject({ at: '2026-04-30T10:00:00+10:00' });
  });

  it.each([
    [[], /--now is required/],
    [['--now', 'yesterday'], /not an ISO datetime/],
    [['--now', '2026-02-30T10:00:00+03:00'], /not a valid date/],
    [[...NOW, '--tz', 'Mars/Base'], /unknown time zone/],
    [[...NOW, '--verbose'], /unknown argument/],
  ])('refuses %j with exit 2 and the usage', async (argv, message) => {
    const { code, lines, errors } = await run(argv, '{"id":"a","text":"завтра"}');
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(errors).toMatch(message);
    expect(errors).toContain('usage: chatcrm parse-when');
  });

  it('--now without an offset is wall time in the zone', () => {
    expect(parseNow('2026-04-29T11:20', 'Europe/Moscow').toISOString()).toBe('2026-04-29T08:20:00.000Z');
    expect(parseNow('2026-04-29T11:20:00Z', 'Europe/Moscow').toISOString()).toBe('2026-04-29T11:20:00.000Z');
  });

  it('runs as a real process with no configuration or database: stdin to stdout, a malformed line on stderr', async () => {
    const input = `${JSON.stringify({ id: 'p1', text: 'в пятницу после обеда отправить КП' })}\n{oops\n${JSON.stringify({ id: 'p3', text: 'через 3 рабочих дня' })}\n`;
    const { code, stdout, stderr } = await spawnParseWhen(NOW, input);
    expect(code).toBe(0);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: unknown; at: unknown });
    expect(out).toEqual([
      { id: 'p1', at: '2026-05-01T14:00:00+03:00', explain: 'Friday: the next one after today (2026-05-01), after lunch: 14:00' },
      { id: null, at: null, explain: expect.stringContaining('not JSON') },
      { id: 'p3', at: '2026-05-05T11:20:00+03:00', explain: expect.stringContaining('3 working days') },
    ]);
    expect(stderr).toMatch(/^parse-when: line 2: not JSON/);
  });

  it('a real process with bad arguments exits 2 and reads nothing', async () => {
    const { code, stdout, stderr } = await spawnParseWhen(['--now', 'soon'], '{"id":"a","text":"завтра"}\n');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('usage: chatcrm parse-when');
  });
});
