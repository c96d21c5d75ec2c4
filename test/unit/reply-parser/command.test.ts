import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parsedReplySchema } from '../../../src/logistics/reply-parser/contract.ts';
import { parseNowArgument, runParseReplies } from '../../../src/logistics/reply-parser/parse-replies-command.ts';

async function run(argv: string[], input: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runParseReplies(argv, Readable.from([input]), stdout, stderr);
  return {
    code,
    lines: Buffer.concat(out).toString('utf8').split('\n').filter((l) => l !== ''),
    errors: Buffer.concat(err).toString('utf8'),
  };
}

const NOW = ['--now', '2026-11-23T09:00:00+03:00'];

describe('parse-replies command', () => {
  it('writes one contract line per input, in order, with keys in contract order', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: '85к без ндс' }),
      JSON.stringify({ id: 'b', text: 'Нет' }),
      JSON.stringify({ id: 'c', text: 'завтра, 90 тыс нал' }),
    ].join('\n');
    const { code, lines, errors } = await run(NOW, input);
    expect(code).toBe(0);
    expect(errors).toBe('');
    expect(lines).toHaveLength(3);
    const parsed = lines.map((l) => parsedReplySchema.parse(JSON.parse(l)));
    expect(parsed.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual([
      'id', 'kind', 'rate', 'rate_per_km', 'vat', 'payment', 'deferral_days', 'ready_at', 'vehicle', 'phone', 'confidence',
    ]);
    expect(parsed[2]).toMatchObject({ kind: 'offer', rate: 90000, payment: 'cash', ready_at: '2026-11-24' });
  });

  it('skips blank lines and answers malformed ones in place', async () => {
    const input = [
      JSON.stringify({ id: 1, text: '76' }),
      '',
      '   ',
      '{not json',
      JSON.stringify({ id: 'no-text' }),
      JSON.stringify({ id: 'num-text', text: 85 }),
      '[1,2]',
      JSON.stringify({ id: 'last', text: 'стоп' }),
    ].join('\r\n');
    const { code, lines, errors } = await run(NOW, input);
    expect(code).toBe(0);
    const parsed = lines.map((l) => parsedReplySchema.parse(JSON.parse(l)));
    expect(parsed.map((p) => [p.id, p.kind, p.confidence])).toEqual([
      [1, 'offer', 0.8],
      [null, 'unclear', 0],
      ['no-text', 'unclear', 0],
      ['num-text', 'unclear', 0],
      [null, 'unclear', 0],
      ['last', 'optout', 0.95],
    ]);
    expect(parsed[2]).toEqual({
      id: 'no-text', kind: 'unclear', rate: null, rate_per_km: null, vat: null, payment: null,
      deferral_days: null, ready_at: null, vehicle: null, phone: null, confidence: 0,
    });
    expect(errors).toMatch(/line 4: not JSON/);
    expect(errors).toMatch(/line 5: no string "text"/);
    expect(errors).toMatch(/line 7: not a JSON object/);
  });

  it('defaults to Europe/Moscow and honours --tz', async () => {
    const input = JSON.stringify({ id: 'x', text: 'сегодня' });
    const late = ['--now', '2026-11-23T22:30:00Z'];
    expect(JSON.parse((await run(late, input)).lines[0]!).ready_at).toBe('2026-11-24');
    expect(JSON.parse((await run([...late, '--tz', 'UTC'], input)).lines[0]!).ready_at).toBe('2026-11-23');
    expect(JSON.parse((await run(['--now=2026-11-23T22:30:00Z', '--tz=UTC'], input)).lines[0]!).ready_at).toBe('2026-11-23');
  });

  it.each([
    [[], /--now is required/],
    [['--now'], /--now needs a value/],
    [['--now', 'yesterday'], /not an ISO datetime/],
    [['--now', '2026-13-01T00:00:00Z'], /not a valid date/],
    [['--now', '2026-02-30'], /not a valid date/],
    [[...NOW, '--tz', 'Mars/Olympus'], /unknown time zone/],
    [[...NOW, '--verbose'], /unknown argument/],
  ])('rejects %j with exit code 2', async (argv, message) => {
    const { code, lines, errors } = await run(argv, JSON.stringify({ id: 'a', text: '85к' }));
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(errors).toMatch(message);
  });

  it('reads --now without an offset as company time', () => {
    expect(parseNowArgument('2026-11-23T09:00', 'Europe/Moscow').toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(parseNowArgument('2026-11-23', 'Asia/Vladivostok').toISOString()).toBe('2026-11-22T14:00:00.000Z');
    expect(parseNowArgument('2026-11-23T09:00:00+0300', 'UTC').toISOString()).toBe('2026-11-23T06:00:00.000Z');
    expect(parseNowArgument('2026-11-23T06:00:00.250Z', 'UTC').toISOString()).toBe('2026-11-23T06:00:00.250Z');
  });

  it('streams: answers a line before the input ends', async () => {
    const input = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const done = runParseReplies(NOW, input, stdout, stderr);
    input.write(`${JSON.stringify({ id: 'first', text: '85к' })}\n`);
    const [chunk] = (await new Promise((resolve) => stdout.once('data', (c: Buffer) => resolve([c])))) as [Buffer];
    expect(JSON.parse(chunk.toString('utf8')).id).toBe('first');
    input.end(`${JSON.stringify({ id: 'second', text: 'нет' })}\n`);
    expect(await done).toBe(0);
  });

  it('waits for a slow reader instead of buffering everything', async () => {
    const input = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, text: '85к' })).join('\n');
    const stdout = new PassThrough({ highWaterMark: 64 });
    const stderr = new PassThrough();
    const received: string[] = [];
    const reading = (async () => {
      for await (const chunk of stdout) {
        received.push(String(chunk));
        await new Promise((r) => setImmediate(r));
      }
    })();
    const code = await runParseReplies(NOW, Readable.from([input]), stdout, stderr);
    stdout.end();
    await reading;
    expect(code).toBe(0);
    expect(received.join('').trim().split('\n')).toHaveLength(300);
  });

  it('keeps order over many lines', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `r${i}`);
    const input = ids.map((id, i) => JSON.stringify({ id, text: i % 3 === 0 ? '' : `${60 + (i % 40)}к` })).join('\n');
    const { lines } = await run(NOW, input);
    expect(lines.map((l) => JSON.parse(l).id)).toEqual(ids);
  });
});
