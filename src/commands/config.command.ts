// chatcrm config export [--out <file>]: the configuration in force as YAML, which
// `chatcrm seed <file>` takes back unchanged: the way a company edits its own configuration.
import { writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { findAppliedConfiguration, NotConfiguredError } from '../crm/company-config.ts';
import { configurationYaml } from '../presets/export-config.ts';
import { parseOrUsage, withMigratedDb } from './args.ts';

export const configUsage = `usage: chatcrm config export [--out <file>]

  export        write the configuration in force as YAML, to stdout or to --out <file>;
                \`chatcrm seed <file>\` applies an edited copy (--dry-run lists the changes)
`;

export async function configCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, configUsage);
  if (!parsed) return 2;
  if (parsed.values.help) {
    process.stdout.write(configUsage);
    return 0;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'export' || parsed.values.out === '') {
    process.stderr.write(configUsage);
    return 2;
  }
  const found = await withMigratedDb(config, (db) => findAppliedConfiguration(db));
  if (!found) {
    process.stderr.write(`${new NotConfiguredError().message}\n`);
    return 1;
  }
  const yaml = configurationYaml(found.config, found);
  const out = parsed.values.out;
  if (!out) {
    process.stdout.write(yaml);
    return 0;
  }
  try {
    await writeFile(out, yaml, 'utf8');
  } catch (err) {
    process.stderr.write(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 1;
  }
  logger.info({ version: found.version, out }, 'configuration exported');
  process.stdout.write(`config version ${found.version} ("${found.config.name}") written to ${out}\n`);
  return 0;
}
