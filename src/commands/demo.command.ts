import type { Logger } from 'pino';
import { createDb } from '../../db/client.ts';
import { type Config, presetNames } from '../config.ts';
import { runCrmScenario } from '../demo/crm-scenario.ts';
import { parseOrUsage } from './args.ts';

/** Presets the demo has a scenario for; the others get theirs later. */
export const demoPresets = ['dealer'] as const;

export const usage = `usage: chatcrm demo [--preset ${demoPresets.join('|')}]   a scripted day of a company on an in-memory database (default: dealer)\n`;

/** Always embedded and in memory: the demo never touches a configured database. */
export async function demoCommand(args: string[], _config: Config, logger: Logger): Promise<number> {
  const parsed = parseOrUsage(args, { preset: { type: 'string' } }, usage);
  if (!parsed) return 2;
  if (parsed.positionals.length > 0) {
    process.stderr.write(`demo takes no argument: "${parsed.positionals[0]}"\n${usage}`);
    return 2;
  }
  const preset = parsed.values.preset ?? 'dealer';
  if (!(demoPresets as readonly string[]).includes(preset)) {
    const known = (presetNames as readonly string[]).includes(preset);
    process.stderr.write(
      known
        ? `demo --preset ${preset}: there is no demo scenario for this preset yet; demos exist for: ${demoPresets.join(', ')}\n`
        : `demo --preset ${preset}: no such preset (presets: ${presetNames.join(', ')}; demos exist for: ${demoPresets.join(', ')})\n`,
    );
    return 2;
  }
  const handle = await createDb({ DATA_DIR: 'memory://' });
  try {
    await handle.migrate();
    await runCrmScenario(handle.db, (line) => process.stdout.write(`${line}\n`));
    logger.debug({ preset }, 'demo finished');
    return 0;
  } finally {
    await handle.close();
  }
}
