// What a logged value becomes. Errors, wherever they sit in what is logged, become what helps
// and nothing else: grammY's BotError its inner error and the update id (never `ctx`, whose
// `api` holds the bot token), GrammyError the method, code and description (never `payload`,
// the message sent), DrizzleQueryError and Postgres errors the SQLSTATE, severity, constraint,
// table and column (never the parameters, `detail` values, `where` or the query). Any other
// value is copied within limits (depth, keys, items, characters, nodes), with secret-named
// fields redacted, SQL fields omitted and, above debug, customer fields (text, phone, name…)
// replaced by their size. Class instances other than errors are named, not walked: a client,
// a socket or a context is never dumped.
import type { Scrubber } from './log-scrub.ts';

const MAX_DEPTH = 4;
const MAX_KEYS = 24;
const MAX_ITEMS = 10;
const MAX_STRING = 600;
const MIN_STRING = 40;
/** Characters of strings one log call may carry before strings are cut to MIN_STRING. */
const STRING_BUDGET = 2400;
const MAX_NODES = 150;
const MAX_CAUSES = 3;
const MAX_FRAMES = 6;

const normal = (key: string) => key.toLowerCase().replace(/[_\-\s]/g, '');

// Ends of a normalised key that name a secret.
const secretEnds = ['token', 'secret', 'password', 'passwd', 'authorization', 'cookie', 'signature', 'signature256', 'apikey', 'credentials', 'creds', 'privatekey', 'secretkey', 'noisekey', 'identitykey', 'prekey'];
const sqlKeys = new Set(['params', 'parameters', 'query', 'sql', 'where', 'internalquery']);
// A customer's words and identity; kept at debug and trace only.
const customerKeys = new Set(['text', 'caption', 'phone', 'phonenumber', 'firstname', 'lastname', 'username', 'name', 'fullname', 'email', 'location', 'vcard', 'body', 'payload', 'raw', 'rawtext', 'rawbody']);

type Kind = 'secret' | 'sql' | 'customer' | null;
function kindOf(key: string): Kind {
  const k = normal(key);
  if (secretEnds.some((end) => k.endsWith(end))) return 'secret';
  if (sqlKeys.has(k)) return 'sql';
  if (customerKeys.has(k)) return 'customer';
  return null;
}

// Error properties never copied: what is summarised elsewhere, and what holds values.
const errorSkip = new Set(['name', 'message', 'stack', 'cause', 'error', 'errors', 'ctx', 'api', 'payload', 'query', 'params', 'parameters', 'args', 'where', 'detail', 'internalQuery', 'request', 'response', 'config', 'headers', 'body', 'socket', 'options', 'length']);
const pgFields: [string, string][] = [
  ['severity', 'severity'],
  ['schema_name', 'schema'],
  ['schema', 'schema'],
  ['table_name', 'table'],
  ['table', 'table'],
  ['column_name', 'column'],
  ['column', 'column'],
  ['data_type_name', 'data_type'],
  ['dataType', 'data_type'],
  ['constraint_name', 'constraint'],
  ['constraint', 'constraint'],
  ['routine', 'routine'],
];

interface Walk {
  scrub: Scrubber;
  keepCustomer: boolean;
  nodes: number;
  chars: number;
}

export type SerializedError = { type: string; message: string; [k: string]: unknown };

export interface LogSanitizer {
  /** A copy of `value` safe to log; `keepCustomer` at debug and trace. */
  value(value: unknown, keepCustomer: boolean): unknown;
  /** The fields of a logged object (a log call's first argument, a child's bindings), copied as `value` copies. */
  fields(o: object, keepCustomer: boolean): Record<string, unknown>;
  /** The one shape every logged error takes. */
  error(err: unknown, keepCustomer?: boolean): unknown;
  text(s: string, max?: number): string;
}

export function createSanitizer(scrub: Scrubber): LogSanitizer {
  const walk = (keepCustomer: boolean): Walk => ({ scrub, keepCustomer, nodes: 0, chars: STRING_BUDGET });
  return {
    value: (value, keepCustomer) => copy(value, walk(keepCustomer), 0),
    fields: (o, keepCustomer) => copyFields(o as Record<string, unknown>, walk(keepCustomer), -1, null),
    error: (err, keepCustomer = false) => (isError(err) ? serializeError(err, walk(keepCustomer), 0) : copy(err, walk(keepCustomer), 0)),
    text: (s, max = MAX_STRING) => scrub.text(s, max),
  };
}

export function isError(v: unknown): v is Error {
  return v instanceof Error || Object.prototype.toString.call(v) === '[object Error]';
}

function str(s: string, w: Walk): string {
  const out = w.scrub.text(s, Math.min(MAX_STRING, Math.max(MIN_STRING, w.chars)));
  w.chars -= out.length;
  return out;
}

function copy(v: unknown, w: Walk, depth: number): unknown {
  switch (typeof v) {
    case 'string':
      return str(v, w);
    case 'number':
    case 'boolean':
      return v;
    case 'bigint':
      return v.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return null;
  if (++w.nodes > MAX_NODES) return '[…]';
  if (isError(v)) return serializeError(v, w, 0);
  const o = v as object;
  if (o instanceof Date) return Number.isNaN(o.getTime()) ? 'Invalid Date' : o.toISOString();
  if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer) return `[${o.byteLength} bytes]`;
  if (o instanceof Map || o instanceof Set) return `[${o.constructor.name} of ${o.size}]`;
  if (o instanceof URL) return str(o.href, w);
  if (isContext(o)) return { update_id: o.update?.update_id, chat_id: o.chat?.id };
  const proto = Object.getPrototypeOf(o) as unknown;
  if (!Array.isArray(o) && proto !== Object.prototype && proto !== null) return `[${className(o)}]`;
  if (depth >= MAX_DEPTH) return Array.isArray(o) ? `[array of ${o.length}]` : '[object]';
  if (Array.isArray(o)) {
    const items = o.slice(0, MAX_ITEMS).map((x) => copy(x, w, depth + 1));
    if (o.length > MAX_ITEMS) items.push(`…[${o.length} items]`);
    return items;
  }
  return copyFields(o as Record<string, unknown>, w, depth, null);
}

function copyFields(o: Record<string, unknown>, w: Walk, depth: number, skip: Set<string> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key in o) {
    if (!Object.prototype.hasOwnProperty.call(o, key) || skip?.has(key)) continue;
    if (++n > MAX_KEYS) {
      out['…'] = 'more fields';
      break;
    }
    let value: unknown;
    try {
      value = o[key];
    } catch {
      value = '[unreadable]';
    }
    const v = field(key, value, w, depth + 1);
    if (v !== undefined) out[w.scrub.text(key, 64)] = v;
  }
  return out;
}

function field(key: string, value: unknown, w: Walk, depth: number): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  const kind = kindOf(key);
  if (kind === 'secret' && typeof value !== 'number') return '[redacted]';
  if (kind === 'sql') return '[omitted]';
  if (kind === 'customer' && !w.keepCustomer) return typeof value === 'string' ? `[${value.length} chars]` : '[omitted]';
  return copy(value, w, depth);
}

interface ContextLike {
  update?: { update_id?: number };
  chat?: { id?: number };
  api: unknown;
}
function isContext(o: object): o is ContextLike {
  return 'update' in o && 'api' in o && 'me' in o;
}

function className(o: object): string {
  const name = (o.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name ? name : 'object';
}

function typeOf(e: Error): string {
  const ctor = className(e);
  // A bundled library's classes may be minified to a letter or two (PGlite's DatabaseError is "O").
  if (ctor.length > 2 && ctor !== 'Error' && ctor !== 'object') return ctor;
  if (typeof e.name === 'string' && e.name && e.name !== 'Error' && e.name !== 'error') return e.name;
  if (isPostgresError(e as Loose)) return 'DatabaseError';
  return ctor.length > 2 && ctor !== 'object' ? ctor : 'Error';
}

type Loose = Error & Record<string, unknown>;

function serializeError(e: Error, w: Walk, causes: number): SerializedError {
  const err = e as Loose;
  const type = typeOf(e);
  if (type === 'BotError' && 'ctx' in err) return botError(err, w, causes);
  const out: SerializedError = { type, message: '' };
  let cause: unknown = err.cause;
  let skipProps = false;
  if (type === 'GrammyError' && typeof err.method === 'string') {
    out.message = str(String(err.message), w);
    out.method = err.method;
    out.error_code = err.error_code;
    out.description = str(String(err.description ?? ''), w);
    const p = (err.parameters ?? {}) as Record<string, unknown>;
    if (p.retry_after !== undefined || p.migrate_to_chat_id !== undefined) out.parameters = { retry_after: p.retry_after, migrate_to_chat_id: p.migrate_to_chat_id };
    skipProps = true;
  } else if (type === 'HttpError' && 'error' in err) {
    out.message = str(String(err.message), w);
    cause = err.error;
    skipProps = true;
  } else if (type === 'DrizzleQueryError' || ('query' in err && 'params' in err && String(err.message).startsWith('Failed query'))) {
    const statement = statementOf(err.query);
    out.message = statement ? `Failed query: ${statement}` : 'Failed query';
    skipProps = true;
  } else if (isPostgresError(err)) {
    out.code = err.code;
    out.message = str(pgMessage(String(err.message), err.code), w);
    for (const [from, to] of pgFields) if (typeof err[from] === 'string' && out[to] === undefined) out[to] = str(err[from] as string, w);
    const detail = pgDetail(err.detail);
    if (detail) out.detail = str(detail, w);
    skipProps = true;
  } else {
    out.message = str(String(err.message ?? ''), w);
    if ((cause === undefined || cause === null) && isError(err.error)) cause = err.error;
  }
  if (!skipProps) Object.assign(out, copyFields(err, w, MAX_DEPTH - 2, errorSkip));
  if (Array.isArray(err.errors)) out.errors = err.errors.slice(0, 3).map((x) => (isError(x) ? serializeError(x, w, causes + 1) : copy(x, w, MAX_DEPTH - 1)));
  if (causes === 0) {
    const stack = framesOf(err, w);
    if (stack) out.stack = stack;
  }
  if (cause !== undefined && cause !== null) {
    if (causes >= MAX_CAUSES) out.cause = '[…]';
    else out.cause = isError(cause) ? serializeError(cause, w, causes + 1) : copy(cause, w, MAX_DEPTH - 1);
  }
  return out;
}

function botError(err: Loose, w: Walk, causes: number): SerializedError {
  const ctx = err.ctx as Partial<ContextLike> | undefined;
  const inner = err.error;
  const ids = { update_id: ctx?.update?.update_id, chat_id: ctx?.chat?.id };
  if (isError(inner)) return { ...serializeError(inner, w, causes), ...ids };
  return { type: 'BotError', message: str(String(err.message), w), ...ids };
}

function isPostgresError(e: Loose): e is Loose & { code: string } {
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && (typeof e.severity === 'string' || typeof e.routine === 'string');
}

/**
 * A data error (SQLSTATE class 22) quotes the offending value (`value "…" is out of range`) or
 * puts it after ": " (`invalid input syntax for type integer: "…"`); other classes quote
 * names (constraint, relation, column), which stay.
 */
function pgMessage(message: string, code: string): string {
  if (!code.startsWith('22')) return message;
  const i = message.indexOf(': ');
  return (i >= 0 ? `${message.slice(0, i)}: …` : message).replace(/"(?:[^"]|"")*"/g, '"…"');
}

/** "Key (phone)=(+7…) already exists." keeps its columns and loses its values; other details go. */
function pgDetail(detail: unknown): string | null {
  if (typeof detail !== 'string') return null;
  const key = /^Key \(([^)]*)\)=/.exec(detail);
  if (!key) return null;
  const tail = /\) ((?:already exists|is not present in table "[^"]*"|is still referenced from table "[^"]*")\.?)$/.exec(detail);
  return `Key (${key[1]})=(…)${tail ? ` ${tail[1]}` : ''}`;
}

/** The verb and table of a SQL statement (the writing one inside a WITH): what was tried, without a value. */
function statementOf(query: unknown): string | null {
  if (typeof query !== 'string') return null;
  const head = query.slice(0, 4000);
  const table = String.raw`("[^"]{1,63}"|[\w.]{1,63})`;
  const write = new RegExp(String.raw`\b(insert\s+into|(?<!\b(?:for|do)\s+)update|delete\s+from)\s+${table}`, 'i').exec(head);
  if (write) return `${write[1]!.toLowerCase().replace(/\s+/g, ' ')} ${write[2]}`;
  const read = new RegExp(String.raw`^\s*select\b[\s\S]*?\bfrom\s+${table}`, 'i').exec(head);
  return read ? `select … from ${read[1]}` : null;
}

/**
 * The first frames of the stack, without the message it starts with (it may hold anything; the
 * message is logged apart, shortened and scrubbed).
 */
function framesOf(e: Error, w: Walk): string | undefined {
  const stack: unknown = e.stack;
  if (typeof stack !== 'string') return undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const header = message ? `${e.name}: ${message}` : String(e.name);
  const start = stack.startsWith(header) ? header.length : stack.indexOf('\n    at ');
  if (start < 0) return undefined;
  const frames = stack
    .slice(start, start + 4000)
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, MAX_FRAMES)
    .map((l) => w.scrub.text(l.trim(), 200));
  return frames.length ? frames.join('\n') : undefined;
}
