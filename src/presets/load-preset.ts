// A configuration comes from a shipped preset (by name) or from a company's own YAML file (by
// path). Either is validated by the preset schema; every problem is named by its line, column
// and field, so a person can fix the file without guessing.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type PresetName, presetNames } from '../config.ts';
import { type Preset, presetSchema } from './preset-schema.ts';
import { formatPath, positionOf } from './yaml-positions.ts';

/** One problem of a configuration text, where it is. */
export interface PresetIssue {
  line: number;
  col: number;
  /** `pipelines[1].stages[3].requires`, or `YAML` for a syntax error. */
  path: string;
  message: string;
}

export class PresetError extends Error {
  override name = 'PresetError';
  constructor(
    message: string,
    readonly issues: PresetIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Where a configuration came from, as recorded with its version. */
export interface ConfigurationSource {
  /** `preset:dealer` or `file:/abs/path/our-company.yaml`. */
  id: string;
  /** How to name it to a person: `dealer`, `our-company.yaml`. */
  label: string;
}

export interface LoadedConfiguration {
  preset: Preset;
  source: ConfigurationSource;
}

/** A company's file is named by a path: anything with a slash, or ending in .yaml / .yml. */
export function isConfigurationPath(arg: string): boolean {
  return arg.includes('/') || arg.includes(sep) || /\.ya?ml$/i.test(arg);
}

export function isPresetName(name: string): name is PresetName {
  return (presetNames as readonly string[]).includes(name);
}

/** A file this large is not a company configuration; the shipped ones are under 10 KB. */
const MAX_FILE_BYTES = 1024 * 1024;

export function parsePreset(text: string, source: string): Preset {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: true });
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => ({
      line: e.linePos?.[0].line ?? 1,
      col: e.linePos?.[0].col ?? 1,
      path: 'YAML',
      // The pretty message repeats the position and quotes the text; the first clause is the news.
      message: e.message.split(/ at line \d+, column \d+/)[0]!.trim(),
    }));
    throw new PresetError(describe(source, issues, 'not valid YAML'), issues, { cause: doc.errors[0] });
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    const issues = [{ line: 1, col: 1, path: 'YAML', message: cause instanceof Error ? cause.message : String(cause) }];
    throw new PresetError(describe(source, issues, 'not valid YAML'), issues, { cause });
  }
  const result = presetSchema.safeParse(withoutExtensions(raw));
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => locate(issue, (path, where) => positionOf(doc, lineCounter, path, where)));
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  throw new PresetError(describe(source, issues, 'invalid configuration'), issues, { cause: result.error });
}

/** Top-level `x-…` keys hold what other keys refer to (YAML anchors); they are not configuration. */
function withoutExtensions(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('x-')));
}

function locate(issue: z.core.$ZodIssue, at: (path: readonly PropertyKey[], where?: 'key') => { line: number; col: number; exact: boolean }): PresetIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      const { line, col } = at(path, 'key');
      return { line, col, path: formatPath(path), message: `unknown key "${key}"` };
    });
  }
  const pos = at(issue.path);
  // A key that is not in the text at all: say "missing", not "received undefined".
  const message = issue.code === 'invalid_type' && !pos.exact ? `missing (expected ${issue.expected})` : issue.message;
  return [{ line: pos.line, col: pos.col, path: formatPath(issue.path), message }];
}

function describe(source: string, issues: PresetIssue[], what: string): string {
  const lines = issues.map((i) => `${source}:${i.line}:${i.col} ${i.path}: ${i.message}`);
  return `${lines.join('\n')}\n${source}: ${what}, ${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}`;
}

export async function loadPreset(name: string): Promise<Preset> {
  return (await loadShippedPreset(name)).preset;
}

async function loadShippedPreset(name: string): Promise<LoadedConfiguration> {
  if (!isPresetName(name))
    throw new PresetError(`unknown preset "${name}" (known: ${presetNames.join(', ')}; a file of your own is named by a path such as ./${name}.yaml)`);
  const url = new URL(`./${name}.yaml`, import.meta.url);
  let text: string;
  try {
    text = await readFile(url, 'utf8');
  } catch (cause) {
    throw new PresetError(`preset "${name}" has no file ${url.pathname}`, [], { cause });
  }
  return { preset: parsePreset(text, `${name}.yaml`), source: { id: `preset:${name}`, label: name } };
}

/** A company's own YAML file, read and validated; `cwd` is where a relative path starts. */
export async function loadPresetFile(path: string, cwd = process.cwd()): Promise<LoadedConfiguration> {
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  const label = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  let text: string;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw new PresetError(`${label}: is a directory, not a YAML file`);
    if (info.size > MAX_FILE_BYTES) throw new PresetError(`${label}: ${info.size} bytes, more than a configuration holds (at most ${MAX_FILE_BYTES})`);
    text = await readFile(absolute, 'utf8');
  } catch (cause) {
    if (cause instanceof PresetError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    throw new PresetError(`${label}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? String(cause))})`, [], { cause });
  }
  return { preset: parsePreset(text, label), source: { id: `file:${absolute}`, label } };
}

/** `dealer` → the shipped preset; `./our-company.yaml` → that file. */
export function loadConfiguration(arg: string, cwd?: string): Promise<LoadedConfiguration> {
  return isConfigurationPath(arg) ? loadPresetFile(arg, cwd) : loadShippedPreset(arg);
}
