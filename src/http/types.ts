import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Bot } from 'grammy';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type { DbHandle } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { Actor } from '../crm/actor.ts';
import type { Jobs } from '../jobs/job-queue.ts';
import type { HttpMetrics } from './metrics.ts';

/** What the HTTP layer needs from the process; routes never reach further. */
export interface HttpDeps {
  dbHandle: DbHandle;
  jobs: Jobs;
  /** WHATSAPP_PROVIDER=baileys mounts /api/v1/whatsapp/link for the account's QR. */
  config: Pick<Config, 'ADMIN_TOKEN'> & Partial<Pick<Config, 'WHATSAPP_PROVIDER' | 'WHATSAPP_BAILEYS_ACCOUNT' | 'METRICS_TOKEN'>> & Pick<Config, 'LEADS_WEBHOOK_TOKEN'>;
  logger: Logger;
  metrics: HttpMetrics;
  /** Extra health checks (the job queue, the bots), each answering ok or not. */
  /** Messenger webhooks this process answers. */
  webhooks?: { telegram?: { bot: Bot<any>; secretToken: string }; whatsapp?: Hono<AppEnv> };
  healthChecks?: Record<string, () => Promise<{ ok: boolean; detail?: string }>>;
  /** Called once a lead from /webhooks/leads/:source is really created (not for a repeat), so the bot can announce it; errors are logged. */
  onLeadCreated?: (leadId: number) => Promise<void>;
}

export interface AppEnv {
  Variables: {
    actor: Actor;
    logger: Logger;
    requestId: string;
  };
}

export type App = OpenAPIHono<AppEnv>;
