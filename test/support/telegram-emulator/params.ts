// Bot API parameters arrive four ways (JSON body, urlencoded form, multipart form, query
// string). In all but JSON every value is a string, and Telegram reads object parameters
// (reply_markup, entities, ...) as JSON text, so the accessors below accept both shapes.
import { badRequest } from './errors.ts';
import { boundaryOf, MultipartError, parseMultipart, type UploadedFile } from './multipart.ts';

export type Transport = 'json' | 'form' | 'multipart' | 'query' | 'webhook-reply';

export interface RawRequest {
  params: Record<string, unknown>;
  files: Map<string, UploadedFile>;
  transport: Transport;
}

export function readParams(contentType: string, body: Buffer, query: URLSearchParams): RawRequest {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const files = new Map<string, UploadedFile>();
  let transport: Transport = 'query';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length > 0 && type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('JSON object expected');
    Object.assign(params, parsed);
    transport = 'json';
  } else if (body.length > 0 && type === 'application/x-www-form-urlencoded') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    transport = 'form';
  } else if (type === 'multipart/form-data') {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw badRequest('multipart boundary is missing');
    try {
      const mp = parseMultipart(body, boundary);
      Object.assign(params, mp.fields);
      for (const [k, f] of mp.files) files.set(k, f);
    } catch (err) {
      if (err instanceof MultipartError) throw badRequest(`can't parse multipart body: ${err.message}`);
      throw err;
    }
    transport = 'multipart';
  }
  return { params, files, transport };
}

export type InputFileRef =
  | { kind: 'upload'; file: UploadedFile }
  | { kind: 'file_id'; fileId: string }
  | { kind: 'url'; url: string };

/** Typed, Telegram-tolerant reads of one request's parameters. */
export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    private readonly files: Map<string, UploadedFile> = new Map(),
  ) {}

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== null && v !== '';
  }

  str(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw badRequest(`field "${name}" must be of type String`);
  }

  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n)) throw badRequest(`field "${name}" must be of type Integer`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === '1' || v === 1) return true;
    if (v === 'false' || v === '0' || v === 0) return false;
    throw badRequest(`field "${name}" must be of type Boolean`);
  }

  /** An object or array parameter, given as JSON or as JSON text. */
  json<T>(name: string, what = `${name.replace(/_/g, ' ')} JSON object`): T | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v as T;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw badRequest(`can't parse ${what}`);
    }
  }

  /** An integer id, or `@username` for public chats. */
  chatId(name = 'chat_id'): number | string {
    const v = this.raw[name];
    if (v === undefined || v === null || v === '') throw badRequest(`${name} is empty`);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
    if (typeof v === 'string' && v.startsWith('@')) return v;
    throw badRequest('chat not found');
  }

  /** A file parameter: an upload (`attach://<part>` or a part named like the parameter), a file_id or a URL. */
  inputFile(name: string): InputFileRef | undefined {
    const v = this.raw[name];
    if (typeof v === 'string' && v.startsWith('attach://')) {
      const file = this.files.get(v.slice('attach://'.length));
      if (!file) throw badRequest(`can't find attached file "${v.slice('attach://'.length)}"`);
      return { kind: 'upload', file };
    }
    const direct = this.files.get(name);
    if (direct) return { kind: 'upload', file: direct };
    if (typeof v !== 'string' || v === '') return undefined;
    if (/^https?:\/\//i.test(v)) return { kind: 'url', url: v };
    return { kind: 'file_id', fileId: v };
  }
}
