// What a database error means for the caller. The services check what they can first (ids,
// text, ranges); this is the safety net for what reaches Postgres anyway, and the one place that
// recognises a database that is down (postgres.js connection errors, server shutdown codes,
// the embedded database closed), so the API answers 503 rather than 500.
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { DatabaseUnavailableError } from '../../db/client.ts';

export type DatabaseFailure =
  | { kind: 'unavailable' }
  | { kind: 'conflict'; field: string | null }
  | { kind: 'retry' }
  | { kind: 'invalid'; field: string | null; message: string };

// postgres.js (CONNECTION_*, CONNECT_TIMEOUT), Node sockets (E*), and SQLSTATEs of a server
// that is going away or will not take us: admin/crash shutdown, cannot connect now, too many
// connections, connection exceptions (class 08), a statement cancelled by its timeout.
const UNAVAILABLE = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '57014',
]);

interface PgLike {
  code?: unknown;
  detail?: unknown;
  column_name?: unknown;
  column?: unknown;
}

/** The error and its causes (and an AggregateError's errors), outermost first. */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  const queue = [err];
  while (queue.length && out.length < 10) {
    const e = queue.shift();
    if (e === null || e === undefined || out.includes(e)) continue;
    out.push(e);
    if (e instanceof Error) {
      queue.push(e.cause);
      if (e instanceof AggregateError) queue.push(...e.errors);
    }
  }
  return out;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The column a constraint error names ("Key (contact_id)=(7) is not present..."), as the API spells fields. */
function fieldOf(e: PgLike): string | null {
  const column = typeof e.column_name === 'string' ? e.column_name : typeof e.column === 'string' ? e.column : null;
  if (column) return camel(column);
  const m = typeof e.detail === 'string' ? /^Key \(([a-z_]+)(?:,|\))/.exec(e.detail) : null;
  return m ? camel(m[1]!) : null;
}

export function classifyDatabaseError(err: unknown): DatabaseFailure | null {
  for (const e of chain(err)) {
    if (e instanceof DatabaseUnavailableError) return { kind: 'unavailable' };
    const code = (e as PgLike | null)?.code;
    if (typeof code !== 'string') continue;
    if (UNAVAILABLE.has(code) || code.startsWith('08')) return { kind: 'unavailable' };
    const pg = e as PgLike;
    switch (code) {
      case '23503':
        return { kind: 'invalid', field: fieldOf(pg), message: 'refers to a record that does not exist' };
      case '23505':
        return { kind: 'conflict', field: fieldOf(pg) };
      case '23502':
        return { kind: 'invalid', field: fieldOf(pg), message: 'is required' };
      case '22007':
      case '22008':
        return { kind: 'invalid', field: fieldOf(pg), message: 'is not a date-time the database can store' };
      case '22001':
        return { kind: 'invalid', field: fieldOf(pg), message: 'is too long' };
      case '22003':
        return { kind: 'invalid', field: fieldOf(pg), message: 'is out of range' };
      case '22021':
      case '22P05':
        return { kind: 'invalid', field: fieldOf(pg), message: 'holds characters the database cannot store' };
      case '22P02':
        return { kind: 'invalid', field: fieldOf(pg), message: 'is not a valid value' };
      case '54000':
        return { kind: 'invalid', field: fieldOf(pg), message: 'is too large' };
      case '40001':
      case '40P01':
        return { kind: 'retry' };
    }
  }
  return null;
}

/**
 * What to log about an error: its name, codes and the innermost message; never the parameters a
 * failed query carried (a customer's text or phone), which Drizzle puts in its own message.
 */
export function errorSummary(err: unknown): Record<string, unknown> {
  const all = chain(err);
  const root = all[all.length - 1];
  const query = all.find((e): e is DrizzleQueryError => e instanceof DrizzleQueryError);
  const codes = all.map((e) => (e as PgLike | null)?.code).filter((c) => typeof c === 'string');
  return {
    type: all.map((e) => (e instanceof Error ? e.name : typeof e)).join(' <- '),
    ...(codes.length ? { code: codes.join(',') } : {}),
    message: root instanceof Error ? root.message.slice(0, 500) : String(root).slice(0, 200),
    ...(query ? { query: query.query.slice(0, 300), params: query.params.length } : {}),
    ...(root instanceof Error && !query && root.stack ? { stack: root.stack.split('\n').slice(0, 8).join('\n') } : {}),
  };
}
