// chatcrm seed <preset|file>: gives the company its configuration. A configuration in force is
// replaced only when asked (--replace), after the list of changes has been shown; --dry-run
// shows the list and writes nothing. Exit codes: 0 applied, unchanged or listed; 1 refused
// (another configuration is in force); 2 bad arguments or an invalid file.
import type { Logger } from 'pino';
import { presetNames, type Config } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { applyPreset, previewConfiguration, ReplaceRequiredError } from '../presets/apply-preset.ts';
import { type ConfigChange, formatChange } from '../presets/config-diff.ts';
import { type LoadedConfiguration, loadConfiguration, PresetError } from '../presets/load-preset.ts';
import type { Preset } from '../presets/preset-schema.ts';
import { parseOrUsage, withMigratedDb } from './args.ts';

export const seedUsage = `usage: chatcrm seed <preset|file> [--dry-run] [--replace]

  <preset>    a shipped preset: ${presetNames.join(', ')}
  <file>      the company's own configuration, a YAML path (./our-company.yaml);
              \`chatcrm config export\` writes the one in force in this form
  --dry-run   list what applying would change, write nothing
  --replace   apply over a configuration in force that differs: what the new one no
              longer has is archived where records use it (deals stay in their pipeline
              and stage, values stay on their records) and deleted where nothing does
`;

export async function seedCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, { replace: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, seedUsage);
  if (!parsed) return 2;
  if (parsed.values.help) {
    process.stdout.write(seedUsage);
    return 0;
  }
  const [arg, ...extra] = parsed.positionals;
  if (!arg || extra.length) {
    process.stderr.write(seedUsage);
    return 2;
  }
  let loaded: LoadedConfiguration;
  try {
    loaded = await loadConfiguration(arg);
  } catch (err) {
    if (err instanceof PresetError) {
      process.stderr.write(`${err.message}\nnothing was applied\n`);
      return 2;
    }
    throw err;
  }
  const { preset, source } = loaded;
  if (parsed.values['dry-run']) return withMigratedDb(config, async (db) => dryRun(await previewConfiguration(db, preset), loaded));
  try {
    const result = await withMigratedDb(config, (db) => applyPreset(db, preset, systemActor, { replace: parsed.values.replace === true, source: source.id }));
    logger.info({ preset: preset.name, source: source.id, version: result.version, changed: result.changed, changes: result.changes.length }, result.changed ? 'configuration applied' : 'configuration already applied, nothing changed');
    if (!result.changed) {
      process.stdout.write(`${source.label}: config version ${result.version} (unchanged)\n`);
    } else if (result.version === 1) {
      process.stdout.write(`${source.label}: config version 1 applied (${summary(preset)})\n`);
    } else {
      process.stdout.write(`${lines(result.changes)}${source.label}: config version ${result.version} applied, ${count(result.changes.length)}\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof ReplaceRequiredError)) throw err;
    logger.warn({ preset: preset.name, source: source.id, configured: err.current.name, version: err.current.version, changes: err.changes.length }, 'configuration not applied: another one is in force');
    process.stderr.write(
      `${source.label} would change the configuration in force, "${err.current.name}" (version ${err.current.version}${err.current.source ? `, ${err.current.source}` : ''}):\n` +
        lines(err.changes) +
        `nothing was changed (${count(err.changes.length)}); to apply it: chatcrm seed ${arg} --replace\n`,
    );
    return 1;
  }
}

function dryRun(plan: Awaited<ReturnType<typeof previewConfiguration>>, { source }: LoadedConfiguration): number {
  if (plan.unchanged) {
    process.stdout.write(`${source.label}: the same as config version ${plan.current!.version}, nothing would change\n`);
  } else if (!plan.current) {
    process.stdout.write(`${source.label} would be the company's first configuration:\n${lines(plan.changes)}dry run: nothing was written\n`);
  } else {
    process.stdout.write(
      `${source.label} would change the configuration in force, "${plan.current.name}" (version ${plan.current.version}${plan.current.source ? `, ${plan.current.source}` : ''}):\n` +
        `${lines(plan.changes)}dry run: nothing was written (${count(plan.changes.length)}; --replace applies them)\n`,
    );
  }
  return 0;
}

const lines = (changes: ConfigChange[]) => changes.map((c) => `  ${formatChange(c)}\n`).join('');
const count = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'}`;
const summary = (p: Preset) => {
  const stages = p.pipelines.reduce((a, pl) => a + pl.stages.length, 0);
  const fields = Object.values(p.customFields).reduce((a, list) => a + list.length, 0);
  return `${p.pipelines.length} pipelines, ${stages} stages, ${fields} custom fields, ${p.intake.questions.length} intake questions, ${p.rules.length} rules`;
};
