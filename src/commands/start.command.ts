import type { Logger } from 'pino';
import { DataDirLockedError } from '../../db/data-dir-lock.ts';
import { type Config, type Role, roles } from '../config.ts';
import { HttpListenError } from '../http/server.ts';
import { RoleConfigError, startApp, type RunningApp } from '../main.ts';
import { parseCommandArgs, UsageError } from './args.ts';

export const usage = `usage: chatcrm start [--role ${roles.join('|')}]   run the system (migrations applied first)\n`;

// Past the deadline the process exits anyway; this much more is left for the last log line.
const EXIT_MARGIN_MS = 250;

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
      process.stderr.write(`${err.message}\n${usage}`);
      return 2;
    }
    throw err;
  }

  let app: RunningApp;
  try {
    app = await startApp(config, role, logger);
  } catch (err) {
    if (err instanceof RoleConfigError || err instanceof DataDirLockedError || err instanceof HttpListenError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    logger.fatal({ err }, 'could not start');
    return 1;
  }
  return untilStopped(app, config, logger);
}

/**
 * The first SIGTERM or SIGINT stops the app within SHUTDOWN_TIMEOUT_MS: 0 when everything
 * finished, 1 with one line naming what was still running when it did not. A second signal
 * exits at once.
 */
function untilStopped(app: RunningApp, config: Pick<Config, 'SHUTDOWN_TIMEOUT_MS'>, logger: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const exitNow = async (code: number) => {
      await flush(logger);
      process.exit(code);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal, stillRunning: app.stillRunning() }, 'second signal: exiting now');
        void exitNow(1);
        return;
      }
      stopping = true;
      const started = Date.now();
      const deadline = started + config.SHUTDOWN_TIMEOUT_MS;
      logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'stopping');
      // stop() keeps to its deadline; this is for a stop that cannot even run (a blocked loop).
      const backstop = setTimeout(() => {
        logger.error({ stillRunning: app.stillRunning() }, 'stop did not end in time: exiting');
        void exitNow(1);
      }, config.SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS);
      backstop.unref();
      void app.stop(deadline).then(async (outcome) => {
        clearTimeout(backstop);
        if (!outcome.finished) {
          logger.error({ ms: Date.now() - started, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, stillRunning: outcome.stillRunning }, 'work still running at the stop deadline (SHUTDOWN_TIMEOUT_MS): exiting');
          await exitNow(1);
          return;
        }
        logger.info({ ms: Date.now() - started }, 'stopped');
        await flush(logger);
        resolve(0);
        // Everything is closed, so the process ends by itself. Should anything still hold it
        // (a socket or timer nobody closed), say what and end it anyway.
        setTimeout(() => {
          logger.warn({ handles: process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap') }, 'still running after stop: exiting');
          void exitNow(0);
        }, Math.max(0, deadline - Date.now()) + EXIT_MARGIN_MS).unref();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

function flush(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 200);
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
