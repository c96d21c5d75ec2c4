// A tolerant multipart/form-data reader. Node 20's `Request.formData()` (undici) refuses
// what grammY sends: grammY writes part headers without spaces
// (`content-disposition:form-data;name="x";filename=a.pdf`, filename unquoted), which
// Telegram accepts, so the emulator has to accept it too.

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter has no CRLF before it; prefixing one lets a single search find all.
  const buf = Buffer.concat([Buffer.from('\r\n'), body]);
  let pos = buf.indexOf(delimiter);
  if (pos < 0) throw new MultipartError('no opening boundary');
  pos += delimiter.length;
  for (;;) {
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) break; // closing `--boundary--`
    const lineEnd = buf.indexOf('\r\n', pos);
    if (lineEnd < 0) throw new MultipartError('truncated part');
    const start = lineEnd + 2;
    const next = buf.indexOf(delimiter, start);
    if (next < 0) throw new MultipartError('no closing boundary');
    readPart(buf.subarray(start, next), fields, files);
    pos = next + delimiter.length;
  }
  return { fields, files };
}

function readPart(part: Buffer, fields: Record<string, string>, files: Map<string, UploadedFile>): void {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw new MultipartError('part without headers');
  const headers = new Map<string, string>();
  for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = dispositionParam(disposition, 'name');
  if (name === null) throw new MultipartError('part without a name');
  const content = part.subarray(headerEnd + 4);
  const filename = dispositionParam(disposition, 'filename');
  if (filename === null) {
    fields[name] = content.toString('utf8');
    return;
  }
  files.set(name, {
    field: name,
    filename,
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    bytes: Buffer.from(content),
  });
}

function dispositionParam(disposition: string, key: string): string | null {
  // An unquoted filename runs to the end of the header (grammY puts it last and does not
  // quote it, so it may contain spaces or semicolons).
  const re = key === 'filename' ? /(?:^|;)\s*filename=(?:"((?:[^"\\]|\\.)*)"|(.*)$)/i : new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(disposition);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
}
