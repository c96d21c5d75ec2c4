import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contacts, leads } from '../../../db/schema/index.ts';
import type { App } from '../../../src/http/types.ts';
import type { TestDb } from '../../support/test-db.ts';
import { ADMIN_TOKEN, caller, seededDb, testApp } from './http-test-app.ts';

const WEBHOOK_TOKEN = 'leads-webhook-secret-0123456789';

describe('POST /webhooks/leads/:source', () => {
  let t: TestDb;
  let app: App;
  let announced: number[];
  let hookFails = false;
  let logLines: { msg: string; status?: number; code?: string; source?: string }[];
  const call = caller(() => app);
  const post = (source: string, body: unknown, token: string | null = WEBHOOK_TOKEN) =>
    call('POST', `/webhooks/leads/${source}`, null, body, token === null ? {} : { 'x-chatcrm-token': token });
  const counts = async () => ({ leads: await t.db.$count(leads), contacts: await t.db.$count(contacts) });
  const refusals = () => logLines.filter((l) => l.msg === 'lead webhook refused');

  beforeAll(async () => {
    t = await seededDb('http_lead_webhook');
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    app = testApp(t, {
      LEADS_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      logger,
      onLeadCreated: async (id) => {
        announced.push(id);
        if (hookFails) throw new Error('telegram is down');
      },
    });
  }, 60_000);
  beforeEach(() => {
    announced = [];
    logLines = [];
    hookFails = false;
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('refuses a missing or wrong token with 401, storing nothing, before looking at the source', async () => {
    const before = await counts();
    const body = { name: 'Иван', phone: '+79160000001', external_id: 'tok-1' };
    const missing = await post('site', body, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await post('site', body, 'wrong-token-but-long-enough')).status).toBe(401);
    expect((await post('site', body, '')).status).toBe(401);
    expect((await post('billboard', body, 'wrong-token-but-long-enough')).status).toBe(401);
    // a bearer token of the API is not the webhook's secret
    expect((await call('POST', '/webhooks/leads/site', ADMIN_TOKEN, body)).status).toBe(401);
    expect(await counts()).toEqual(before);
    expect(announced).toEqual([]);
    expect(refusals()).toHaveLength(5);
    expect(refusals().every((l) => l.status === 401)).toBe(true);
  });

  it('answers 503 "not configured" when LEADS_WEBHOOK_TOKEN is not set', async () => {
    const unconfigured = testApp(t);
    const res = await unconfigured.request('/webhooks/leads/site', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-chatcrm-token': WEBHOOK_TOKEN },
      body: JSON.stringify({ name: 'Иван' }),
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_configured');
    expect(body.error.message).toMatch(/not configured.*LEADS_WEBHOOK_TOKEN/);
  });

  it('answers 404 naming the source when it is not a lead source of the company', async () => {
    const before = await counts();
    const res = await post('billboard', { name: 'Иван' });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toContain('unknown lead source "billboard"');
    expect(body.error.message).toContain('site');
    expect(await counts()).toEqual(before);
    expect(refusals()).toMatchObject([{ status: 404, source: 'billboard' }]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await post('site', '{"name": "Иван",');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect((await post('site', '')).status).toBe(400);
    expect(refusals().map((l) => l.status)).toEqual([400, 400]);
  });

  it('answers 422 without a phone or an e-mail (a name alone reaches no one), and to bad values, naming the fields', async () => {
    const before = await counts();
    const reachNone = [
      { field: 'phone', message: 'a phone or an e-mail is required' },
      { field: 'email', message: 'a phone or an e-mail is required' },
    ];
    for (const body of [{ comment: 'перезвоните', external_id: 'v-1' }, { name: 'Иван', comment: 'перезвоните', external_id: 'v-2' }]) {
      const none = await post('site', body);
      expect(none.status).toBe(422);
      const noneBody = (await none.json()) as { error: { code: string; issues: { field: string; message: string }[] } };
      expect(noneBody.error.code).toBe('validation_failed');
      expect(noneBody.error.issues).toEqual(reachNone);
    }

    const bad = await post('site', { phone: '12', email: 'nope', external_id: 'x'.repeat(201), comment: 'я'.repeat(10_001) });
    expect(bad.status).toBe(422);
    const badFields = ((await bad.json()) as { error: { issues: { field: string }[] } }).error.issues.map((i) => i.field).sort();
    expect(badFields).toEqual(['comment', 'email', 'external_id', 'phone']);
    expect((await post('site', [{ name: 'массив' }])).status).toBe(422);
    expect(await counts()).toEqual(before);
    expect(refusals().map((l) => l.status)).toEqual([422, 422, 422, 422]);
  });

  it('answers 422 to a custom field of the wrong type or unknown, naming it', async () => {
    const before = await counts();
    const wrongType = await post('site', { name: 'Иван', phone: '+79160000002', fields: { land_area: 'сто гектаров', equipment: 'К-700' } });
    expect(wrongType.status).toBe(422);
    expect(await wrongType.json()).toMatchObject({ error: { code: 'validation_failed', issues: [{ field: 'fields.land_area', message: 'must be a number' }] } });
    const unknown = await post('site', { name: 'Иван', email: 'ivan@example.ru', fields: { tractor_color: 'red' } });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: { issues: [{ field: 'fields.tractor_color', message: 'no such field' }] } });
    expect(await counts()).toEqual(before);
    expect(announced).toEqual([]);
  });

  it('answers 413 to a body over 64 KB, storing nothing', async () => {
    const before = await counts();
    const res = await post('site', { name: 'Иван', comment: 'а'.repeat(40 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await counts()).toEqual(before);
    expect(refusals().map((l) => l.status)).toEqual([413]);
  });

  it('creates a lead (201) with a new contact linked to it, and announces it', async () => {
    const before = await counts();
    const res = await post('site', {
      external_id: 'form-1001',
      name: 'Иван Петров',
      phone: '8 (916) 555-44-33',
      email: 'ivan@example.ru',
      comment: 'Нужен трактор к весне',
      utm: { utm_source: 'yandex', utm_campaign: 'spring', yclid: '123' },
      fields: { equipment: 'МТЗ-82', land_area: '250' },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { lead_id: number; created: boolean };
    expect(body).toEqual({ lead_id: expect.any(Number), created: true });
    expect(await counts()).toEqual({ leads: before.leads + 1, contacts: before.contacts + 1 });

    const [lead] = await t.db.select().from(leads).where(eq(leads.id, body.lead_id));
    expect(lead).toMatchObject({
      source: 'site',
      externalKey: 'form-1001',
      status: 'new',
      title: 'Форма на сайте: Иван Петров',
      comment: 'Нужен трактор к весне',
      utm: { utm_source: 'yandex', utm_campaign: 'spring', yclid: '123' },
      custom: { equipment: 'МТЗ-82', land_area: 250 },
      responsibleId: null,
    });
    const [contact] = await t.db.select().from(contacts).where(eq(contacts.id, lead!.contactId!));
    expect(contact).toMatchObject({ firstName: 'Иван Петров', phone: '+79165554433', email: 'ivan@example.ru' });
    expect(announced).toEqual([body.lead_id]);

    // the lead is readable through the API (the admin sees unassigned leads)
    const viaApi = await call('GET', `/api/v1/leads/${body.lead_id}`, ADMIN_TOKEN);
    expect(await viaApi.json()).toMatchObject({ id: body.lead_id, contactId: contact!.id, source: 'site' });
  });

  it('links the lead to the contact that has the phone already (any notation), or the e-mail (any case)', async () => {
    const byPhone = (await (await call('POST', '/api/v1/contacts', ADMIN_TOKEN, { firstName: 'Ольга', phone: '+7 903 111-22-33' })).json()) as { id: number };
    const byEmail = (await (await call('POST', '/api/v1/contacts', ADMIN_TOKEN, { firstName: 'Олег', email: 'Oleg@Farm.ru' })).json()) as { id: number };
    const before = await counts();

    const r1 = await post('avito', { external_id: 'avito-1', name: 'Оля', phone: '8-903-111-22-33' });
    expect(r1.status).toBe(201);
    const l1 = (await r1.json()) as { lead_id: number };
    const r2 = await post('site', { name: 'Олег', email: 'oleg@farm.RU' });
    expect(r2.status).toBe(201);
    const l2 = (await r2.json()) as { lead_id: number };

    const contactOf = async (leadId: number) => (await t.db.select().from(leads).where(eq(leads.id, leadId)))[0]!.contactId;
    expect(await contactOf(l1.lead_id)).toBe(byPhone.id);
    expect(await contactOf(l2.lead_id)).toBe(byEmail.id);
    expect(await counts()).toEqual({ leads: before.leads + 2, contacts: before.contacts });
    expect(announced).toEqual([l1.lead_id, l2.lead_id]);
  });

  it('stores one lead for one external_id: a repeat answers 200 created:false with the same lead_id, announced once', async () => {
    const before = await counts();
    const body = { external_id: 'order-555', name: 'Сергей', phone: '+79260000555' };
    const first = await post('avito', body);
    expect(first.status).toBe(201);
    const a = (await first.json()) as { lead_id: number; created: boolean };
    const second = await post('avito', { ...body, name: 'Сергей (повтор)', comment: 'ещё раз' });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ lead_id: a.lead_id, created: false });
    expect(await counts()).toEqual({ leads: before.leads + 1, contacts: before.contacts + 1 });
    expect(announced).toEqual([a.lead_id]);
    // the same id from another source is another submission
    const other = await post('site', body);
    expect(other.status).toBe(201);
    expect(((await other.json()) as { lead_id: number }).lead_id).not.toBe(a.lead_id);
    expect(announced).toHaveLength(2);
  });

  it('stores one lead and one contact when the same submission arrives several times at once', async () => {
    const before = await counts();
    const body = { external_id: 'burst-1', name: 'Анна', phone: '+79990001122' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('site', body)));
    const parsed = (await Promise.all(answers.map((r) => r.json()))) as { lead_id: number; created: boolean }[];
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(parsed.map((p) => p.lead_id)).size).toBe(1);
    expect(parsed.filter((p) => p.created)).toHaveLength(1);
    expect(await counts()).toEqual({ leads: before.leads + 1, contacts: before.contacts + 1 });
    expect(announced).toEqual([parsed[0]!.lead_id]);
  });

  it('keeps the lead and answers 201 when the announcement fails; the failure is logged', async () => {
    hookFails = true;
    const res = await post('site', { name: 'Пётр', phone: '+79161112200' });
    expect(res.status).toBe(201);
    const { lead_id } = (await res.json()) as { lead_id: number };
    expect(announced).toEqual([lead_id]);
    expect(await t.db.$count(leads, eq(leads.id, lead_id))).toBe(1);
    expect(logLines.some((l) => l.msg === 'onLeadCreated failed')).toBe(true);
  });
});
