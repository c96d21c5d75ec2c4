import type { Logger } from 'pino';
import { type Config, type Role, roles } from '../config.ts';
import { HttpListenError } from '../http/server.ts';
import { RoleConfigError, startApp } from '../main.ts';
import { parseCommandArgs, UsageError } from './args.ts';

export async function startCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  let role: Role = 'all';
  try {
    const { values } = parseCommandArgs(args, { role: { type: 'string' } });
    if (values.role !== undefined) {
      if (!(roles as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
      role = values.role as Role;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\nusage: chatcrm start [--role ${roles.join('|')}]\n`);
      return 2;
    }
    throw err;
  }

  let app;
  try {
    app = await startApp(config, role, logger);
  } catch (err) {
    if (err instanceof RoleConfigError || err instanceof HttpListenError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    logger.fatal({ err }, 'could not start');
    return 1;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      // Whatever happens, the process is gone shortly after the grace period.
      const force = setTimeout(() => {
        logger.error('graceful stop took too long, exiting');
        resolve(1);
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS + 500);
      force.unref();
      app.stop().then(
        () => {
          clearTimeout(force);
          logger.info('stopped');
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(force);
          logger.error({ err }, 'error while stopping');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
