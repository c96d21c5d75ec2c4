// Wires one process for its role: HTTP port (bound first), database (migrated), job queue,
// workers. Everything is created here and passed down; stop() undoes it in reverse order.
import type { Logger } from 'pino';
import { createDb, type DbHandle } from '../db/client.ts';
import { keepHotTables } from '../db/hot-table-upkeep.ts';
import type { Config, Role } from './config.ts';
import { systemActor } from './crm/actor.ts';
import { findCompanyConfig } from './crm/company-config.ts';
import { createHttpApp } from './http/app.ts';
import { createHttpMetrics } from './http/metrics.ts';
import { listenHttp, type HttpServer } from './http/server.ts';
import { createJobs } from './jobs/create-jobs.ts';
import type { Jobs } from './jobs/job-queue.ts';
import { startReminderWorker, type ReminderWorker } from './automation/reminder-worker.ts';
import { applyPreset } from './presets/apply-preset.ts';
import { startTelegram } from '../bots/telegram/telegram-runtime.ts';
import { startWhatsApp } from '../bots/whatsapp/whatsapp-runtime.ts';
import { loadPreset } from './presets/load-preset.ts';

export class RoleConfigError extends Error {
  override name = 'RoleConfigError';
}

export interface RunningApp {
  role: Role;
  /** The port the HTTP server listens on, when this role serves HTTP. */
  httpPort: number | null;
  stop(): Promise<void>;
}

const serves = (role: Role, part: 'web' | 'worker' | 'bot') => role === 'all' || role === part;

export async function startApp(config: Config, role: Role, logger: Logger): Promise<RunningApp> {
  if (role !== 'all' && (!config.DATABASE_URL || !config.REDIS_URL)) {
    throw new RoleConfigError(
      `--role ${role} needs DATABASE_URL and REDIS_URL: the embedded database and the in-process scheduler live inside one process (use --role all)`,
    );
  }
  const log = logger.child({ role });
  const undo: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch (err) {
        log.error({ err }, 'error while stopping');
      }
    }
    undo.length = 0;
  };

  try {
    // Bound before anything else: a busy port fails the start before any update is taken.
    let http: HttpServer | null = null;
    if (serves(role, 'web')) {
      http = await listenHttp(config);
      const server = http;
      undo.push(() => server.close());
    }

    const dbHandle: DbHandle = await createDb(config);
    undo.push(() => dbHandle.close());
    await dbHandle.migrate();
    log.info({ db: dbHandle.kind }, 'database ready, migrations applied');
    const upkeep = keepHotTables({ db: dbHandle.db, logger: log });
    undo.push(async () => upkeep.stop());

    if (config.COMPANY_PRESET && !(await findCompanyConfig(dbHandle.db))) {
      const result = await applyPreset(dbHandle.db, await loadPreset(config.COMPANY_PRESET), systemActor);
      log.info({ preset: config.COMPANY_PRESET, version: result.version }, 'company preset applied on first start');
    }

    const jobs: Jobs = createJobs({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, logger: log });
    undo.push(() => jobs.close({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }));
    log.info({ driver: jobs.driver }, 'job queue ready');

    const telegram = await startTelegram({ db: dbHandle.db, config, logger: log, web: serves(role, 'web'), bot: serves(role, 'bot'), jobs });
    if (telegram) undo.push(() => telegram.stop());
    const whatsapp = await startWhatsApp({
      db: dbHandle.db,
      config,
      logger: log,
      web: serves(role, 'web'),
      bot: serves(role, 'bot'),
      jobs,
      ...(telegram ? { wakeTelegram: () => telegram.deliverer.wake() } : {}),
    });
    if (whatsapp) undo.push(() => whatsapp.stop());

    if (serves(role, 'worker')) {
      const worker: ReminderWorker = await startReminderWorker({
        db: dbHandle.db,
        jobs,
        logger: log,
        ...(telegram ? { remind: async (tx, task) => void (await telegram.notices.taskDue(task, tx)) } : {}),
      });
      undo.push(() => worker.stop());
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
    return { role, httpPort: http?.port ?? null, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
