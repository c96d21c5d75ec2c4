import type { Logger } from 'pino';
import { createDb } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { systemActor } from '../crm/actor.ts';
import { applyPreset } from '../presets/apply-preset.ts';
import { loadPreset, PresetError } from '../presets/load-preset.ts';

export const usage = 'usage: chatcrm seed <preset>   (dealer, b2b-supply, accessories, freight, lab)\n';

export async function seedCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  const name = args[0];
  if (!name) {
    process.stderr.write(usage);
    return 2;
  }
  let preset;
  try {
    preset = await loadPreset(name);
  } catch (err) {
    if (err instanceof PresetError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const handle = await createDb(config);
  try {
    await handle.migrate();
    const result = await applyPreset(handle.db, preset, systemActor);
    logger.info({ preset: name, ...result }, result.changed ? 'preset applied' : 'preset already applied, nothing changed');
    process.stdout.write(`${name}: config version ${result.version}${result.changed ? '' : ' (unchanged)'}\n`);
    return 0;
  } finally {
    await handle.close();
  }
}
