// `chatcrm parse-replies --now <ISO datetime> [--tz <zone>]`: JSON lines {"id","text"} in,
// one contract line out per input line, same order, streamed line by line.
import { createInterface } from 'node:readline';
import { isValidCivil, isValidTimeZone, zonedTimeToInstant } from './calendar.ts';
import { toContractJson, unreadableReply, type ReplyId } from './contract.ts';
import { parseReply } from './parse-reply.ts';

const DEFAULT_TZ = 'Europe/Moscow';
const USAGE = 'usage: chatcrm parse-replies --now <ISO datetime> [--tz <zone>]  (JSON lines {"id","text"} on stdin)';

const isoRe = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * An ISO datetime. With an offset or "Z" it is that instant; without one it is read as wall
 * time in the company zone, so "--now 2026-11-23T09:00" means nine in the morning there.
 */
export function parseNowArgument(value: string, tz: string): Date {
  const m = isoRe.exec(value.trim());
  if (!m) throw new UsageError(`--now: "${value}" is not an ISO datetime such as 2026-11-23T09:00:00+03:00`);
  const [, ys, mos, ds, hs, mins, ss, frac, offset] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = hs === undefined ? 0 : Number(hs);
  const min = mins === undefined ? 0 : Number(mins);
  const s = ss === undefined ? 0 : Number(ss);
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (!isValidCivil(y, mo, d) || h > 23 || min > 59 || s > 59) {
    throw new UsageError(`--now: "${value}" is not a valid date and time`);
  }
  let instant: number;
  if (offset === undefined) {
    instant = zonedTimeToInstant({ y, m: mo, d, h, min, s, ms }, tz);
  } else {
    let offsetMinutes = 0;
    if (offset !== 'Z' && offset !== 'z') {
      const sign = offset.startsWith('-') ? -1 : 1;
      const digits = offset.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
      if (oh > 14 || om > 59) throw new UsageError(`--now: "${value}" has an invalid offset`);
      offsetMinutes = sign * (oh * 60 + om);
    }
    instant = Date.UTC(y, mo - 1, d, h, min, s, ms) - offsetMinutes * 60_000;
  }
  return new Date(instant);
}

interface Options {
  now: Date;
  tz: string;
}

export function parseArguments(argv: readonly string[]): Options {
  let nowRaw: string | undefined;
  let tz: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (name === '--now' || name === '--tz') {
      if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        i++;
      }
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (name === '--now') nowRaw = value;
      else tz = value;
      continue;
    }
    throw new UsageError(`unknown argument "${arg}"`);
  }
  const zone = tz ?? DEFAULT_TZ;
  if (!isValidTimeZone(zone)) throw new UsageError(`--tz: unknown time zone "${zone}"`);
  if (nowRaw === undefined) throw new UsageError('--now is required: relative dates ("завтра") are read against it');
  return { now: parseNowArgument(nowRaw, zone), tz: zone };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads one input line: the id to echo and the text, or why the line cannot be parsed. */
function readLine(line: string): { id: ReplyId; text: string | null; problem: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { id: null, text: null, problem: `not JSON (${describe(err)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { id: null, text: null, problem: 'not a JSON object' };
  }
  const record = value as Record<string, unknown>;
  const rawId = record['id'];
  let id: ReplyId = null;
  let idProblem: string | null = null;
  if (typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId))) id = rawId;
  else if (rawId !== undefined && rawId !== null) idProblem = 'id is neither a string nor a number';
  const text = record['text'];
  if (typeof text !== 'string') return { id, text: null, problem: idProblem ?? 'no string "text"' };
  return { id, text, problem: idProblem };
}

/** Waits for room in the output; a reader that went away (closed pipe) also ends the wait. */
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
 * malformed: those still get their line in the output and a message on `errors`, so a
 * pipeline keeps one output line per input line and is not aborted by one bad record.
 */
export async function runParseReplies(
  argv: string[],
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream,
): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (err) {
    errors.write(`parse-replies: ${describe(err)}\n${USAGE}\n`);
    return 2;
  }

  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const read = readLine(line);
    if (read.problem) errors.write(`parse-replies: line ${lineNo}: ${read.problem}\n`);
    const out =
      read.text === null
        ? unreadableReply(read.id)
        : toContractJson(parseReply(read.text, options), read.id);
    if (!output.write(`${JSON.stringify(out)}\n`)) await writable(output);
  }
  return 0;
}
