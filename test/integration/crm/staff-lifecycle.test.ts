// Staff lifecycle in src/crm, on Postgres and on PGlite: adding (an unknown supervisor writes
// nothing), changing roles (never the last admin), deactivating someone who left (tokens
// refused at once, bot conversations ended, unused invites dropped, nobody can give him work,
// his open records listed), handing his records over (all, or picked), reactivating; tokens
// listed without their secret and revoked; every change audited.
import { and, count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { apiTokens, auditLog, botSessions, companies, contacts, deals, leads, pipelines, stages, staffInvites, tasks, timelineEntries, users } from '../../../db/schema/index.ts';
import { systemActor, userActor } from '../../../src/crm/actor.ts';
import { createApiToken, findUserByToken, listApiTokens, revokeApiToken } from '../../../src/crm/api-tokens.ts';
import { assignLead } from '../../../src/crm/assign.ts';
import { AccessDeniedError, NotFoundError, ValidationError } from '../../../src/crm/errors.ts';
import { createStaffInvite } from '../../../src/crm/invites.ts';
import { handOverRecords, openRecordsOf } from '../../../src/crm/open-records.ts';
import { deactivateUser, reactivateUser } from '../../../src/crm/staff-lifecycle.ts';
import { createUser, listStaff, StaffChangeRefusedError, updateUser } from '../../../src/crm/users.ts';
import { reachableStaff } from '../../../src/messaging/staff-messages.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { usePresetDb } from './preset-db.ts';

let tg = 880_000;

for (const kind of ['postgres', 'pglite'] as DbKind[]) {
  describe(`staff lifecycle on ${kind}`, () => {
    const t = usePresetDb(kind, 'dealer');
    const db = () => t().db;

    /** A manager with a linked Telegram, a token, a bot conversation, an unused invite and records of every kind, open and closed. */
    async function busyManager() {
      const { user } = await makeUser(db(), ['manager'], { telegramUserId: tg++, whatsappPhone: `+7900${tg}` });
      const { token } = await createApiToken(db(), systemActor, user.id, 'laptop');
      await createStaffInvite(db(), systemActor, user.id);
      await db().insert(botSessions).values([
        { key: `flows:telegram:555001:${user.telegramUserId}`, value: { flow: 'x' } },
        { key: `flows:whatsapp:12345:${user.whatsappPhone!.slice(1)}`, value: { flow: 'y' } },
        // Another chat whose id merely ends with his: not his.
        { key: `flows:telegram:555001:9${user.telegramUserId}`, value: { flow: 'z' } },
      ]);
      const [pipeline] = await db().select().from(pipelines).limit(1);
      const pipelineStages = await db().select().from(stages).where(eq(stages.pipelineId, pipeline!.id));
      const open = pipelineStages.find((s) => s.kind === 'open')!;
      const [openLead, convertedLead, junkLead] = await db()
        .insert(leads)
        .values([
          { title: 'Трактор', source: 'site', status: 'new', responsibleId: user.id },
          { title: 'Сеялка', source: 'site', status: 'converted', responsibleId: user.id, convertedDealId: 1 },
          { title: 'Спам', source: 'site', status: 'junk', responsibleId: user.id },
        ])
        .returning();
      const [openDeal, closedDeal] = await db()
        .insert(deals)
        .values([
          { title: 'Беларус 1221', pipelineId: pipeline!.id, stageId: open.id, responsibleId: user.id },
          { title: 'Старая сделка', pipelineId: pipeline!.id, stageId: open.id, responsibleId: user.id, closedAt: new Date() },
        ])
        .returning();
      const [openTask] = await db()
        .insert(tasks)
        .values([
          { title: 'Позвонить', assigneeId: user.id },
          { title: 'Сделано', assigneeId: user.id, status: 'done' },
        ])
        .returning();
      const [contact] = await db().insert(contacts).values({ firstName: 'Петр', lastName: 'Фермеров', responsibleId: user.id }).returning();
      const [company] = await db().insert(companies).values({ name: 'ООО Агро', responsibleId: user.id }).returning();
      return { user, token, openLead: openLead!, convertedLead: convertedLead!, junkLead: junkLead!, openDeal: openDeal!, closedDeal: closedDeal!, openTask: openTask!, contact: contact!, company: company! };
    }

    it('deactivating a manager revokes his tokens at once, ends his bot conversations, drops his unused invites, and lists what he still holds', async () => {
      const { user: admin } = await makeUser(db(), ['admin']);
      const m = await busyManager();
      expect((await findUserByToken(db(), m.token))?.id).toBe(m.user.id);

      const r = await deactivateUser(db(), userActor(admin), m.user.id);
      expect(r).toMatchObject({ alreadyInactive: false, revokedTokens: 1, droppedInvites: 1, endedSessions: 2 });
      expect(r.user).toMatchObject({ isActive: false });
      expect(r.user.deactivatedAt).toBeInstanceOf(Date);
      expect(await findUserByToken(db(), m.token)).toBeNull();
      const left = await db().select({ key: botSessions.key }).from(botSessions).where(inArray(botSessions.key, [`flows:telegram:555001:${m.user.telegramUserId}`, `flows:telegram:555001:9${m.user.telegramUserId}`]));
      expect(left.map((l) => l.key)).toEqual([`flows:telegram:555001:9${m.user.telegramUserId}`]);
      expect(await db().select().from(staffInvites).where(eq(staffInvites.userId, m.user.id))).toEqual([]);
      // Open records only: the converted and the junk lead, the closed deal and the done task are not his worry.
      const ids = (k: keyof typeof r.openRecords) => (r.openRecords[k] as { id: number }[]).map((x) => x.id);
      expect({ lead: ids('lead'), deal: ids('deal'), task: ids('task'), contact: ids('contact'), company: ids('company'), total: r.openRecords.total }).toEqual({
        lead: [m.openLead.id],
        deal: [m.openDeal.id],
        task: [m.openTask.id],
        contact: [m.contact.id],
        company: [m.company.id],
        total: 5,
      });
      const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'user.deactivate'), eq(auditLog.entityId, m.user.id)));
      expect(audit).toMatchObject({ actorId: admin.id, after: { isActive: false, revokedTokens: 1, endedSessions: 2 } });

      // Doing it again changes nothing and says so.
      const again = await deactivateUser(db(), userActor(admin), m.user.id);
      expect(again).toMatchObject({ alreadyInactive: true, revokedTokens: 0 });
    });

    it('nobody can give a deactivated user work, reach him, or issue him a token or an invite', async () => {
      const { user: boss } = await makeUser(db(), ['supervisor']);
      const m = await busyManager();
      await deactivateUser(db(), systemActor, m.user.id);
      const [lead] = await db().insert(leads).values({ title: 'Новая', source: 'site', status: 'new' }).returning();
      await expect(assignLead(db(), userActor(boss), lead!.id, m.user.id)).rejects.toBeInstanceOf(ValidationError);
      expect(await reachableStaff(db(), m.user.id)).toBeNull();
      await expect(createApiToken(db(), systemActor, m.user.id)).rejects.toMatchObject({ reason: 'inactive' });
      await expect(createStaffInvite(db(), systemActor, m.user.id)).rejects.toMatchObject({ reason: 'inactive' });
      expect((await listStaff(db(), systemActor, { active: true })).map((e) => e.user.id)).not.toContain(m.user.id);
      expect((await listStaff(db(), systemActor, { active: false })).map((e) => e.user.id)).toContain(m.user.id);
    });

    it('hands his open records to another person: all at once, each with a timeline entry and an audit row', async () => {
      const m = await busyManager();
      const { user: victor } = await makeUser(db(), ['manager']);
      await deactivateUser(db(), systemActor, m.user.id);
      const r = await handOverRecords(db(), systemActor, m.user.id, victor.id);
      expect(r.moved.map((x) => `${x.kind}:${x.id}`).sort()).toEqual(
        [`lead:${m.openLead.id}`, `deal:${m.openDeal.id}`, `task:${m.openTask.id}`, `contact:${m.contact.id}`, `company:${m.company.id}`].sort(),
      );
      const [deal] = await db().select().from(deals).where(eq(deals.id, m.openDeal.id));
      expect(deal).toMatchObject({ responsibleId: victor.id, version: m.openDeal.version + 1 });
      expect((await db().select().from(leads).where(eq(leads.id, m.openLead.id)))[0]!.responsibleId).toBe(victor.id);
      expect((await db().select().from(tasks).where(eq(tasks.id, m.openTask.id)))[0]!.assigneeId).toBe(victor.id);
      expect((await db().select().from(contacts).where(eq(contacts.id, m.contact.id)))[0]!.responsibleId).toBe(victor.id);
      expect((await db().select().from(companies).where(eq(companies.id, m.company.id)))[0]!.responsibleId).toBe(victor.id);
      // What was closed stays with him.
      expect((await db().select().from(deals).where(eq(deals.id, m.closedDeal.id)))[0]!.responsibleId).toBe(m.user.id);
      const entries = await db().select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, m.openDeal.id)));
      expect(entries.map((e) => e.data)).toContainEqual({ responsible: { from: m.user.id, to: victor.id }, handover: true });
      const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'lead.handover'));
      expect(audits.some((a) => a.entityId === m.openLead.id)).toBe(true);
      expect((await openRecordsOf(db(), systemActor, m.user.id)).total).toBe(0);
    });

    it('hands records over one by one; one that is not his is left and named', async () => {
      const m = await busyManager();
      const { user: victor } = await makeUser(db(), ['manager']);
      const { user: vera } = await makeUser(db(), ['supervisor']);
      const one = await handOverRecords(db(), systemActor, m.user.id, victor.id, [{ kind: 'deal', id: m.openDeal.id }, { kind: 'deal', id: m.closedDeal.id }]);
      expect(one.moved.map((x) => x.id)).toEqual([m.openDeal.id]);
      expect(one.skipped).toEqual([{ kind: 'deal', id: m.closedDeal.id }]);
      const two = await handOverRecords(db(), systemActor, m.user.id, vera.id, [{ kind: 'task', id: m.openTask.id }]);
      expect(two.moved.map((x) => `${x.kind}:${x.id}`)).toEqual([`task:${m.openTask.id}`]);
      const left = await openRecordsOf(db(), systemActor, m.user.id);
      expect(left.total).toBe(3);
      // Not to himself, not to someone inactive, and only by an admin.
      await expect(handOverRecords(db(), systemActor, m.user.id, m.user.id)).rejects.toBeInstanceOf(ValidationError);
      await deactivateUser(db(), systemActor, victor.id);
      await expect(handOverRecords(db(), systemActor, m.user.id, victor.id)).rejects.toBeInstanceOf(ValidationError);
      await expect(handOverRecords(db(), userActor(vera), m.user.id, vera.id)).rejects.toBeInstanceOf(AccessDeniedError);
    });

    it('an admin cannot deactivate himself, and the last active admin can neither be deactivated nor lose the role', async () => {
      // This database's admins are all made here: the others made by earlier tests are set aside.
      await db().update(users).set({ isActive: false }).where(eq(users.isActive, true));
      const { user: anna } = await makeUser(db(), ['admin']);
      const { user: boris } = await makeUser(db(), ['admin', 'manager']);
      await expect(deactivateUser(db(), userActor(anna), anna.id)).rejects.toMatchObject({ reason: 'self_deactivation' });
      // Two admins removing each other at once: one of them stays.
      const both = await Promise.allSettled([deactivateUser(db(), userActor(anna), boris.id), deactivateUser(db(), userActor(boris), anna.id)]);
      expect(both.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
      const refused = both.find((s) => s.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(StaffChangeRefusedError);
      const [{ n }] = (await db().select({ n: count() }).from(users).where(eq(users.isActive, true))) as [{ n: number }];
      expect(Number(n)).toBe(1);
      const [last] = await db().select().from(users).where(eq(users.isActive, true));
      await expect(deactivateUser(db(), systemActor, last!.id)).rejects.toMatchObject({ reason: 'last_admin' });
      await expect(updateUser(db(), systemActor, last!.id, { roles: ['manager'] })).rejects.toMatchObject({ reason: 'last_admin' });
      // With a second admin, he may step down.
      const { user: cyril } = await makeUser(db(), ['admin']);
      expect((await updateUser(db(), systemActor, last!.id, { roles: ['manager'] })).roles).toEqual(['manager']);
      await expect(updateUser(db(), systemActor, cyril.id, { roles: ['manager'] })).rejects.toMatchObject({ reason: 'last_admin' });
    });

    it('reactivating gives access back but not the revoked tokens', async () => {
      const m = await busyManager();
      await deactivateUser(db(), systemActor, m.user.id);
      const r = await reactivateUser(db(), systemActor, m.user.id);
      expect(r.user).toMatchObject({ isActive: true, deactivatedAt: null });
      expect(await findUserByToken(db(), m.token)).toBeNull();
      expect(await reachableStaff(db(), m.user.id)).not.toBeNull();
      const fresh = await createApiToken(db(), systemActor, m.user.id);
      expect((await findUserByToken(db(), fresh.token))?.id).toBe(m.user.id);
      expect((await db().select().from(auditLog).where(and(eq(auditLog.action, 'user.reactivate'), eq(auditLog.entityId, m.user.id)))).length).toBe(1);
    });

    it('adding a user with an unknown supervisor writes nothing and names the field', async () => {
      const before = await db().select({ n: count() }).from(users);
      const err = await createUser(db(), systemActor, { name: 'Анна', roles: ['manager'], supervisorId: 999_999 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues).toEqual([{ field: 'supervisorId', message: 'no such user' }]);
      expect(await db().select({ n: count() }).from(users)).toEqual(before);
      await expect(createUser(db(), systemActor, { name: 'Анна\u0000', roles: ['manager'] })).rejects.toBeInstanceOf(ValidationError);
    });

    it('changes a user (name, roles, supervisor, department, language, WhatsApp), audited; a supervisor loop and a taken number are refused', async () => {
      const { user: boss } = await makeUser(db(), ['supervisor']);
      const { user: anna } = await makeUser(db(), ['manager']);
      const after = await updateUser(db(), systemActor, anna.id, { name: 'Анна Петрова', roles: ['manager', 'logist', 'manager'], supervisorId: boss.id, department: 'Продажи', language: 'en', whatsappPhone: '8 916 000-11-22' });
      expect(after).toMatchObject({ name: 'Анна Петрова', roles: ['manager', 'logist'], supervisorId: boss.id, department: 'Продажи', language: 'en', whatsappPhone: '+79160001122' });
      const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'user.update'), eq(auditLog.entityId, anna.id)));
      expect(audit!.before).toMatchObject({ roles: ['manager'], supervisorId: null, language: 'ru' });
      expect(audit!.after).toMatchObject({ roles: ['manager', 'logist'], supervisorId: boss.id, language: 'en' });
      await expect(updateUser(db(), systemActor, boss.id, { supervisorId: anna.id })).rejects.toMatchObject({ reason: 'supervisor_loop' });
      await expect(updateUser(db(), systemActor, anna.id, { supervisorId: anna.id })).rejects.toBeInstanceOf(ValidationError);
      await expect(updateUser(db(), systemActor, boss.id, { whatsappPhone: '+79160001122' })).rejects.toBeInstanceOf(ValidationError);
      await expect(updateUser(db(), userActor(boss), anna.id, { name: 'X' })).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(updateUser(db(), systemActor, 999_999, { name: 'X' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists a user\'s tokens without their secret and revokes one at once; revoking again changes nothing', async () => {
      const { user } = await makeUser(db(), ['manager']);
      const a = await createApiToken(db(), systemActor, user.id, 'laptop');
      const b = await createApiToken(db(), systemActor, user.id, 'phone');
      const list = await listApiTokens(db(), systemActor, user.id);
      expect(list.map((k) => [k.id, k.label, k.revokedAt])).toEqual([
        [a.id, 'laptop', null],
        [b.id, 'phone', null],
      ]);
      expect(JSON.stringify(list)).not.toMatch(/ccrm_|tokenHash|[0-9a-f]{64}/);
      const r = await revokeApiToken(db(), systemActor, a.id);
      expect(r.alreadyRevoked).toBe(false);
      expect(await findUserByToken(db(), a.token)).toBeNull();
      expect((await findUserByToken(db(), b.token))?.id).toBe(user.id);
      const again = await revokeApiToken(db(), systemActor, a.id);
      expect(again.alreadyRevoked).toBe(true);
      expect(again.token.revokedAt).toEqual(r.token.revokedAt);
      await expect(revokeApiToken(db(), systemActor, 999_999)).rejects.toBeInstanceOf(NotFoundError);
      await expect(listApiTokens(db(), userActor(user), user.id)).rejects.toBeInstanceOf(AccessDeniedError);
      const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, a.id));
      expect(row!.revokedAt).toBeInstanceOf(Date);
    });
  });
}
