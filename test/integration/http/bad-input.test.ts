// Bad input is a 4xx naming what is wrong, never a 500, and nothing is written: text Postgres
// cannot store in every text field of every route (generated from the OpenAPI document, so a
// new field is covered), ids that are not canonical or not there, dates out of range, numbers
// out of range, malformed or hostile bodies; and a database error that slips past the checks
// is mapped by its SQLSTATE (foreign key 422, unique 409, date-time 422), not a 500.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog, companies, contacts, deals, leads, tasks, timelineEntries, users } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { createLead } from '../../../src/crm/leads.ts';
import { errorResponse } from '../../../src/http/errors.ts';
import type { App, AppEnv } from '../../../src/http/types.ts';
import type { TestDb } from '../../support/test-db.ts';
import { ADMIN_TOKEN, caller, seededDb, type Staff, staff, testApp } from './http-test-app.ts';

const WEBHOOK_TOKEN = 'leads-webhook-secret-0123456789';

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: unknown;
  anyOf?: JsonSchema[];
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const BAD_TEXT = { nul: 'до\u0000после', 'lone surrogate': 'до\ud800после', 'lone low surrogate': '\udc00' } as const;
const UNSTORABLE = 'must not contain NUL characters or unpaired surrogates';

describe('bad input gets a 4xx naming the field, never a 500, and nothing is written', () => {
  let t: TestDb;
  let app: App;
  let anna: Staff;
  let doc: OpenApiDoc;
  const call = caller(() => app);
  const mine = { deal: 0, contact: 0, company: 0, lead: 0 };

  beforeAll(async () => {
    t = await seededDb('http_bad_input');
    anna = await staff(t, 'Анна', ['manager']);
    app = testApp(t, { LEADS_WEBHOOK_TOKEN: WEBHOOK_TOKEN });
    const a = userActor({ id: anna.id, roles: ['manager'], name: 'Анна' });
    mine.deal = (await createDeal(t.db, a, { title: 'Сделка' })).id;
    mine.contact = ((await (await call('POST', '/api/v1/contacts', anna.token, { firstName: 'Пётр' })).json()) as { id: number }).id;
    mine.company = ((await (await call('POST', '/api/v1/companies', anna.token, { name: 'ООО Колос' })).json()) as { id: number }).id;
    mine.lead = (await createLead(t.db, a, { title: 'Заявка', source: 'site' })).lead.id;
    doc = (await (await call('GET', '/openapi.json', null)).json()) as OpenApiDoc;
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  const counts = async () => ({
    contacts: await t.db.$count(contacts),
    companies: await t.db.$count(companies),
    deals: await t.db.$count(deals),
    leads: await t.db.$count(leads),
    tasks: await t.db.$count(tasks),
    timeline: await t.db.$count(timelineEntries),
    audit: await t.db.$count(auditLog),
    users: await t.db.$count(users),
    tokens: await t.db.$count(apiTokens),
  });

  /** A body each route accepts, on Anna's own records; every POST/PATCH route with a body needs one. */
  const valid: Record<string, { path: () => string; body: () => Record<string, unknown>; headers?: Record<string, string>; admin?: true }> = {
    'POST /api/v1/contacts': { path: () => '/api/v1/contacts', body: () => ({ firstName: 'Иван' }) },
    'PATCH /api/v1/contacts/{id}': { path: () => `/api/v1/contacts/${mine.contact}`, body: () => ({ position: 'агроном' }) },
    'POST /api/v1/companies': { path: () => '/api/v1/companies', body: () => ({ name: 'ООО Ромашка' }) },
    'PATCH /api/v1/companies/{id}': { path: () => `/api/v1/companies/${mine.company}`, body: () => ({ industry: 'агро' }) },
    'POST /api/v1/deals': { path: () => '/api/v1/deals', body: () => ({ title: 'Комбайн' }) },
    'PATCH /api/v1/deals/{id}': { path: () => `/api/v1/deals/${mine.deal}`, body: () => ({ comment: 'скидка' }) },
    'POST /api/v1/deals/{id}/move': { path: () => `/api/v1/deals/${mine.deal}/move`, body: () => ({ toStage: 'in_work', expectedVersion: 1 }) },
    'POST /api/v1/tasks': { path: () => '/api/v1/tasks', body: () => ({ title: 'Позвонить' }) },
    'POST /api/v1/leads': { path: () => '/api/v1/leads', body: () => ({ title: 'Заявка', source: 'site' }) },
    'POST /api/v1/leads/{id}/status': { path: () => `/api/v1/leads/${mine.lead}/status`, body: () => ({ status: 'in_work' }) },
    'POST /api/v1/leads/{id}/convert': { path: () => `/api/v1/leads/${mine.lead}/convert`, body: () => ({ title: 'Сделка' }) },
    // Staff administration: an admin's routes, spoiled by an admin.
    'POST /api/v1/users': { path: () => '/api/v1/users', body: () => ({ name: 'Ольга', roles: ['manager'] }), admin: true },
    'PATCH /api/v1/users/{id}': { path: () => `/api/v1/users/${anna.id}`, body: () => ({ department: 'продажи' }), admin: true },
    'POST /api/v1/users/{id}/handover': { path: () => `/api/v1/users/${anna.id}/handover`, body: () => ({ toUserId: anna.id }), admin: true },
    'POST /api/v1/users/{id}/tokens': { path: () => `/api/v1/users/${anna.id}/tokens`, body: () => ({ label: 'ноутбук' }), admin: true },
    'POST /webhooks/leads/{source}': { path: () => '/webhooks/leads/site', body: () => ({ name: 'Иван', phone: '+79160000001' }), headers: { 'x-chatcrm-token': WEBHOOK_TOKEN } },
  };

  const resolve = (s: JsonSchema | undefined): JsonSchema | undefined => (s?.$ref ? doc.components?.schemas?.[s.$ref.split('/').pop()!] : s);
  const takesText = (s: JsonSchema | undefined): boolean => {
    const r = resolve(s);
    if (!r) return false;
    const types = Array.isArray(r.type) ? r.type : [r.type];
    return types.includes('string') || (r.anyOf ?? []).some(takesText);
  };
  const isMap = (s: JsonSchema | undefined) => {
    const r = resolve(s);
    return !!r && r.type === 'object' && !r.properties && r.additionalProperties !== undefined;
  };

  /** The text fields of a body: top-level, one level into objects (convert's contact and company), and free maps (custom, utm). */
  function textFields(schema: JsonSchema | undefined): { path: string[]; map: boolean }[] {
    const out: { path: string[]; map: boolean }[] = [];
    for (const [name, prop] of Object.entries(resolve(schema)?.properties ?? {})) {
      const p = resolve(prop);
      if (isMap(p)) out.push({ path: [name], map: true });
      else if (takesText(p)) out.push({ path: [name], map: false });
      else if (p?.properties) for (const f of textFields(p)) out.push({ path: [name, ...f.path], map: f.map });
    }
    return out;
  }

  const bodyRoutes = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content?.['application/json'])
        .filter(([, op]) => path.startsWith('/api/v1/') || path.startsWith('/webhooks/leads'))
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, schema: op.requestBody!.content!['application/json']!.schema })),
    );

  it('every route with a JSON body has a valid body to spoil', () => {
    const routes = bodyRoutes().map((r) => r.route);
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(routes.filter((r) => !valid[r])).toEqual([]);
  });

  it('NUL and lone surrogates in every text field of every route: 422 naming the field, nothing written', async () => {
    const pairs: string[] = [];
    const before = await counts();
    for (const { route, schema } of bodyRoutes()) {
      const v = valid[route]!;
      for (const field of textFields(schema)) {
        for (const [kind, bad] of Object.entries(BAD_TEXT)) {
          const body = v.body();
          let at: Record<string, unknown> = body;
          for (const key of field.path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
          const last = field.path[field.path.length - 1]!;
          at[last] = field.map ? { note: bad } : bad;
          const res = await call(route.split(' ')[0]!, v.path(), v.admin ? ADMIN_TOKEN : anna.token, JSON.stringify(body), v.headers);
          const answer = (await res.json()) as { error?: { issues?: { field: string; message: string }[] } };
          const name = field.path.join('.');
          expect(res.status, `${route} ${name} (${kind}): ${JSON.stringify(answer)}`).toBe(422);
          expect(answer.error?.issues?.some((i) => i.field === name || i.field.startsWith(`${name}.`)), `${route} ${name} (${kind}): ${JSON.stringify(answer)}`).toBe(true);
        }
        pairs.push(`${route} ${field.path.join('.')}`);
      }
    }
    expect(await counts()).toEqual(before);
    // The issue counted 21 route/field pairs plus the lead webhook answering 500; all are here, and more.
    expect(pairs.length).toBeGreaterThanOrEqual(40);
    for (const p of ['POST /api/v1/contacts firstName', 'POST /api/v1/deals title', 'POST /api/v1/tasks description', 'POST /api/v1/leads/{id}/convert company.name', 'POST /webhooks/leads/{source} comment'])
      expect(pairs).toContain(p);
  });

  it('NUL in a query string (search, status, cursor) is a 422 naming the parameter', async () => {
    for (const [path, field] of [
      ['/api/v1/deals?q=%00', 'q'],
      ['/api/v1/contacts?q=a%00', 'q'],
      ['/api/v1/companies?q=x%00y', 'q'],
      ['/api/v1/leads?status=%00', 'status'],
      ['/api/v1/tasks?cursor=%00', 'cursor'],
    ] as const) {
      const res = await call('GET', path, anna.token);
      expect(res.status, path).toBe(422);
      expect(await res.json(), path).toMatchObject({ error: { issues: [{ field }] } });
    }
  });

  it('ids in paths are canonical positive integers: anything else is a 422 naming the parameter, never another record', async () => {
    for (const id of [`%20${mine.deal}`, `000${mine.deal}`, `+${mine.deal}`, `${mine.deal}.0`, `${mine.deal}e0`, `0x${mine.deal}`, '-1', '0', '99999999999999999999', 'abc']) {
      const res = await call('GET', `/api/v1/deals/${id}`, anna.token);
      expect(res.status, id).toBe(422);
      expect(await res.json(), id).toMatchObject({ error: { code: 'validation_failed', issues: [{ field: 'id' }] } });
    }
    expect((await call('GET', `/api/v1/deals/${mine.deal}`, anna.token)).status).toBe(200);
    for (const q of ['company_id=0001', 'company_id=1e3', 'company_id=-5']) expect((await call('GET', `/api/v1/contacts?${q}`, anna.token)).status, q).toBe(422);
    for (const q of ['pipeline_id=00', 'responsible_id=1.5', 'stage_id=99999999999999999999']) expect((await call('GET', `/api/v1/deals?${q}`, anna.token)).status, q).toBe(422);
    expect((await call('GET', '/api/v1/tasks?assignee_id=%201', anna.token)).status).toBe(422);
  });

  it('a due date: "завтра" says an ISO 8601 date-time is expected, naming dueAt; out of range is a 422, not a 500', async () => {
    const before = await counts();
    const word = await call('POST', '/api/v1/tasks', anna.token, { title: 'x', dueAt: 'завтра' });
    expect(word.status).toBe(422);
    expect(await word.json()).toMatchObject({ error: { issues: [{ field: 'dueAt', message: expect.stringContaining('ISO 8601 date-time') }] } });
    for (const dueAt of ['+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-23', 12345, true]) {
      const res = await call('POST', '/api/v1/tasks', anna.token, { title: 'x', dueAt });
      expect(res.status, String(dueAt)).toBe(422);
      expect(await res.json(), String(dueAt)).toMatchObject({ error: { issues: [{ field: 'dueAt' }] } });
    }
    expect(await counts()).toEqual(before);
    expect((await call('POST', '/api/v1/tasks', anna.token, { title: 'x', dueAt: '9999-12-31T23:59:59Z' })).status).toBe(201);
  });

  it('numbers out of range, arrays for objects, __proto__ keys, deep nesting, malformed JSON, wrong content types: 4xx', async () => {
    const before = await counts();
    const cases: [string, string, string | unknown, number, Record<string, string>?][] = [
      ['POST', '/api/v1/deals', { title: 'x', contactId: 2 ** 53 }, 422],
      ['POST', '/api/v1/deals', { title: 'x', amount: 1e12 }, 422],
      ['POST', '/api/v1/deals', '{"title":"x","amount":1e309}', 422],
      ['PATCH', `/api/v1/deals/${mine.deal}`, { expectedVersion: 2 ** 31, comment: 'x' }, 422],
      ['POST', `/api/v1/deals/${mine.deal}/move`, { toStage: 'in_work', expectedVersion: 3e9 }, 422],
      ['POST', '/api/v1/contacts', [{ firstName: 'x' }], 422],
      ['POST', '/api/v1/contacts', 'null', 422],
      ['POST', '/api/v1/contacts', '"text"', 422],
      ['POST', '/api/v1/deals', '{"title":"x","custom":{"__proto__":{"polluted":true}}}', 422],
      ['POST', '/api/v1/deals', '{"title":"x","utm":{"__proto__":"x"}}', 422],
      ['POST', '/api/v1/contacts', '{"firstName":"x","custom":{"constructor":{"prototype":{"a":1}}}}', 422],
      ['POST', '/api/v1/deals', `{"title":"x","custom":{"k":${'['.repeat(5000)}${']'.repeat(5000)}}}`, 422],
      ['POST', `/api/v1/deals/${mine.deal}/move`, `{"toStage":"in_work","expectedVersion":1,"values":{"k":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}}`, 422],
      ['POST', '/api/v1/contacts', '{"firstName": ', 400],
      ['POST', '/api/v1/contacts', '{"firstName":"x"}', 415, { 'content-type': 'text/plain' }],
      ['POST', '/api/v1/contacts', '{"firstName":"x"}', 415, { 'content-type': 'application/x-www-form-urlencoded' }],
      ['GET', '/api/v1/deals?limit=1e309', undefined, 422],
      ['GET', '/api/v1/deals?limit=-1', undefined, 422],
      ['GET', '/api/v1/deals?cursor=aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OQ', undefined, 422],
      ['POST', '/webhooks/leads/site', '{"name":"x","phone":"+79160000002","fields":{"__proto__":{"a":1}}}', 422, { 'x-chatcrm-token': WEBHOOK_TOKEN }],
      ['POST', '/webhooks/leads/site', '[1,2]', 422, { 'x-chatcrm-token': WEBHOOK_TOKEN }],
    ];
    for (const [method, path, body, status, headers] of cases) {
      const res = await call(method, path, anna.token, body, headers);
      expect(res.status, `${method} ${path} ${String(body).slice(0, 60)}: ${await res.clone().text()}`).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).not.toBe('internal');
    }
    expect(await counts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('PATCH /deals: expectedVersion is optional (last writer wins); given, a stale one is a 409 with the current version', async () => {
    const d = (await (await call('POST', '/api/v1/deals', anna.token, { title: 'Версии' })).json()) as { id: number; version: number };
    const free = await call('PATCH', `/api/v1/deals/${d.id}`, anna.token, { amount: 100 });
    expect(free.status).toBe(200);
    expect(await free.json()).toMatchObject({ amount: '100.00', version: 2 });
    const stale = await call('PATCH', `/api/v1/deals/${d.id}`, anna.token, { amount: 200, expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'version_conflict', current_version: 2 } });
    expect(await (await call('PATCH', `/api/v1/deals/${d.id}`, anna.token, { amount: 300, expectedVersion: 2 })).json()).toMatchObject({ amount: '300.00', version: 3 });
    const schema = JSON.stringify(doc.paths['/api/v1/deals/{id}']!.patch!.requestBody);
    expect(schema).toContain('expectedVersion');
    expect(schema).toContain('last writer wins');
  });

  it('the OpenAPI document describes the webhooks: leads, Telegram and WhatsApp', () => {
    expect(doc.paths['/webhooks/leads/{source}']?.post).toBeDefined();
    expect(doc.paths['/webhooks/telegram']?.post).toBeDefined();
    expect(doc.paths['/webhooks/whatsapp']?.get).toBeDefined();
    expect(doc.paths['/webhooks/whatsapp']?.post).toBeDefined();
  });

  it('a database error past the checks is mapped by its SQLSTATE: foreign key 422 and unique 409 naming the field, date-time 422', async () => {
    const fail = async (statement: Promise<unknown>) => statement.then(() => null, (e: unknown) => e);
    const errors = {
      fk: await fail(t.db.insert(deals).values({ title: 'x', pipelineId: 1, stageId: 1, contactId: 987_654_321 })),
      unique: await fail(t.db.insert(leads).values([{ title: 'x', source: 'site', status: 'new', externalKey: 'dup-key' }, { title: 'y', source: 'site', status: 'new', externalKey: 'dup-key' }])),
      datetime: await fail(t.db.execute(`select '294277-01-01'::timestamptz`)),
      nul: await fail(t.db.insert(contacts).values({ firstName: 'a\u0000b' })),
    };
    const mini = new Hono<AppEnv>();
    mini.get('/:kind', (c) => {
      throw errors[c.req.param('kind') as keyof typeof errors];
    });
    mini.onError((err, c) => errorResponse(c, err));
    const answer = async (kind: string) => {
      const res = await mini.request(`/${kind}`);
      return { status: res.status, body: (await res.json()) as { error: { code: string; issues?: { field: string }[] } } };
    };
    expect(await answer('fk')).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', issues: [{ field: 'contactId' }] } } });
    expect(await answer('unique')).toMatchObject({ status: 409, body: { error: { code: 'conflict', issues: [{ field: 'source' }] } } });
    expect(await answer('datetime')).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    expect(await answer('nul')).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
  });
});
