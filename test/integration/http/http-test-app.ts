// The HTTP app on a fresh Postgres database with the dealer preset, and staff with tokens.
import { pino } from 'pino';
import type { UserRole } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createApiToken } from '../../../src/crm/api-tokens.ts';
import { createUser } from '../../../src/crm/users.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import { createHttpMetrics } from '../../../src/http/metrics.ts';
import type { App, HttpDeps } from '../../../src/http/types.ts';
import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import { applyPreset } from '../../../src/presets/apply-preset.ts';
import { loadPreset } from '../../../src/presets/load-preset.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Staff {
  id: number;
  token: string;
}

export async function seededDb(label: string): Promise<TestDb> {
  const t = await createTestPostgres(label);
  await applyPreset(t.db, await loadPreset('dealer'), systemActor);
  return t;
}

export async function staff(t: TestDb, name: string, roles: UserRole[]): Promise<Staff> {
  const u = await createUser(t.db, systemActor, { name, roles });
  return { id: u.id, token: (await createApiToken(t.db, systemActor, u.id)).token };
}

export function testApp(t: TestDb, extra: Partial<Pick<HttpDeps, 'onLeadCreated' | 'logger'>> & { LEADS_WEBHOOK_TOKEN?: string } = {}): App {
  return createHttpApp({
    dbHandle: t,
    jobs: createInProcessJobs({ logger: pino({ level: 'silent' }) }),
    config: { ADMIN_TOKEN, LEADS_WEBHOOK_TOKEN: extra.LEADS_WEBHOOK_TOKEN },
    logger: extra.logger ?? pino({ level: 'silent' }),
    metrics: createHttpMetrics(),
    onLeadCreated: extra.onLeadCreated,
  });
}

/** A JSON request with an optional bearer token; a string body is sent as it is. */
export function caller(app: () => App) {
  return async (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) =>
    app().request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
}
