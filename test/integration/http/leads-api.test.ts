import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '../../../db/schema/index.ts';
import type { App } from '../../../src/http/types.ts';
import type { TestDb } from '../../support/test-db.ts';
import { ADMIN_TOKEN, caller, seededDb, type Staff, staff, testApp } from './http-test-app.ts';

interface LeadDto {
  id: number;
  title: string;
  source: string;
  status: string;
  statusReason: string | null;
  externalKey: string | null;
  contactId: number | null;
  responsibleId: number | null;
  custom: Record<string, unknown>;
  convertedDealId: number | null;
  convertedAt: string | null;
}
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

describe('HTTP API: leads, companies, pipelines', () => {
  let t: TestDb;
  let app: App;
  let managerA: Staff;
  let managerB: Staff;
  let observer: Staff;
  let supervisor: Staff;
  const call = caller(() => app);
  const json = async <T>(res: Response | Promise<Response>, status: number): Promise<T> => {
    const r = await res;
    const body = (await r.json()) as T;
    expect(r.status, JSON.stringify(body)).toBe(status);
    return body;
  };
  const newLead = (who: Staff, body: Record<string, unknown> = {}) =>
    json<LeadDto>(call('POST', '/api/v1/leads', who.token, { title: 'Трактор МТЗ-82', source: 'site', ...body }), 201);

  beforeAll(async () => {
    t = await seededDb('http_leads');
    managerA = await staff(t, 'Анна', ['manager']);
    managerB = await staff(t, 'Борис', ['manager']);
    observer = await staff(t, 'Вера', ['manager']);
    supervisor = await staff(t, 'Глеб', ['supervisor']);
    app = testApp(t);
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('refuses the new resources without a token', async () => {
    for (const path of ['/api/v1/leads', '/api/v1/leads/1', '/api/v1/companies', '/api/v1/companies/1', '/api/v1/pipelines']) {
      const res = await call('GET', path, null);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await call('POST', '/api/v1/leads', null, { title: 'x', source: 'site' })).status).toBe(401);
    expect(await t.db.$count(leads)).toBe(0);
  });

  it('creates a lead in the first status, for its creator; an unknown source or a bad field is a 422', async () => {
    const lead = await newLead(managerA, { custom: { land_area: '1 200' }, utm: { utm_source: 'yandex' } });
    expect(lead).toMatchObject({ title: 'Трактор МТЗ-82', source: 'site', status: 'new', responsibleId: managerA.id, custom: { land_area: 1200 }, convertedDealId: null });

    const unknown = await json<{ error: { code: string; issues: { field: string; message: string }[] } }>(
      call('POST', '/api/v1/leads', managerA.token, { title: 'x', source: 'billboard' }),
      422,
    );
    expect(unknown.error.code).toBe('validation_failed');
    expect(unknown.error.issues[0]).toMatchObject({ field: 'source' });
    expect(unknown.error.issues[0]!.message).toContain('billboard');

    const badField = await json<{ error: { issues: { field: string }[] } }>(
      call('POST', '/api/v1/leads', managerA.token, { title: 'x', source: 'site', custom: { land_area: 'много' } }),
      422,
    );
    expect(badField.error.issues.map((i) => i.field)).toEqual(['custom.land_area']);
    expect((await json<{ error: { issues: { field: string }[] } }>(call('POST', '/api/v1/leads', managerA.token, { source: 'site' }), 422)).error.issues.map((i) => i.field)).toEqual(['title']);
  });

  it('answers a repeat of source + externalKey with the stored lead (200), not a second one', async () => {
    const first = await newLead(managerA, { externalKey: 'order-77' });
    const again = await json<LeadDto>(call('POST', '/api/v1/leads', managerA.token, { title: 'другое', source: 'site', externalKey: 'order-77' }), 200);
    expect(again.id).toBe(first.id);
    expect(again.title).toBe('Трактор МТЗ-82');
    // the same external key from another source is another lead
    const other = await json<LeadDto>(call('POST', '/api/v1/leads', managerA.token, { title: 'Авито', source: 'avito', externalKey: 'order-77' }), 201);
    expect(other.id).not.toBe(first.id);
  });

  it('gets a lead: 200 for its manager and a supervisor, 403 for another manager, 404 when missing', async () => {
    const lead = await newLead(managerA);
    expect((await json<LeadDto>(call('GET', `/api/v1/leads/${lead.id}`, managerA.token), 200)).id).toBe(lead.id);
    expect((await json<LeadDto>(call('GET', `/api/v1/leads/${lead.id}`, supervisor.token), 200)).id).toBe(lead.id);
    expect((await json<LeadDto>(call('GET', `/api/v1/leads/${lead.id}`, ADMIN_TOKEN), 200)).id).toBe(lead.id);
    expect(await json(call('GET', `/api/v1/leads/${lead.id}`, managerB.token), 403)).toMatchObject({ error: { code: 'forbidden' } });
    expect(await json(call('GET', '/api/v1/leads/987654', managerA.token), 404)).toMatchObject({ error: { code: 'not_found' } });
    expect((await call('GET', '/api/v1/leads/abc', managerA.token)).status).toBe(422);
  });

  it('lists leads the caller may see, by status, page by page', async () => {
    const mine = [await newLead(managerB, { title: 'Б1' }), await newLead(managerB, { title: 'Б2' }), await newLead(managerB, { title: 'Б3' })];
    const foreign = await newLead(managerA, { title: 'чужой' });
    await json(call('POST', `/api/v1/leads/${mine[1]!.id}/status`, managerB.token, { status: 'in_work' }), 200);

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page<LeadDto> = await json<Page<LeadDto>>(call('GET', `/api/v1/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`, managerB.token), 200);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(mine.map((l) => l.id));
    expect(pages).toBe(2);

    const inWork = await json<Page<LeadDto>>(call('GET', '/api/v1/leads?status=in_work', managerB.token), 200);
    expect(inWork.items.map((l) => l.id)).toEqual([mine[1]!.id]);
    const all = await json<Page<LeadDto>>(call('GET', '/api/v1/leads?limit=200', supervisor.token), 200);
    expect(all.items.map((l) => l.id)).toEqual(expect.arrayContaining([...mine.map((l) => l.id), foreign.id]));
    expect((await call('GET', '/api/v1/leads?cursor=garbage', managerB.token)).status).toBe(422);
  });

  it('sets the status: a reason where the status needs one, never "converted", not on another manager lead', async () => {
    const lead = await newLead(managerA);
    const noReason = await json<{ error: { issues: { field: string }[] } }>(call('POST', `/api/v1/leads/${lead.id}/status`, managerA.token, { status: 'junk' }), 422);
    expect(noReason.error.issues.map((i) => i.field)).toEqual(['reason']);
    expect((await call('POST', `/api/v1/leads/${lead.id}/status`, managerA.token, { status: 'converted' })).status).toBe(422);
    expect((await call('POST', `/api/v1/leads/${lead.id}/status`, managerA.token, { status: 'flying' })).status).toBe(422);
    expect((await call('POST', `/api/v1/leads/${lead.id}/status`, managerB.token, { status: 'in_work' })).status).toBe(403);
    expect((await call('POST', '/api/v1/leads/987654/status', managerA.token, { status: 'in_work' })).status).toBe(404);
    const junk = await json<LeadDto>(call('POST', `/api/v1/leads/${lead.id}/status`, managerA.token, { status: 'junk', reason: 'дубль' }), 200);
    expect(junk).toMatchObject({ status: 'junk', statusReason: 'дубль' });
    expect((await json<LeadDto>(call('GET', `/api/v1/leads/${lead.id}`, managerA.token), 200)).status).toBe('junk');
  });

  it('converts a lead into a deal with a new contact and company; only once; not another manager lead', async () => {
    const lead = await newLead(managerA, { custom: { equipment: 'МТЗ-82', land_area: 300 } });
    expect((await call('POST', `/api/v1/leads/${lead.id}/convert`, managerB.token, {})).status).toBe(403);
    expect((await call('POST', '/api/v1/leads/987654/convert', managerA.token, {})).status).toBe(404);
    const r = await json<{
      lead: LeadDto;
      deal: { id: number; title: string; leadId: number; amount: string; responsibleId: number; contactId: number; companyId: number; source: string; custom: Record<string, unknown> };
      contact: { id: number; firstName: string; phone: string; companyId: number };
      company: { id: number; name: string; responsibleId: number };
    }>(
      call('POST', `/api/v1/leads/${lead.id}/convert`, managerA.token, {
        contact: { firstName: 'Пётр', phone: '8 916 123-45-67' },
        company: { name: 'КФХ Петров', inn: '7701234560' },
        amount: 4_500_000,
      }),
      200,
    );
    expect(r.lead).toMatchObject({ id: lead.id, status: 'converted', convertedDealId: r.deal.id, contactId: r.contact.id });
    expect(r.lead.convertedAt).toEqual(expect.any(String));
    expect(r.deal).toMatchObject({ title: lead.title, leadId: lead.id, amount: '4500000.00', responsibleId: managerA.id, contactId: r.contact.id, companyId: r.company.id, source: 'site' });
    expect(r.deal.custom).toEqual({ equipment: 'МТЗ-82', land_area: 300 });
    expect(r.contact).toMatchObject({ firstName: 'Пётр', phone: '+79161234567', companyId: r.company.id });
    expect(r.company).toMatchObject({ name: 'КФХ Петров', responsibleId: managerA.id });

    expect(await json(call('POST', `/api/v1/leads/${lead.id}/convert`, managerA.token, {}), 409)).toMatchObject({ error: { code: 'conflict' } });
    expect((await call('POST', `/api/v1/leads/${lead.id}/status`, managerA.token, { status: 'in_work' })).status).toBe(409);

    // the deal it made follows the deal rules: its manager and a supervisor read it, another manager does not
    expect((await call('GET', `/api/v1/deals/${r.deal.id}`, managerA.token)).status).toBe(200);
    expect((await call('GET', `/api/v1/deals/${r.deal.id}`, supervisor.token)).status).toBe(200);
    expect((await call('GET', `/api/v1/deals/${r.deal.id}`, managerB.token)).status).toBe(403);
  });

  it('converts without a body: the deal takes the lead title, contact and company are null', async () => {
    const lead = await newLead(managerB, { title: 'Без тела' });
    const res = await app.request(`/api/v1/leads/${lead.id}/convert`, { method: 'POST', headers: { authorization: `Bearer ${managerB.token}` } });
    const r = (await res.json()) as { deal: { title: string }; contact: unknown; company: unknown };
    expect(res.status, JSON.stringify(r)).toBe(200);
    expect(r).toMatchObject({ deal: { title: 'Без тела' }, contact: null, company: null });
  });

  it('deal access: a manager cannot read another manager deal, an observer of it can, a supervisor reads both', async () => {
    const dealA = await json<{ id: number }>(call('POST', '/api/v1/deals', managerA.token, { title: 'Сделка А', observerIds: [observer.id] }), 201);
    const dealB = await json<{ id: number }>(call('POST', '/api/v1/deals', managerB.token, { title: 'Сделка Б' }), 201);
    expect((await call('GET', `/api/v1/deals/${dealB.id}`, managerA.token)).status).toBe(403);
    expect((await call('GET', `/api/v1/deals/${dealA.id}`, managerB.token)).status).toBe(403);
    expect((await call('GET', `/api/v1/deals/${dealA.id}`, observer.token)).status).toBe(200);
    expect((await call('GET', `/api/v1/deals/${dealB.id}`, observer.token)).status).toBe(403);
    expect((await call('GET', `/api/v1/deals/${dealA.id}`, supervisor.token)).status).toBe(200);
    expect((await call('GET', `/api/v1/deals/${dealB.id}`, supervisor.token)).status).toBe(200);
    expect((await call('GET', `/api/v1/deals/${dealA.id}`, null)).status).toBe(401);
  });

  it('companies: create, get, patch and list with access (responsible or observer; supervisors all)', async () => {
    const created = await json<{ id: number; name: string; responsibleId: number; inn: string; phone: string; observerIds: number[] }>(
      call('POST', '/api/v1/companies', managerA.token, { name: 'ООО Агроцентр', inn: '7707083893', phone: '+7 (495) 123-45-67', custom: { land_area: 5000 } }),
      201,
    );
    expect(created).toMatchObject({ name: 'ООО Агроцентр', responsibleId: managerA.id, inn: '7707083893', phone: '+74951234567', observerIds: [] });
    const foreign = await json<{ id: number }>(call('POST', '/api/v1/companies', managerB.token, { name: 'ЗАО Чужое' }), 201);

    expect((await json<{ id: number }>(call('GET', `/api/v1/companies/${created.id}`, managerA.token), 200)).id).toBe(created.id);
    expect((await call('GET', `/api/v1/companies/${created.id}`, managerB.token)).status).toBe(403);
    expect((await call('GET', `/api/v1/companies/${created.id}`, supervisor.token)).status).toBe(200);
    expect((await call('GET', '/api/v1/companies/987654', managerA.token)).status).toBe(404);
    expect((await call('PATCH', `/api/v1/companies/${created.id}`, managerB.token, { name: 'взлом' })).status).toBe(403);
    expect((await call('PATCH', '/api/v1/companies/987654', managerA.token, { name: 'x' })).status).toBe(404);

    const bad = await json<{ error: { issues: { field: string }[] } }>(call('POST', '/api/v1/companies', managerA.token, { name: 'x', inn: '123' }), 422);
    expect(bad.error.issues.map((i) => i.field)).toEqual(['inn']);
    const badCustom = await json<{ error: { issues: { field: string }[] } }>(call('POST', '/api/v1/companies', managerA.token, { name: 'x', custom: { nope: 1 } }), 422);
    expect(badCustom.error.issues.map((i) => i.field)).toEqual(['custom.nope']);

    const ids = async (who: Staff | string) => (await json<Page<{ id: number }>>(call('GET', '/api/v1/companies?limit=200', typeof who === 'string' ? who : who.token), 200)).items.map((c) => c.id);
    // (managerA also owns the company a conversion above created)
    expect(await ids(managerA)).toContain(created.id);
    expect(await ids(managerA)).not.toContain(foreign.id);
    expect(await ids(managerB)).toEqual([foreign.id]);
    expect(await ids(observer)).toEqual([]);
    expect(await ids(supervisor)).toEqual(expect.arrayContaining([created.id, foreign.id]));

    // only the fields sent change; an observer then sees and reads the company
    const patched = await json<{ name: string; inn: string; observerIds: number[] }>(
      call('PATCH', `/api/v1/companies/${created.id}`, managerA.token, { name: 'ООО Агроцентр-2', observerIds: [observer.id] }),
      200,
    );
    expect(patched).toMatchObject({ name: 'ООО Агроцентр-2', inn: '7707083893', observerIds: [observer.id] });
    expect(await ids(observer)).toEqual([created.id]);
    expect((await call('GET', `/api/v1/companies/${created.id}`, observer.token)).status).toBe(200);

    const search = await json<Page<{ id: number }>>(call('GET', `/api/v1/companies?q=${encodeURIComponent('агро')}`, supervisor.token), 200);
    expect(search.items.map((c) => c.id)).toEqual([created.id]);
    const page1 = await json<Page<{ id: number }>>(call('GET', '/api/v1/companies?limit=1', supervisor.token), 200);
    expect(page1.items).toHaveLength(1);
    const page2 = await json<Page<{ id: number }>>(call('GET', `/api/v1/companies?limit=1&cursor=${page1.next_cursor}`, supervisor.token), 200);
    expect(page2.items[0]!.id).toBeGreaterThan(page1.items[0]!.id);
  });

  it('lists pipelines with their stages in order, for any staff member', async () => {
    const page = await json<Page<{ key: string; isDefault: boolean; stages: { key: string; kind: string; requirements: { field: string }[] }[] }>>(
      call('GET', '/api/v1/pipelines', observer.token),
      200,
    );
    expect(page.next_cursor).toBeNull();
    expect(page.items.map((p) => p.key)).toEqual(['farm', 'road']);
    const farm = page.items[0]!;
    expect(farm.isDefault).toBe(true);
    expect(farm.stages.slice(0, 3).map((s) => s.key)).toEqual(['new', 'in_work', 'proposal_sent']);
    expect(farm.stages.find((s) => s.key === 'proposal_sent')!.requirements).toEqual([{ field: 'proposal_file' }]);
    expect(farm.stages.some((s) => s.kind === 'won') && farm.stages.some((s) => s.kind === 'lost')).toBe(true);

    const first = await json<Page<{ key: string }>>(call('GET', '/api/v1/pipelines?limit=1', managerA.token), 200);
    expect(first.items.map((p) => p.key)).toEqual(['farm']);
    const second = await json<Page<{ key: string }>>(call('GET', `/api/v1/pipelines?limit=1&cursor=${first.next_cursor}`, managerA.token), 200);
    expect(second.items.map((p) => p.key)).toEqual(['road']);
    expect(second.next_cursor).toBeNull();
  });

  it('documents the new paths in the OpenAPI document', async () => {
    const doc = (await (await call('GET', '/openapi.json', null)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/leads', '/api/v1/leads/{id}', '/api/v1/leads/{id}/status', '/api/v1/leads/{id}/convert', '/api/v1/companies', '/api/v1/companies/{id}', '/api/v1/pipelines', '/webhooks/leads/{source}']),
    );
  });
});
