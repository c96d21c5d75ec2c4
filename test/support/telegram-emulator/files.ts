// Files a bot sent or received, addressable by file_id (valid for that bot only, as on
// Telegram) and by the file_path getFile hands out for `/file/bot<token>/<file_path>`.
import { randomBytes } from 'node:crypto';
import type { Document, PhotoSize } from './types.ts';

export type FileKind = 'document' | 'photo';

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  kind: FileKind;
  bytes: Buffer;
  fileName?: string;
  mimeType?: string;
  width?: number;
  height?: number;
}

/** Telegram's getFile refuses files above 20 MB for bots. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

export class FileStore {
  private byId = new Map<string, StoredFile>();
  private byPath = new Map<string, StoredFile>();
  private seq = 0;

  add(bytes: Buffer, kind: FileKind, meta: { fileName?: string; mimeType?: string; width?: number; height?: number } = {}): StoredFile {
    this.seq += 1;
    const ext = kind === 'photo' ? 'jpg' : (extensionOf(meta.fileName) ?? 'dat');
    const file: StoredFile = {
      // Real ids are opaque base64url blobs whose first bytes encode the type; tests must not parse them.
      fileId: `${kind === 'photo' ? 'AgACAgIAAxkBAA' : 'BQACAgIAAxkBAA'}${randomBytes(36).toString('base64url')}`,
      fileUniqueId: `AgAD${randomBytes(9).toString('base64url')}`,
      filePath: `${kind === 'photo' ? 'photos' : 'documents'}/file_${this.seq}.${ext}`,
      kind,
      bytes,
      ...meta,
    };
    this.byId.set(file.fileId, file);
    this.byPath.set(file.filePath, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  atPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }

  clear(): void {
    this.byId.clear();
    this.byPath.clear();
  }

  /** A Document object for the stored file. */
  document(f: StoredFile): Document {
    return {
      file_id: f.fileId,
      file_unique_id: f.fileUniqueId,
      ...(f.fileName !== undefined ? { file_name: f.fileName } : {}),
      ...(f.mimeType !== undefined ? { mime_type: f.mimeType } : {}),
      file_size: f.bytes.length,
    };
  }

  /**
   * The PhotoSize list Telegram returns, smallest first: a thumbnail per standard size
   * below the image's own, then the image. The emulator does not rescale, so every size
   * downloads as the original bytes.
   */
  photoSizes(original: StoredFile): PhotoSize[] {
    const width = original.width ?? 0;
    const height = original.height ?? 0;
    const sizes: PhotoSize[] = [];
    for (const box of [90, 320, 800]) {
      if (Math.max(width, height) <= box) break;
      const scale = box / Math.max(width, height);
      const thumb = this.add(original.bytes, 'photo', { width: Math.round(width * scale), height: Math.round(height * scale) });
      sizes.push({ file_id: thumb.fileId, file_unique_id: thumb.fileUniqueId, width: thumb.width ?? 0, height: thumb.height ?? 0, file_size: thumb.bytes.length });
    }
    sizes.push({ file_id: original.fileId, file_unique_id: original.fileUniqueId, width, height, file_size: original.bytes.length });
    return sizes;
  }
}

function extensionOf(name: string | undefined): string | undefined {
  const m = name ? /\.([A-Za-z0-9]{1,8})$/.exec(name) : null;
  return m?.[1]?.toLowerCase();
}

const MIME_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/**
 * Telegram derives a document's mime_type from its name, not from the part's Content-Type
 * (grammY always sends application/octet-stream).
 */
export function mimeTypeFor(fileName: string | undefined, declared?: string): string | undefined {
  const ext = extensionOf(fileName);
  if (ext && MIME_BY_EXT[ext]) return MIME_BY_EXT[ext];
  if (declared && declared !== 'application/octet-stream') return declared;
  return ext ? 'application/octet-stream' : undefined;
}

/** Width and height of a PNG, JPEG or GIF; null for anything else (Telegram: IMAGE_PROCESS_FAILED). */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('ascii', 12, 16) === 'IHDR') {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && (b.toString('ascii', 0, 6) === 'GIF87a' || b.toString('ascii', 0, 6) === 'GIF89a')) {
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1] ?? 0;
      const len = b.readUInt16BE(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      i += 2 + len;
    }
  }
  return null;
}
