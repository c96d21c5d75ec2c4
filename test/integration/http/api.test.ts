import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/crm/actor.ts';
import { createApiToken } from '../../../src/crm/api-tokens.ts';
import { createUser } from '../../../src/crm/users.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import { createHttpMetrics } from '../../../src/http/metrics.ts';
import type { App } from '../../../src/http/types.ts';
import { applyPreset } from '../../../src/presets/apply-preset.ts';
import { loadPreset } from '../../../src/presets/load-preset.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const METRICS_TOKEN = 'test-metrics-token-0123456789';

describe('HTTP API', () => {
  let t: TestDb;
  let app: App;
  let managerA: { id: number; token: string };
  let managerB: { id: number; token: string };
  let queueOk = true;

  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await createTestPostgres('http');
    await applyPreset(t.db, await loadPreset('dealer'), systemActor);
    const mk = async (name: string) => {
      const u = await createUser(t.db, systemActor, { name, roles: ['manager'] });
      return { id: u.id, token: (await createApiToken(t.db, systemActor, u.id)).token };
    };
    managerA = await mk('Анна');
    managerB = await mk('Борис');
    app = createHttpApp({
      dbHandle: t,
      jobs: createInProcessJobs({ logger: pino({ level: 'silent' }) }),
      config: { ADMIN_TOKEN, METRICS_TOKEN },
      logger: pino({ level: 'silent' }),
      metrics: createHttpMetrics(),
      healthChecks: { queue: async () => ({ ok: queueOk, detail: 'test' }) },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('every answer carries its request id, the one given or a new one, errors and unknown routes too', async () => {
    const given = await app.request('/health', { headers: { 'x-request-id': 'req-from-the-proxy' } });
    expect(given.headers.get('x-request-id')).toBe('req-from-the-proxy');
    const fresh = [await call('GET', '/health', null), await call('GET', '/api/v1/contacts', null), await call('GET', '/no/such/route', null)];
    expect(fresh.map((r) => r.status)).toEqual([200, 401, 404]);
    const ids = fresh.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('health answers 200 when database and queue answer, 503 naming the one that does not', async () => {
    const ok = await call('GET', '/health', null);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true }, queue: { ok: true } } });
    queueOk = false;
    const bad = await call('GET', '/health', null);
    queueOk = true;
    expect(bad.status).toBe(503);
    expect(await bad.json()).toMatchObject({ status: 'unavailable', checks: { queue: { ok: false } } });
  });

  it('refuses requests without a valid bearer token', async () => {
    expect((await call('GET', '/api/v1/deals', null)).status).toBe(401);
    expect((await call('GET', '/api/v1/deals', 'wrong-token-123456')).status).toBe(401);
    const res = await call('GET', '/api/v1/contacts', 'Basic abc');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await call('GET', '/api/v1/deals', ADMIN_TOKEN)).status).toBe(200);
  });

  it('creates and moves a deal; requirements, stale version and unknown stage are clear errors', async () => {
    const created = await call('POST', '/api/v1/deals', managerA.token, { title: 'Каток ДУ-84', amount: 7_200_000 });
    expect(created.status).toBe(201);
    const deal = (await created.json()) as { id: number; version: number; amount: string; responsibleId: number };
    expect(deal.amount).toBe('7200000.00');
    expect(deal.responsibleId).toBe(managerA.id);

    const missing = await call('POST', `/api/v1/deals/${deal.id}/move`, managerA.token, { toStage: 'lost', expectedVersion: 1 });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ error: { code: 'requirements_not_met', missing: ['loss_reason'] } });

    const unknown = await call('POST', `/api/v1/deals/${deal.id}/move`, managerA.token, { toStage: 'moon', expectedVersion: 1 });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_stage' } });

    const moved = await call('POST', `/api/v1/deals/${deal.id}/move`, managerA.token, { toStage: 'in_work', expectedVersion: 1 });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ version: 2 });

    const stale = await call('POST', `/api/v1/deals/${deal.id}/move`, managerA.token, { toStage: 'lost', expectedVersion: 1, values: { loss_reason: 'x' } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'version_conflict', current_version: 2 } });
  });

  it('validates bodies and params with a 422 listing the fields; malformed JSON is a 400', async () => {
    const bad = await call('POST', '/api/v1/contacts', managerA.token, { email: 'not-an-email', phone: '12' });
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { issues: { field: string }[] } };
    expect(body.error.issues.map((i) => i.field).sort()).toEqual(['email', 'phone']);
    const malformed = await call('POST', '/api/v1/contacts', managerA.token, '{"firstName": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect((await call('GET', '/api/v1/deals/abc', managerA.token)).status).toBe(422);
    expect((await call('GET', '/api/v1/deals/999999', managerA.token)).status).toBe(404);
    const huge = await call('POST', '/api/v1/contacts', managerA.token, { comment: 'я'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('object-level checks: a manager cannot read or move another manager deal', async () => {
    const res = await call('POST', '/api/v1/deals', managerB.token, { title: 'Чужая' });
    const foreign = (await res.json()) as { id: number };
    expect((await call('GET', `/api/v1/deals/${foreign.id}`, managerA.token)).status).toBe(403);
    expect((await call('POST', `/api/v1/deals/${foreign.id}/move`, managerA.token, { toStage: 'in_work', expectedVersion: 1 })).status).toBe(403);
    expect((await call('PATCH', `/api/v1/deals/${foreign.id}`, managerA.token, { expectedVersion: 1, amount: 1 })).status).toBe(403);
    const list = (await (await call('GET', '/api/v1/deals?limit=200', managerA.token)).json()) as { items: { id: number }[] };
    expect(list.items.map((d) => d.id)).not.toContain(foreign.id);
    expect((await call('GET', `/api/v1/deals/${foreign.id}`, ADMIN_TOKEN)).status).toBe(200);
  });

  it('lists with limit and cursor until next_cursor is null', async () => {
    for (let i = 0; i < 5; i++) await call('POST', '/api/v1/contacts', managerB.token, { firstName: `К${i}` });
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call('GET', `/api/v1/contacts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, managerB.token);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { id: number }[]; next_cursor: string | null };
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(pages).toBe(3);
    expect((await call('GET', '/api/v1/contacts?cursor=garbage', managerB.token)).status).toBe(422);
  });

  it('serves the OpenAPI document and Prometheus metrics', async () => {
    const doc = (await (await call('GET', '/openapi.json', null)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/contacts', '/api/v1/deals', '/api/v1/deals/{id}/move']));
    expect((await call('GET', '/metrics', null)).status).toBe(401);
    const metrics = await (await call('GET', '/metrics', METRICS_TOKEN)).text();
    expect(metrics).toMatch(/chatcrm_http_requests_total\{method="POST",route="\/api\/v1\/deals",status="201"\} \d+/);
  });
});
