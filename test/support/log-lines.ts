// Log lines as text: the project's logger writing into memory, and checks made on the text of
// a line (its bytes, its top-level keys as written) rather than on the object JSON.parse makes.
import { Writable } from 'node:stream';
import { createLogger, type Logger, type LoggerConfig } from '../../src/logger.ts';

export interface CapturedLogger {
  log: Logger;
  lines: string[];
  /** The lines written since the last call. */
  take(): string[];
}

export function captureLogger(config: LoggerConfig): CapturedLogger {
  const lines: string[] = [];
  let taken = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line);
      cb();
    },
  });
  return {
    log: createLogger(config, stream),
    lines,
    take() {
      const out = lines.slice(taken);
      taken = lines.length;
      return out;
    },
  };
}

/** The keys of a JSON object line at its top level, in order and with repeats, as written. */
export function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      expectKey = false;
      i = j;
    } else if (ch === '{' || ch === '[') {
      depth++;
      expectKey = ch === '{' && depth === 1;
    } else if (ch === '}' || ch === ']') depth--;
    else if (ch === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

export const duplicateKeys = (line: string): string[] => {
  const keys = topLevelKeys(line);
  return keys.filter((k, i) => keys.indexOf(k) !== i);
};

export const byteLength = (line: string) => Buffer.byteLength(line, 'utf8');
