// The admin commands (users, token, invite) are written against a database and an output, not
// against process.stdout and a database they open: the same function runs in the CLI process
// (on Postgres, or on the embedded folder when nothing holds it) and inside the running app,
// when the CLI hands it the command over its admin socket (see admin-socket.ts).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../crm/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../crm/errors.ts';
import { UsageError } from './args.ts';

export interface Writer {
  write(text: string): unknown;
}

export interface CommandIo {
  out: Writer;
  err: Writer;
}

export const processIo: CommandIo = { out: process.stdout, err: process.stderr };

export interface AdminDeps {
  db: Db;
  io: CommandIo;
  logger: Logger;
}

/** A command: its usage, its arguments checked without touching anything, and its run. */
export interface AdminCommand<R = unknown> {
  usage: string;
  /** Throws UsageError for anything it does not take. */
  parse(args: string[]): R;
  run(request: R, deps: AdminDeps): Promise<number>;
}

/** Who the audit log names for what the CLI changes. */
export const cliActor: Actor = { userId: null, roles: ['admin'], label: 'cli' };

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `<sub> [positionals] [--options]` with the options and the number of positionals each
 * subcommand takes; anything else is a UsageError.
 */
export function parseSubcommand<S extends Record<string, { options: Options; positionals: number }>>(args: string[], subs: S) {
  const sub = args[0];
  if (sub === undefined || !Object.hasOwn(subs, sub)) throw new UsageError(sub === undefined ? 'a subcommand is needed' : `unknown subcommand "${sub}"`);
  const spec = subs[sub]!;
  let parsed;
  try {
    parsed = parseArgs({ args: args.slice(1), options: spec.options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  if (parsed.positionals.length !== spec.positionals) {
    throw new UsageError(spec.positionals === 0 ? `${sub} takes no positional argument` : `${sub} takes ${spec.positionals} argument(s): ${parsed.positionals.length} given`);
  }
  return { sub: sub as keyof S & string, values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

/** A positive whole number from the command line, or a UsageError naming where it was. */
export function idArg(value: string | boolean | undefined, what: string): number {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9]\d{0,14}$/.test(text)) throw new UsageError(`${what} must be a number such as 12${text ? ` (got "${text}")` : ''}`);
  return Number(text);
}

/**
 * The CRM's refusals as the CLI says them: bad input and unknown ids exit 2, refusals by the
 * rules (the last admin, a deactivated user) exit 1; anything else is not ours and is thrown.
 * `labels`: how a field is named on the command line (supervisorId → "supervisor 99").
 */
export function reportRefusal(err: unknown, io: CommandIo, labels: Record<string, string> = {}): number {
  if (err instanceof ValidationError) {
    io.err.write(`${err.issues.map((i) => `${labels[i.field] ?? i.field}: ${i.message}`).join('\n')}\n`);
    return 2;
  }
  if (err instanceof NotFoundError) {
    io.err.write(`no ${err.entity === 'api_token' ? 'API token' : err.entity} ${err.id}\n`);
    return 2;
  }
  if (err instanceof ConflictError) {
    io.err.write(`${err.message}\n`);
    return 1;
  }
  throw err;
}

/** Columns padded to their widest cell, for lists read in a terminal. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

export const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
