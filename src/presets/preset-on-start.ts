// COMPANY_PRESET: the configuration a company starts with, applied on the first start only.
// Once the database has a configuration, a preset named in the environment never changes it
// silently; when it differs from the one in force, one warning says so and how to switch.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { PresetName } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { findAppliedConfiguration } from '../crm/company-config.ts';
import { applyPreset, ReplaceRequiredError } from './apply-preset.ts';
import { diffConfigurations, stableStringify } from './config-diff.ts';
import { loadPreset } from './load-preset.ts';

export type PresetOnStart = { applied: true; version: number } | { applied: false; differs: boolean };

export async function applyCompanyPresetOnStart(db: Db, name: PresetName, log: Logger): Promise<PresetOnStart> {
  const preset = await loadPreset(name);
  const found = await findAppliedConfiguration(db);
  if (!found) {
    try {
      const result = await applyPreset(db, preset, systemActor, { source: `preset:${name}` });
      // Another process starting with the same preset may have applied it first.
      if (!result.changed) return { applied: false, differs: false };
      log.info({ preset: name, version: result.version }, 'company preset applied on first start');
      return { applied: true, version: result.version };
    } catch (err) {
      // Another process applied a configuration in the meantime: it is the first start no more.
      if (!(err instanceof ReplaceRequiredError)) throw err;
      warn(log, name, { name: err.current.name, version: err.current.version, source: err.current.source }, err.changes.length);
      return { applied: false, differs: true };
    }
  }
  if (stableStringify(found.config) === stableStringify(preset)) return { applied: false, differs: false };
  warn(log, name, { name: found.config.name, version: found.version, source: found.source }, diffConfigurations(found.config, preset).length);
  return { applied: false, differs: true };
}

function warn(log: Logger, preset: string, current: { name: string; version: number; source: string | null }, changes: number): void {
  log.warn(
    { preset, configured: current.name, version: current.version, source: current.source, changes },
    `COMPANY_PRESET=${preset} not applied: the database already has configuration "${current.name}" (version ${current.version}${current.source ? `, ${current.source}` : ''}), ${changes} changes away; the preset applies on the first start only (\`chatcrm seed ${preset} --dry-run\` lists the changes, \`--replace\` applies them)`,
  );
}
