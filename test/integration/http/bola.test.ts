// Object-level authorization over the whole API, generated from the OpenAPI document: every
// route with an {id} and every id a request body may carry gets a case, and a route or a body
// field without one fails the test, so a new route is covered when it is added.
//
// Anna owns a deal, its contact and company, a lead and a task; Vera observes the deal, the
// contact and the company; Boris is another manager. Boris never reads, changes, links or
// takes over any of Anna's records; Vera reads what she observes (that is what observing is)
// but never changes or takes it over. After every refused request the database is compared,
// not only the status.
import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog, companies, contacts, deals, leads, staffInvites, tasks, timelineEntries, users } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { createContact } from '../../../src/crm/contacts.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { createLead } from '../../../src/crm/leads.ts';
import { createTask } from '../../../src/crm/tasks.ts';
import type { App } from '../../../src/http/types.ts';
import type { TestDb } from '../../support/test-db.ts';
import { caller, seededDb, type Staff, staff, testApp } from './http-test-app.ts';

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
}

const NOBODY = 987_654_321;

/** Body fields that carry an id (…Id, …Ids), nested ones as "contact.companyId". */
function idFields(doc: OpenApiDoc, schema: JsonSchema | undefined, prefix = '', depth = 0): string[] {
  if (!schema || depth > 5) return [];
  if (schema.$ref) return idFields(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!], prefix, depth + 1);
  const out: string[] = [];
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...idFields(doc, alt, prefix, depth + 1));
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (/Ids?$/.test(name)) out.push(path);
    else out.push(...idFields(doc, prop, path, depth + 1));
  }
  return [...new Set(out)];
}

describe('BOLA: no record of another is read, changed, linked or taken over, over every {id} route and every body id', () => {
  let t: TestDb;
  let app: App;
  let anna: Staff;
  let vera: Staff;
  let boris: Staff;
  let doc: OpenApiDoc;
  const call = caller(() => app);
  const ids = { deal: 0, contact: 0, company: 0, lead: 0, task: 0, annaToken: 0 };
  /** Each actor's own records, to carry ids in their bodies. */
  const own = new Map<number, { deal: number; contact: number; company: number; lead: () => Promise<number> }>();

  beforeAll(async () => {
    t = await seededDb('bola');
    anna = await staff(t, 'Анна', ['manager']);
    vera = await staff(t, 'Вера', ['manager']);
    boris = await staff(t, 'Борис', ['manager']);
    app = testApp(t);
    const a = userActor({ id: anna.id, roles: ['manager'], name: 'Анна' });
    const company = await createCompany(t.db, a, { name: 'ООО Анны', observerIds: [vera.id] });
    const contact = await createContact(t.db, a, { firstName: 'Клиент Анны', companyId: company.id, observerIds: [vera.id] });
    const deal = await createDeal(t.db, a, { title: 'Сделка Анны', contactId: contact.id, companyId: company.id, observerIds: [vera.id], amount: 1000 });
    const lead = (await createLead(t.db, a, { title: 'Заявка Анны', source: 'site', contactId: contact.id })).lead;
    const task = await createTask(t.db, a, { title: 'Задача Анны', entityType: 'deal', entityId: deal.id });
    const [annaToken] = await t.db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.userId, anna.id));
    Object.assign(ids, { deal: deal.id, contact: contact.id, company: company.id, lead: lead.id, task: task.id, annaToken: annaToken!.id });
    for (const s of [vera, boris]) {
      const me = userActor({ id: s.id, roles: ['manager'], name: String(s.id) });
      let n = 0;
      own.set(s.id, {
        deal: (await createDeal(t.db, me, { title: 'своя' })).id,
        contact: (await createContact(t.db, me, { firstName: 'свой' })).id,
        company: (await createCompany(t.db, me, { name: `своя ${s.id}` })).id,
        // A lead is used up by a conversion: a fresh one each time.
        lead: async () => (await createLead(t.db, me, { title: `своя заявка ${++n}`, source: 'site' })).lead.id,
      });
    }
    doc = (await (await call('GET', '/openapi.json', null)).json()) as OpenApiDoc;
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  const annaRecords = () => [
    { type: 'deal' as const, id: ids.deal },
    { type: 'contact' as const, id: ids.contact },
    { type: 'company' as const, id: ids.company },
    { type: 'lead' as const, id: ids.lead },
    { type: 'task' as const, id: ids.task },
  ];

  /** Anna's rows as they are, their history and audit, and every row of anyone that links to them. */
  async function state() {
    const [deal] = await t.db.select().from(deals).where(eq(deals.id, ids.deal));
    const [contact] = await t.db.select().from(contacts).where(eq(contacts.id, ids.contact));
    const [company] = await t.db.select().from(companies).where(eq(companies.id, ids.company));
    const [lead] = await t.db.select().from(leads).where(eq(leads.id, ids.lead));
    const [task] = await t.db.select().from(tasks).where(eq(tasks.id, ids.task));
    const onAnnas = (type: typeof timelineEntries.entityType | typeof auditLog.entityType, id: typeof timelineEntries.entityId | typeof auditLog.entityId) =>
      or(...annaRecords().map((r) => and(sql`${type}::text = ${r.type}`, eq(id, r.id))));
    const history = await t.db.select({ id: timelineEntries.id }).from(timelineEntries).where(onAnnas(timelineEntries.entityType, timelineEntries.entityId));
    const audit = await t.db.select({ id: auditLog.id }).from(auditLog).where(onAnnas(auditLog.entityType, auditLog.entityId));
    const links = {
      deals: await t.db.select({ id: deals.id }).from(deals).where(and(ne(deals.id, ids.deal), or(eq(deals.contactId, ids.contact), eq(deals.companyId, ids.company), eq(deals.leadId, ids.lead)))),
      contacts: await t.db.select({ id: contacts.id }).from(contacts).where(and(ne(contacts.id, ids.contact), eq(contacts.companyId, ids.company))),
      leads: await t.db.select({ id: leads.id }).from(leads).where(and(ne(leads.id, ids.lead), or(eq(leads.contactId, ids.contact), eq(leads.companyId, ids.company)))),
      tasks: await t.db.select({ id: tasks.id }).from(tasks).where(and(ne(tasks.id, ids.task), or(...annaRecords().map((r) => and(eq(tasks.entityType, r.type), eq(tasks.entityId, r.id)))))),
    };
    // The staff: who they are, their roles and tokens, and the invites made for them.
    const people = {
      users: await t.db.select().from(users).orderBy(users.id),
      tokens: await t.db.select().from(apiTokens).orderBy(apiTokens.id),
      invites: await t.db.select({ id: staffInvites.id }).from(staffInvites),
    };
    return { records: { deal, contact, company, lead, task }, history: history.length, audit: audit.length, links, people };
  }
  const dealVersion = async () => (await t.db.select({ v: deals.version }).from(deals).where(eq(deals.id, ids.deal)))[0]!.v;

  // ---- every route with an {id}, on Anna's record --------------------------------------------

  type Who = 'other' | 'observer';
  interface IdCase {
    /** Anna's record the path names. */
    id: () => number;
    /** The body a taker would send: himself as responsible and observer, the deal moved, the lead converted. */
    body?: (me: Staff) => Promise<unknown> | unknown;
    /** What the observer may do on it: read it (a GET of what he observes); anything else is refused. */
    observerReads?: boolean;
  }
  const idCases: Record<string, IdCase> = {
    'GET /api/v1/contacts/{id}': { id: () => ids.contact, observerReads: true },
    'GET /api/v1/contacts/{id}/channels': { id: () => ids.contact, observerReads: true },
    'PATCH /api/v1/contacts/{id}': { id: () => ids.contact, body: (me) => ({ responsibleId: me.id, observerIds: [me.id], comment: 'моё' }) },
    'GET /api/v1/companies/{id}': { id: () => ids.company, observerReads: true },
    'PATCH /api/v1/companies/{id}': { id: () => ids.company, body: (me) => ({ responsibleId: me.id, observerIds: [me.id], name: 'Моя' }) },
    'GET /api/v1/deals/{id}': { id: () => ids.deal, observerReads: true },
    'PATCH /api/v1/deals/{id}': { id: () => ids.deal, body: async (me) => ({ expectedVersion: await dealVersion(), responsibleId: me.id, observerIds: [me.id], amount: 1 }) },
    'POST /api/v1/deals/{id}/move': { id: () => ids.deal, body: async () => ({ toStage: 'in_work', expectedVersion: await dealVersion() }) },
    'GET /api/v1/leads/{id}': { id: () => ids.lead },
    'POST /api/v1/leads/{id}/status': { id: () => ids.lead, body: () => ({ status: 'in_work' }) },
    'POST /api/v1/leads/{id}/convert': { id: () => ids.lead, body: () => ({ title: 'моя сделка' }) },
    'GET /api/v1/tasks/{id}': { id: () => ids.task },
    'POST /api/v1/tasks/{id}/complete': { id: () => ids.task },
    // Staff administration is for admins: a manager, observer of anything or not, is refused.
    'GET /api/v1/users/{id}': { id: () => anna.id },
    'PATCH /api/v1/users/{id}': { id: () => anna.id, body: (me) => ({ roles: ['admin'], supervisorId: me.id, name: 'Моя' }) },
    'GET /api/v1/users/{id}/open-records': { id: () => anna.id },
    'POST /api/v1/users/{id}/deactivate': { id: () => anna.id },
    'POST /api/v1/users/{id}/reactivate': { id: () => anna.id },
    'POST /api/v1/users/{id}/handover': { id: () => anna.id, body: (me) => ({ toUserId: me.id }) },
    'GET /api/v1/users/{id}/tokens': { id: () => anna.id },
    'POST /api/v1/users/{id}/tokens': { id: () => anna.id, body: () => ({ label: 'моё' }) },
    'POST /api/v1/users/{id}/invites': { id: () => anna.id },
    'DELETE /api/v1/tokens/{id}': { id: () => ids.annaToken },
  };

  const idRoutes = () =>
    Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/') && path.includes('{id}'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

  it('every {id} route of /api/v1 in the OpenAPI document has a case', () => {
    const routes = idRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(23);
    expect(routes.filter((r) => !idCases[r])).toEqual([]);
  });

  for (const who of ['other', 'observer'] as Who[]) {
    it(`as ${who === 'other' ? 'another manager' : 'an observer'}: every {id} route on Anna's records is refused (or, for the observer, read) and nothing changes`, async () => {
      const me = who === 'other' ? boris : vera;
      const before = await state();
      for (const route of idRoutes()) {
        const c = idCases[route]!;
        const [method, template] = route.split(' ') as [string, string];
        const path = template.replace('{id}', String(c.id()));
        const res = await call(method, path, me.token, c.body ? await c.body(me) : method === 'GET' ? undefined : {});
        const text = await res.text();
        if (who === 'observer' && c.observerReads) expect(res.status, `${route}: ${text}`).toBe(200);
        else {
          expect(res.status, `${route}: ${text}`).toBe(403);
          // Nothing of the record in the refusal.
          expect(text, route).not.toMatch(/Анн|Клиент|Задача|Заявка Анны/);
        }
        expect(await state(), route).toEqual(before);
      }
      // Anna still has all of it.
      expect((await call('GET', `/api/v1/deals/${ids.deal}`, anna.token)).status).toBe(200);
      expect((await call('GET', `/api/v1/tasks/${ids.task}`, anna.token)).status).toBe(200);
    });
  }

  // ---- every id a body may carry -------------------------------------------------------------

  interface BodyCase {
    /** The request carrying the id: the path (on the actor's own record) and the body. */
    request: (me: Staff, value: unknown) => Promise<{ path: string; body: Record<string, unknown> }>;
    /** What the field gets: one of Anna's records, or someone (something) that does not exist. */
    value: () => number;
    /** What it is; Vera reads Anna's deal, contact and company, not her lead; nobody reads what does not exist. */
    kind: 'contact' | 'company' | 'lead' | 'missing';
    /** The field the 422 names for another manager. */
    field?: string;
    /** A route for admins only: a manager gets 403 whatever the body holds. */
    adminOnly?: boolean;
  }
  const mine = (me: Staff) => own.get(me.id)!;
  const person = () => NOBODY;
  const bodyCases: Record<string, BodyCase> = {
    'POST /api/v1/contacts companyId': { request: async (_, v) => ({ path: '/api/v1/contacts', body: { firstName: 'x', companyId: v } }), value: () => ids.company, kind: 'company' },
    'POST /api/v1/contacts responsibleId': { request: async (_, v) => ({ path: '/api/v1/contacts', body: { firstName: 'x', responsibleId: v } }), value: person, kind: 'missing' },
    'POST /api/v1/contacts observerIds': { request: async (_, v) => ({ path: '/api/v1/contacts', body: { firstName: 'x', observerIds: [v] } }), value: person, kind: 'missing' },
    'PATCH /api/v1/contacts/{id} companyId': { request: async (me, v) => ({ path: `/api/v1/contacts/${mine(me).contact}`, body: { companyId: v } }), value: () => ids.company, kind: 'company' },
    'PATCH /api/v1/contacts/{id} responsibleId': { request: async (me, v) => ({ path: `/api/v1/contacts/${mine(me).contact}`, body: { responsibleId: v } }), value: person, kind: 'missing' },
    'PATCH /api/v1/contacts/{id} observerIds': { request: async (me, v) => ({ path: `/api/v1/contacts/${mine(me).contact}`, body: { observerIds: [v] } }), value: person, kind: 'missing' },
    'POST /api/v1/companies responsibleId': { request: async (_, v) => ({ path: '/api/v1/companies', body: { name: 'x', responsibleId: v } }), value: person, kind: 'missing' },
    'POST /api/v1/companies observerIds': { request: async (_, v) => ({ path: '/api/v1/companies', body: { name: 'x', observerIds: [v] } }), value: person, kind: 'missing' },
    'PATCH /api/v1/companies/{id} responsibleId': { request: async (me, v) => ({ path: `/api/v1/companies/${mine(me).company}`, body: { responsibleId: v } }), value: person, kind: 'missing' },
    'PATCH /api/v1/companies/{id} observerIds': { request: async (me, v) => ({ path: `/api/v1/companies/${mine(me).company}`, body: { observerIds: [v] } }), value: person, kind: 'missing' },
    'POST /api/v1/deals pipelineId': { request: async (_, v) => ({ path: '/api/v1/deals', body: { title: 'x', pipelineId: v } }), value: person, kind: 'missing' },
    'POST /api/v1/deals responsibleId': { request: async (_, v) => ({ path: '/api/v1/deals', body: { title: 'x', responsibleId: v } }), value: person, kind: 'missing' },
    'POST /api/v1/deals observerIds': { request: async (_, v) => ({ path: '/api/v1/deals', body: { title: 'x', observerIds: [v] } }), value: person, kind: 'missing' },
    'POST /api/v1/deals contactId': { request: async (_, v) => ({ path: '/api/v1/deals', body: { title: 'x', contactId: v } }), value: () => ids.contact, kind: 'contact' },
    'POST /api/v1/deals companyId': { request: async (_, v) => ({ path: '/api/v1/deals', body: { title: 'x', companyId: v } }), value: () => ids.company, kind: 'company' },
    'POST /api/v1/deals leadId': { request: async (_, v) => ({ path: '/api/v1/deals', body: { title: 'x', leadId: v } }), value: () => ids.lead, kind: 'lead' },
    'PATCH /api/v1/deals/{id} responsibleId': { request: async (me, v) => ({ path: `/api/v1/deals/${mine(me).deal}`, body: { responsibleId: v } }), value: person, kind: 'missing' },
    'PATCH /api/v1/deals/{id} observerIds': { request: async (me, v) => ({ path: `/api/v1/deals/${mine(me).deal}`, body: { observerIds: [v] } }), value: person, kind: 'missing' },
    'PATCH /api/v1/deals/{id} contactId': { request: async (me, v) => ({ path: `/api/v1/deals/${mine(me).deal}`, body: { contactId: v } }), value: () => ids.contact, kind: 'contact' },
    'PATCH /api/v1/deals/{id} companyId': { request: async (me, v) => ({ path: `/api/v1/deals/${mine(me).deal}`, body: { companyId: v } }), value: () => ids.company, kind: 'company' },
    'POST /api/v1/tasks assigneeId': { request: async (_, v) => ({ path: '/api/v1/tasks', body: { title: 'x', assigneeId: v } }), value: person, kind: 'missing' },
    'POST /api/v1/tasks entityId': { request: async (_, v) => ({ path: '/api/v1/tasks', body: { title: 'x', entityType: 'lead', entityId: v } }), value: () => ids.lead, kind: 'lead' },
    'POST /api/v1/leads contactId': { request: async (_, v) => ({ path: '/api/v1/leads', body: { title: 'x', source: 'site', contactId: v } }), value: () => ids.contact, kind: 'contact' },
    'POST /api/v1/leads companyId': { request: async (_, v) => ({ path: '/api/v1/leads', body: { title: 'x', source: 'site', companyId: v } }), value: () => ids.company, kind: 'company' },
    'POST /api/v1/leads responsibleId': { request: async (_, v) => ({ path: '/api/v1/leads', body: { title: 'x', source: 'site', responsibleId: v } }), value: person, kind: 'missing' },
    'POST /api/v1/leads/{id}/convert contact.companyId': {
      request: async (me, v) => ({ path: `/api/v1/leads/${await mine(me).lead()}/convert`, body: { contact: { firstName: 'x', companyId: v } } }),
      value: () => ids.company,
      kind: 'company',
    },
    'POST /api/v1/leads/{id}/convert contact.responsibleId': {
      request: async (me, v) => ({ path: `/api/v1/leads/${await mine(me).lead()}/convert`, body: { contact: { firstName: 'x', responsibleId: v } } }),
      value: person,
      kind: 'missing',
    },
    'POST /api/v1/leads/{id}/convert contact.observerIds': {
      request: async (me, v) => ({ path: `/api/v1/leads/${await mine(me).lead()}/convert`, body: { contact: { firstName: 'x', observerIds: [v] } } }),
      value: person,
      kind: 'missing',
    },
    'POST /api/v1/leads/{id}/convert company.responsibleId': {
      request: async (me, v) => ({ path: `/api/v1/leads/${await mine(me).lead()}/convert`, body: { company: { name: 'x', responsibleId: v } } }),
      value: person,
      kind: 'missing',
    },
    'POST /api/v1/users supervisorId': { request: async (me) => ({ path: '/api/v1/users', body: { name: 'x', roles: ['admin'], supervisorId: me.id } }), value: person, kind: 'missing', adminOnly: true },
    'PATCH /api/v1/users/{id} supervisorId': { request: async (me) => ({ path: `/api/v1/users/${anna.id}`, body: { supervisorId: me.id } }), value: person, kind: 'missing', adminOnly: true },
    'PATCH /api/v1/users/{id} telegramUserId': { request: async () => ({ path: `/api/v1/users/${anna.id}`, body: { telegramUserId: null } }), value: person, kind: 'missing', adminOnly: true },
    'POST /api/v1/users/{id}/handover toUserId': { request: async (me) => ({ path: `/api/v1/users/${anna.id}/handover`, body: { toUserId: me.id } }), value: person, kind: 'missing', adminOnly: true },
    'POST /api/v1/leads/{id}/convert company.observerIds': {
      request: async (me, v) => ({ path: `/api/v1/leads/${await mine(me).lead()}/convert`, body: { company: { name: 'x', observerIds: [v] } } }),
      value: person,
      kind: 'missing',
    },
  };

  const bodyIdFields = () =>
    Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, ops]) =>
        Object.entries(ops).flatMap(([method, op]) => idFields(doc, op.requestBody?.content?.['application/json']?.schema).map((f) => `${method.toUpperCase()} ${path} ${f}`)),
      );

  it('every id a request body of /api/v1 may carry has a case', () => {
    const fields = bodyIdFields();
    expect(fields.length).toBeGreaterThanOrEqual(30);
    expect(fields.filter((f) => !bodyCases[f])).toEqual([]);
  });

  it("as another manager: no body links Anna's records or names someone who is not staff; a 422 names the field, nothing written", async () => {
    for (const key of bodyIdFields()) {
      const c = bodyCases[key]!;
      const method = key.split(' ')[0]!;
      const field = key.split(' ')[2]!;
      const before = await state();
      const { path, body: b } = await c.request(boris, c.value());
      const res = await call(method, path, boris.token, b);
      const answer = (await res.json()) as { error?: { issues?: { field: string; message: string }[] } };
      expect(res.status, `${key}: ${JSON.stringify(answer)}`).toBe(c.adminOnly ? 403 : 422);
      if (!c.adminOnly) expect(answer.error?.issues?.map((i) => i.field), key).toContain(c.field ?? field);
      expect(JSON.stringify(answer), key).not.toMatch(/Анн|Клиент/);
      expect(await state(), key).toEqual(before);
    }
  });

  it("as an observer: what Vera may read she may link into her own records, but no body changes or takes over Anna's", async () => {
    const before = (await state()).records;
    let linked = 0;
    for (const key of bodyIdFields()) {
      const c = bodyCases[key]!;
      const method = key.split(' ')[0]!;
      const { path, body: b } = await c.request(vera, c.value());
      const res = await call(method, path, vera.token, b);
      expect(res.status, key).toBeLessThan(500);
      // A lead she does not observe, or someone who is not staff, is refused as for anyone.
      if (c.adminOnly) expect(res.status, key).toBe(403);
      else if (c.kind === 'lead' || c.kind === 'missing') expect(res.status, key).toBe(422);
      else if (res.status < 300) linked += 1;
      expect((await state()).records, key).toEqual(before);
    }
    expect(linked).toBeGreaterThan(0);
    // Her links are hers: Anna's contact on Vera's deal leaves Anna's contact as it was, and Boris still cannot read it.
    const [veraDeal] = await t.db.select().from(deals).where(and(eq(deals.responsibleId, vera.id), eq(deals.contactId, ids.contact))).limit(1);
    expect(veraDeal).toBeDefined();
    expect((await call('GET', `/api/v1/contacts/${ids.contact}`, boris.token)).status).toBe(403);
    expect(await t.db.select().from(contacts).where(inArray(contacts.id, [ids.contact]))).toEqual([before.contact]);
  });
});
