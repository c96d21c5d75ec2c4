// `chatcrm parse-when --now <ISO datetime> [--tz <zone>]`: JSON lines {"id","text"} in, one
// line {"id","at","explain"} out per input line, same order, streamed line by line. `at` is
// ISO 8601 with the zone's offset, or null when the text names no time.
import { createInterface } from 'node:readline';
import { DateTime, IANAZone } from 'luxon';
import { formatInZone, readWhen } from './read-when.ts';

const DEFAULT_TZ = 'Europe/Moscow';
const USAGE = 'usage: chatcrm parse-when --now <ISO datetime> [--tz <zone>]  (JSON lines {"id","text"} on stdin)';

export class UsageError extends Error {
  override name = 'UsageError';
}

type LineId = string | number | null;

interface Options {
  now: Date;
  tz: string;
}

/** With an offset or Z it is that instant; without one, wall time in the zone. */
export function parseNow(value: string, tz: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?$/.test(value.trim())) {
    throw new UsageError(`--now: "${value}" is not an ISO datetime such as 2026-12-04T15:30:00+03:00`);
  }
  const dt = DateTime.fromISO(value.trim().replace(' ', 'T'), { zone: tz });
  if (!dt.isValid) throw new UsageError(`--now: "${value}" is not a valid date and time`);
  return dt.toJSDate();
}

export function parseArguments(argv: readonly string[]): Options {
  let nowRaw: string | undefined;
  let tz: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== '--now' && name !== '--tz') throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
    if (name === '--now') nowRaw = value;
    else tz = value;
  }
  const zone = tz ?? DEFAULT_TZ;
  if (!IANAZone.isValidZone(zone)) throw new UsageError(`--tz: unknown time zone "${zone}"`);
  if (nowRaw === undefined) throw new UsageError('--now is required: relative times ("завтра", "через 2 часа") are read against it');
  return { now: parseNow(nowRaw, zone), tz: zone };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readLine(line: string): { id: LineId; text: string | null; problem: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { id: null, text: null, problem: `not JSON (${describe(err)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { id: null, text: null, problem: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  const rawId = record['id'];
  let id: LineId = null;
  let idProblem: string | null = null;
  if (typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId))) id = rawId;
  else if (rawId !== undefined && rawId !== null) idProblem = 'id is neither a string nor a number';
  const text = record['text'];
  if (typeof text !== 'string') return { id, text: null, problem: idProblem ?? 'no string "text"' };
  return { id, text, problem: idProblem };
}

function writable(output: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      output.removeListener('drain', done);
      output.removeListener('close', done);
      output.removeListener('error', done);
      resolve();
    };
    output.once('drain', done);
    output.once('close', done);
    output.once('error', done);
  });
}

/**
 * Exit codes: 2 for bad arguments (nothing is read); otherwise 0, also when some lines were
 * malformed: each still gets its output line (at null) and a message on `errors`.
 */
export async function runParseWhen(
  argv: string[],
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream,
): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (err) {
    errors.write(`parse-when: ${describe(err)}\n${USAGE}\n`);
    return 2;
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const read = readLine(line);
    if (read.problem) errors.write(`parse-when: line ${lineNo}: ${read.problem}\n`);
    let out: { id: LineId; at: string | null; explain: string };
    if (read.text === null) {
      out = { id: read.id, at: null, explain: `unreadable input line: ${read.problem}` };
    } else {
      const w = readWhen(read.text, { now: options.now, timeZone: options.tz });
      out = { id: read.id, at: w.at ? formatInZone(w.at, options.tz) : null, explain: w.explain };
    }
    if (!output.write(`${JSON.stringify(out)}\n`)) await writable(output);
  }
  return 0;
}
