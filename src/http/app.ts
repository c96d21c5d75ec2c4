// The Hono application: health and OpenAPI in the open, /metrics to this machine or METRICS_TOKEN,
// /api/v1 behind bearer auth.
import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bearerAuth } from './auth.ts';
import { sizeLimit } from './body-limit.ts';
import { errorResponse } from './errors.ts';
import { metricsAccess } from './metrics-access.ts';
import { healthRoute } from './routes/health.routes.ts';
import { contactsRoutes } from './routes/contacts.routes.ts';
import { dealsRoutes } from './routes/deals.routes.ts';
import { tasksRoutes } from './routes/tasks.routes.ts';
import { companiesRoutes } from './routes/companies.routes.ts';
import { leadWebhookRoutes } from './routes/lead-webhook.routes.ts';
import { leadsRoutes } from './routes/leads.routes.ts';
import { pipelinesRoutes } from './routes/pipelines.routes.ts';
import { telegramWebhookRoute } from './routes/telegram-webhook.routes.ts';
import { usersRoutes } from './routes/users.routes.ts';
import { registerMessengerWebhooks } from './routes/openapi-parts.ts';
import { whatsappLinkRoutes } from './routes/whatsapp-link.routes.ts';
import type { App, AppEnv, HttpDeps } from './types.ts';

export const API_BODY_LIMIT = 1024 * 1024;
// A 10,000-character message is ~20-40 KB of JSON; platforms stay far below this.
export const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

export function createHttpApp(deps: HttpDeps): App {
  const app = new OpenAPIHono<AppEnv>();
  const db = deps.dbHandle.db;

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || randomUUID();
    c.set('requestId', requestId);
    c.set('logger', deps.logger.child({ req: requestId }));
    // Set before the answer exists: set after, it would make @hono/node-server build the whole
    // web Response again (a stream) for every request.
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    deps.metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.metrics.duration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  });

  app.route('/health', healthRoute(deps));
  app.get('/metrics', metricsAccess(deps.config.METRICS_TOKEN), async (c) => c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }));

  app.use('/webhooks/*', sizeLimit(WEBHOOK_BODY_LIMIT, 'webhook'));
  if (deps.webhooks?.telegram) app.route('/webhooks/telegram', telegramWebhookRoute({ ...deps.webhooks.telegram, logger: deps.logger }));
  if (deps.webhooks?.whatsapp) app.route('/webhooks/whatsapp', deps.webhooks.whatsapp);
  app.route('/webhooks/leads', leadWebhookRoutes({ db, token: deps.config.LEADS_WEBHOOK_TOKEN, logger: deps.logger, onLeadCreated: deps.onLeadCreated }));

  app.use('/api/*', sizeLimit(API_BODY_LIMIT, 'request'));
  app.use('/api/*', bearerAuth(db, deps.config.ADMIN_TOKEN));
  app.route('/api/v1/contacts', contactsRoutes(db));
  app.route('/api/v1/deals', dealsRoutes(db));
  app.route('/api/v1/tasks', tasksRoutes(db, deps.jobs));
  app.route('/api/v1/leads', leadsRoutes(db));
  app.route('/api/v1/companies', companiesRoutes(db));
  app.route('/api/v1/pipelines', pipelinesRoutes(db));
  app.route('/api/v1', usersRoutes(db));
  if (deps.config.WHATSAPP_PROVIDER === 'baileys') app.route('/api/v1/whatsapp', whatsappLinkRoutes(db, deps.config.WHATSAPP_BAILEYS_ACCOUNT ?? 'default'));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  registerMessengerWebhooks(app.openAPIRegistry);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'chatcrm API', version: '1' },
    security: [{ bearer: [] }],
  });

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((err, c) => errorResponse(c, err));
  return app;
}
