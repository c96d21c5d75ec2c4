// Wires one process for its role: HTTP port (bound first), database (migrated), job queue,
// messenger channels, workers. Everything is created here and passed down; stop() undoes it in
// stages (see stop-plan.ts).
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createDb, type DbHandle } from '../db/client.ts';
import { DataDirLockedError, dataDirOwner } from '../db/data-dir-lock.ts';
import { keepHotTables } from '../db/hot-table-upkeep.ts';
import type { Config, Role } from './config.ts';
import { createHttpApp } from './http/app.ts';
import { createHttpMetrics } from './http/metrics.ts';
import { listenHttp, type HttpServer } from './http/server.ts';
import { createInProcessJobs } from './jobs/in-process-driver.ts';
import type { Jobs } from './jobs/job-queue.ts';
import { startReminderWorker } from './automation/reminder-worker.ts';
import { serveAdminCommandsIfEmbedded } from './commands/admin-commands.ts';
import { applyCompanyPresetOnStart } from './presets/preset-on-start.ts';
import { StopPlan, type StopOutcome } from './stop-plan.ts';

export class RoleConfigError extends Error {
  override name = 'RoleConfigError';
}

export interface RunningApp {
  role: Role;
  /** The port the HTTP server listens on, when this role serves HTTP. */
  httpPort: number | null;
  /**
   * Stops taking work, lets the work in hand finish until `deadline` (epoch ms; default
   * SHUTDOWN_TIMEOUT_MS from now), closes the database. Says what was left running, if anything.
   */
  stop(deadline?: number): Promise<StopOutcome>;
  /** What has not stopped yet, while stop() runs. */
  stillRunning(): string[];
}

const serves = (role: Role, part: 'web' | 'worker' | 'bot') => role === 'all' || role === part;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function startApp(config: Config, role: Role, logger: Logger): Promise<RunningApp> {
  if (role !== 'all' && (!config.DATABASE_URL || !config.REDIS_URL)) {
    throw new RoleConfigError(
      `--role ${role} needs DATABASE_URL and REDIS_URL: the embedded database and the in-process scheduler live inside one process (use --role all)`,
    );
  }
  const log = logger.child({ role });
  const plan = new StopPlan(log);
  const stop = (deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS) => plan.run(deadline, Math.max(0, deadline - Date.now()));

  try {
    // A folder another process holds is said first (the port is likely that process's too).
    const holder = config.DATABASE_URL || config.DATA_DIR.startsWith('memory://') ? null : dataDirOwner(config.DATA_DIR);
    if (holder) throw new DataDirLockedError(resolve(config.DATA_DIR), holder);
    // Bound before anything else: a busy port fails the start before any update is taken.
    let http: HttpServer | null = null;
    if (serves(role, 'web')) {
      http = await listenHttp(config);
      const server = http;
      plan.add({ stage: 'intake', name: 'HTTP server', stop: () => server.close(), busy: () => plural(server.inFlight(), 'request in flight', 'requests in flight') });
    }

    const dbHandle: DbHandle = await createDb(config);
    plan.add({ stage: 'storage', name: 'database', stop: () => dbHandle.close() });
    await dbHandle.migrate();
    log.info({ db: dbHandle.kind }, 'database ready, migrations applied');
    const upkeep = keepHotTables({ db: dbHandle.db, logger: log });
    plan.add({ stage: 'intake', name: 'table upkeep', stop: async () => upkeep.stop() });

    if (config.COMPANY_PRESET) await applyCompanyPresetOnStart(dbHandle.db, config.COMPANY_PRESET, log);

    const adminSocket = await serveAdminCommandsIfEmbedded({ config, dbHandle, logger: log });
    if (adminSocket) plan.add({ stage: 'intake', name: 'admin socket', stop: () => adminSocket.close() });

    // BullMQ and ioredis (some 15 MB resident) are loaded only by processes that use Redis.
    const jobs: Jobs = config.REDIS_URL
      ? (await import('./jobs/create-jobs.ts')).createJobs({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger: log })
      : createInProcessJobs({ prefix: config.QUEUE_PREFIX, logger: log });
    plan.add({ stage: 'queue', name: 'job queue', stop: (remainingMs) => jobs.close({ timeoutMs: remainingMs }) });
    log.info({ driver: jobs.driver }, 'job queue ready');

    // grammY and the WhatsApp transports are loaded only by processes that run them.
    const channel = { web: serves(role, 'web'), bot: serves(role, 'bot') };
    const telegram = config.TELEGRAM_BOT_TOKEN
      ? await (await import('../bots/telegram/telegram-runtime.ts')).startTelegram({ db: dbHandle.db, config, logger: log, ...channel, jobs })
      : null;
    if (telegram) plan.add({ stage: 'intake', name: 'telegram', stop: () => telegram.stop(), busy: () => plural(telegram.handling(), 'update being handled', 'updates being handled') });
    const whatsapp =
      config.WHATSAPP_PROVIDER !== 'off'
        ? await (await import('../bots/whatsapp/whatsapp-runtime.ts')).startWhatsApp({
            db: dbHandle.db,
            config,
            logger: log,
            ...channel,
            jobs,
            ...(telegram ? { wakeTelegram: () => telegram.deliverer.wake() } : {}),
          })
        : null;
    if (whatsapp) plan.add({ stage: 'intake', name: 'whatsapp', stop: () => whatsapp.stop(), busy: () => plural(whatsapp.handling(), 'message being handled', 'messages being handled') });

    if (serves(role, 'worker')) {
      const worker = await startReminderWorker({
        db: dbHandle.db,
        jobs,
        logger: log,
        ...(telegram ? { remind: async (tx, task) => void (await telegram.notices.taskDue(task, tx)) } : {}),
      });
      plan.add({ stage: 'intake', name: 'reminder sweep', stop: () => worker.stop() });
    }

    if (http) {
      const app = createHttpApp({
        dbHandle,
        jobs,
        config,
        logger: log,
        metrics: createHttpMetrics({ defaultMetrics: true }),
        healthChecks: { queue: () => jobs.health() },
        ...(telegram ? { onLeadCreated: async (leadId: number) => void (await telegram.notices.newLead(leadId)) } : {}),
        webhooks: {
          ...(telegram?.webhook ? { telegram: telegram.webhook } : {}),
          ...(whatsapp?.webhook ? { whatsapp: whatsapp.webhook } : {}),
        },
      });
      http.mount(app.fetch);
      log.info({ host: http.host, port: http.port }, 'HTTP listening');
    }

    if (serves(role, 'bot')) {
      log.info({ telegram: telegram ? config.TELEGRAM_MODE : 'off', whatsapp: config.WHATSAPP_PROVIDER }, 'messenger transports');
    }
    return { role, httpPort: http?.port ?? null, stop, stillRunning: () => plan.stillRunning() };
  } catch (err) {
    await stop();
    throw err;
  }
}
