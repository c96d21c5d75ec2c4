// The staff routes for admins: list, add (an unknown supervisor is a 422 naming the field),
// change roles (never the last admin), deactivate (his token refused with 401 at once, his open
// records in the answer), hand over, reactivate; tokens listed without their secret, revoked
// with DELETE; invite codes. A manager gets 403 on every one of them, whatever he sends.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deals, leads, pipelines, stages, users } from '../../../db/schema/index.ts';
import type { App } from '../../../src/http/types.ts';
import type { TestDb } from '../../support/test-db.ts';
import { ADMIN_TOKEN, caller, seededDb, type Staff, staff, testApp } from './http-test-app.ts';

describe('staff API', () => {
  let t: TestDb;
  let app: App;
  let admin: Staff;
  let anna: Staff;
  let victor: Staff;
  const call = caller(() => app);

  beforeAll(async () => {
    t = await seededDb('users_api');
    app = testApp(t);
    admin = await staff(t, 'Ольга Админ', ['admin']);
    anna = await staff(t, 'Анна Смирнова', ['manager']);
    victor = await staff(t, 'Виктор Петров', ['manager']);
  }, 60_000);
  afterAll(async () => t?.drop());

  it('refuses every staff route to a manager with 403, a bad body included', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users', { name: 'X', roles: ['admin'] }],
      ['POST', '/api/v1/users', { nonsense: true }],
      ['GET', `/api/v1/users/${victor.id}`],
      ['PATCH', `/api/v1/users/${anna.id}`, { roles: ['admin'] }],
      ['POST', `/api/v1/users/${victor.id}/deactivate`],
      ['POST', `/api/v1/users/${victor.id}/reactivate`],
      ['POST', `/api/v1/users/${victor.id}/handover`, { toUserId: anna.id }],
      ['GET', `/api/v1/users/${victor.id}/open-records`],
      ['GET', `/api/v1/users/${victor.id}/tokens`],
      ['POST', `/api/v1/users/${anna.id}/tokens`, {}],
      ['POST', `/api/v1/users/${anna.id}/invites`],
      ['DELETE', '/api/v1/tokens/1'],
    ];
    for (const [method, path, body] of paths) {
      const res = await call(method, path, anna.token, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await call('GET', '/api/v1/users', null)).status).toBe(401);
    // Routes of other resources are not touched by the admins-only rule.
    expect((await call('GET', '/api/v1/contacts', anna.token)).status).toBe(200);
  });

  it('lists staff with roles, active, linked messengers and supervisor', async () => {
    await t.db.update(users).set({ telegramUserId: 4_400_001, supervisorId: admin.id }).where(eq(users.id, anna.id));
    const res = await call('GET', '/api/v1/users', admin.token);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Record<string, unknown>[] };
    expect(items.find((u) => u.id === anna.id)).toMatchObject({ name: 'Анна Смирнова', roles: ['manager'], isActive: true, telegramLinked: true, whatsappPhone: null, supervisorId: admin.id, supervisorName: 'Ольга Админ' });
    expect(JSON.stringify(items)).not.toContain('4400001');
  });

  it('adds a user; an unknown supervisor is a 422 naming the field and writes nothing', async () => {
    const before = (await t.db.select().from(users)).length;
    const bad = await call('POST', '/api/v1/users', ADMIN_TOKEN, { name: 'Борис', roles: ['manager'], supervisorId: 99_999 });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', issues: [{ field: 'supervisorId', message: 'no such user' }] } });
    expect((await t.db.select().from(users)).length).toBe(before);
    const nul = await call('POST', '/api/v1/users', ADMIN_TOKEN, { name: 'Бо\u0000рис', roles: ['manager'] });
    expect(nul.status).toBe(422);
    const ok = await call('POST', '/api/v1/users', admin.token, { name: 'Борис', roles: ['logist'], language: 'en', whatsappPhone: '8 916 555-00-11' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ name: 'Борис', roles: ['logist'], language: 'en', whatsappPhone: '+79165550011', isActive: true });
  });

  it('changes roles; taking the role from the last admin is a 409', async () => {
    const ok = await call('PATCH', `/api/v1/users/${victor.id}`, admin.token, { roles: ['manager', 'supervisor'], department: 'Продажи' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ roles: ['manager', 'supervisor'], department: 'Продажи' });
    const last = await call('PATCH', `/api/v1/users/${admin.id}`, admin.token, { roles: ['manager'] });
    expect(last.status).toBe(409);
    const self = await call('POST', `/api/v1/users/${admin.id}/deactivate`, admin.token);
    expect(self.status).toBe(409);
    expect((await call('PATCH', `/api/v1/users/${victor.id}`, admin.token, { isActive: false })).status).toBe(422);
    expect((await call('PATCH', '/api/v1/users/99999', admin.token, { name: 'X' })).status).toBe(404);
  });

  it('deactivates a manager: his token is refused at once, his open records come back, then go to another manager', async () => {
    const [pipeline] = await t.db.select().from(pipelines).limit(1);
    const [stage] = await t.db.select().from(stages).where(eq(stages.pipelineId, pipeline!.id)).limit(1);
    const [deal] = await t.db.insert(deals).values({ title: 'Беларус', pipelineId: pipeline!.id, stageId: stage!.id, responsibleId: anna.id }).returning();
    const [lead] = await t.db.insert(leads).values({ title: 'Трактор', source: 'site', status: 'new', responsibleId: anna.id }).returning();
    expect((await call('GET', '/api/v1/contacts', anna.token)).status).toBe(200);

    const res = await call('POST', `/api/v1/users/${anna.id}/deactivate`, admin.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { isActive: boolean; deactivatedAt: string }; revokedTokens: number; openRecords: { deal: { id: number }[]; lead: { id: number }[]; total: number } };
    expect(body).toMatchObject({ user: { isActive: false }, revokedTokens: 1 });
    expect(body.openRecords.deal.map((d) => d.id)).toEqual([deal!.id]);
    expect(body.openRecords.lead.map((l) => l.id)).toEqual([lead!.id]);
    expect((await call('GET', '/api/v1/contacts', anna.token)).status).toBe(401);

    const handed = await call('POST', `/api/v1/users/${anna.id}/handover`, admin.token, { toUserId: victor.id, records: [{ kind: 'deal', id: deal!.id }] });
    expect(handed.status).toBe(200);
    expect(await handed.json()).toMatchObject({ moved: [{ kind: 'deal', id: deal!.id }], skipped: [] });
    const rest = await call('POST', `/api/v1/users/${anna.id}/handover`, admin.token, { toUserId: victor.id });
    expect(await rest.json()).toMatchObject({ moved: [{ kind: 'lead', id: lead!.id }] });
    expect(await (await call('GET', `/api/v1/users/${anna.id}/open-records`, admin.token)).json()).toMatchObject({ total: 0 });
    // To someone inactive, or a body naming nothing it knows: 422.
    expect((await call('POST', `/api/v1/users/${victor.id}/handover`, admin.token, { toUserId: anna.id })).status).toBe(422);
    expect((await call('POST', `/api/v1/users/${victor.id}/handover`, admin.token, { toUserId: admin.id, records: [{ kind: 'ship', id: 1 }] })).status).toBe(422);

    const back = await call('POST', `/api/v1/users/${anna.id}/reactivate`, admin.token);
    expect(await back.json()).toMatchObject({ user: { isActive: true }, alreadyActive: false });
    expect((await call('GET', '/api/v1/contacts', anna.token)).status).toBe(401);
  });

  it('lists, issues and revokes tokens: the secret only once, a revoked one refused at once; invites', async () => {
    const issued = await call('POST', `/api/v1/users/${victor.id}/tokens`, admin.token, { label: 'ноутбук' });
    expect(issued.status).toBe(201);
    const { id, token } = (await issued.json()) as { id: number; token: string };
    expect((await call('GET', '/api/v1/deals', token)).status).toBe(200);
    const list = await call('GET', `/api/v1/users/${victor.id}/tokens`, admin.token);
    const text = await list.text();
    expect(text).not.toContain(token);
    expect(JSON.parse(text).items.map((k: { id: number; label: string | null }) => [k.id, k.label])).toEqual([
      [expect.any(Number), null],
      [id, 'ноутбук'],
    ]);
    const revoked = await call('DELETE', `/api/v1/tokens/${id}`, admin.token);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ id, alreadyRevoked: false, userId: victor.id });
    expect((await call('GET', '/api/v1/deals', token)).status).toBe(401);
    expect((await call('GET', '/api/v1/deals', victor.token)).status).toBe(200);
    expect(await (await call('DELETE', `/api/v1/tokens/${id}`, admin.token)).json()).toMatchObject({ alreadyRevoked: true });
    expect((await call('DELETE', '/api/v1/tokens/99999', admin.token)).status).toBe(404);
    const noBody = await call('POST', `/api/v1/users/${victor.id}/tokens`, admin.token);
    expect(noBody.status).toBe(201);

    const invite = await call('POST', `/api/v1/users/${victor.id}/invites`, admin.token);
    expect(invite.status).toBe(201);
    expect(await invite.json()).toMatchObject({ code: expect.stringMatching(/^[\w-]{12}$/), expiresAt: expect.any(String) });
  });
});
