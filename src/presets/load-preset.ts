import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type PresetName, presetNames } from '../config.ts';
import { type Preset, presetSchema } from './preset-schema.ts';

export class PresetError extends Error {
  override name = 'PresetError';
}

export function isPresetName(name: string): name is PresetName {
  return (presetNames as readonly string[]).includes(name);
}

export function parsePreset(text: string, source: string): Preset {
  let raw: unknown;
  try {
    raw = parse(text, { merge: true });
  } catch (cause) {
    throw new PresetError(`${source}: not valid YAML`, { cause });
  }
  const result = presetSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PresetError(`${source}: invalid preset\n${lines.join('\n')}`, { cause: result.error });
  }
  return result.data;
}

export async function loadPreset(name: string): Promise<Preset> {
  if (!isPresetName(name)) throw new PresetError(`unknown preset "${name}" (known: ${presetNames.join(', ')})`);
  const url = new URL(`./${name}.yaml`, import.meta.url);
  let text: string;
  try {
    text = await readFile(url, 'utf8');
  } catch (cause) {
    throw new PresetError(`preset "${name}" has no file ${url.pathname}`, { cause });
  }
  return parsePreset(text, `${name}.yaml`);
}
