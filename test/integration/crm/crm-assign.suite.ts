import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { auditLog, companies, contacts, deals, leads, timelineEntries } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { assignDeal, assignLead, takeLead } from '../../../src/crm/assign.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { createContact } from '../../../src/crm/contacts.ts';
import { setDealObservers } from '../../../src/crm/deal-observers.ts';
import { createDeal, getDeal } from '../../../src/crm/deals.ts';
import { AccessDeniedError, ConflictError, LeadTakenError, NotFoundError, StaleVersionError, ValidationError } from '../../../src/crm/errors.ts';
import { createLead } from '../../../src/crm/leads.ts';
import { listTimeline } from '../../../src/crm/timeline.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import type { PresetDb } from './preset-db.ts';

const changes = async (db: ReturnType<PresetDb>['db'], entityType: 'lead' | 'deal' | 'contact' | 'company', id: number) =>
  (await listTimeline(db, entityType, id)).filter((e) => e.kind === 'change').map((e) => e.data);

/** `dealer` does not propagate a deal's responsible; `b2b` (b2b-supply) does. */
export function defineAssignSuite(kind: DbKind, dealer: PresetDb, b2b: PresetDb) {
  describe(`assignment and observers on ${kind}`, () => {
    const db = () => dealer().db;
    const unassignedLead = async () => (await createLead(db(), systemActor, { title: 'Заявка с сайта', source: 'site' })).lead;

    it('a manager takes an unassigned lead; the next one to try is told who has it', async () => {
      const { actor: a, user: ua } = await makeUser(db(), ['manager'], { name: 'Анна Смирнова' });
      const { actor: b } = await makeUser(db(), ['manager']);
      const lead = await unassignedLead();
      expect(lead.responsibleId).toBeNull();
      const taken = await takeLead(db(), a, lead.id);
      expect(taken.responsibleId).toBe(ua.id);
      expect(await changes(db(), 'lead', lead.id)).toEqual([{ responsible: { from: null, to: ua.id } }]);
      const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, 'lead.take'), eq(auditLog.entityId, lead.id)));
      expect(audit?.actorId).toBe(ua.id);
      const err = await takeLead(db(), b, lead.id).catch((e) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err).toBeInstanceOf(LeadTakenError);
      expect((err as Error).message).toContain('Анна Смирнова');
      expect((err as LeadTakenError).holderId).toBe(ua.id);
      // Taking one's own lead again changes nothing.
      expect((await takeLead(db(), a, lead.id)).responsibleId).toBe(ua.id);
      expect(await changes(db(), 'lead', lead.id)).toHaveLength(1);
      await expect(takeLead(db(), a, 987_654_321)).rejects.toBeInstanceOf(NotFoundError);
      const { actor: logist } = await makeUser(db(), ['logist']);
      await expect(takeLead(db(), logist, (await unassignedLead()).id)).rejects.toBeInstanceOf(AccessDeniedError);
    });

    it('two managers take the same lead at once: exactly one wins, the other gets a ConflictError', async () => {
      const { actor: a, user: ua } = await makeUser(db(), ['manager']);
      const { actor: b, user: ub } = await makeUser(db(), ['manager']);
      for (let round = 0; round < 5; round++) {
        const lead = await unassignedLead();
        const results = await Promise.allSettled([takeLead(db(), a, lead.id), takeLead(db(), b, lead.id)]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
        const winner = won[0]!.value.responsibleId;
        expect([ua.id, ub.id]).toContain(winner);
        const [row] = await db().select().from(leads).where(eq(leads.id, lead.id));
        expect(row!.responsibleId).toBe(winner);
        expect(await changes(db(), 'lead', lead.id)).toEqual([{ responsible: { from: null, to: winner } }]);
      }
    });

    it('a supervisor takes an assigned lead over; assignLead by a supervisor or the responsible only, to active users only', async () => {
      const { actor: a, user: ua } = await makeUser(db(), ['manager']);
      const { user: ub } = await makeUser(db(), ['manager']);
      const { actor: boss, user: ubos } = await makeUser(db(), ['supervisor']);
      const { user: gone } = await makeUser(db(), ['manager'], { isActive: false });
      const lead = await unassignedLead();
      await takeLead(db(), a, lead.id);
      expect((await takeLead(db(), boss, lead.id)).responsibleId).toBe(ubos.id);
      await expect(assignLead(db(), a, lead.id, ua.id)).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(assignLead(db(), boss, lead.id, gone.id)).rejects.toBeInstanceOf(ValidationError);
      await expect(assignLead(db(), boss, lead.id, 987_654_321)).rejects.toBeInstanceOf(ValidationError);
      expect((await assignLead(db(), boss, lead.id, ua.id)).responsibleId).toBe(ua.id);
      // The responsible hands it over; then it is no longer his to give.
      expect((await assignLead(db(), a, lead.id, ub.id)).responsibleId).toBe(ub.id);
      await expect(assignLead(db(), a, lead.id, ua.id)).rejects.toBeInstanceOf(AccessDeniedError);
      expect(await changes(db(), 'lead', lead.id)).toEqual([
        { responsible: { from: null, to: ua.id } },
        { responsible: { from: ua.id, to: ubos.id } },
        { responsible: { from: ubos.id, to: ua.id } },
        { responsible: { from: ua.id, to: ub.id } },
      ]);
    });

    it('assignDeal: version checked, timeline written, contact and company left alone when propagation is off', async () => {
      const { actor: a, user: ua } = await makeUser(db(), ['manager']);
      const { actor: b, user: ub } = await makeUser(db(), ['manager']);
      const { actor: boss } = await makeUser(db(), ['supervisor']);
      const company = await createCompany(db(), a, { name: 'ООО Колос' });
      const contact = await createContact(db(), a, { firstName: 'Пётр', companyId: company.id });
      const deal = await createDeal(db(), a, { title: 'МТЗ', contactId: contact.id, companyId: company.id, observerIds: [ub.id] });
      await expect(assignDeal(db(), boss, deal.id, ub.id, 5)).rejects.toBeInstanceOf(StaleVersionError);
      // An observer sees the deal but may not give it away.
      await expect(assignDeal(db(), b, deal.id, ub.id, 1)).rejects.toBeInstanceOf(AccessDeniedError);
      const r = await assignDeal(db(), boss, deal.id, ub.id, 1);
      expect(r.deal.responsibleId).toBe(ub.id);
      expect(r.deal.version).toBe(2);
      expect(r.contact).toBeNull();
      expect(r.company).toBeNull();
      expect(await changes(db(), 'deal', deal.id)).toEqual([{ responsible: { from: ua.id, to: ub.id } }]);
      const [c] = await db().select().from(contacts).where(eq(contacts.id, contact.id));
      const [co] = await db().select().from(companies).where(eq(companies.id, company.id));
      expect(c!.responsibleId).toBe(ua.id);
      expect(co!.responsibleId).toBe(ua.id);
      // The new responsible hands it back, with the version he holds.
      await expect(assignDeal(db(), b, deal.id, ua.id, 1)).rejects.toBeInstanceOf(StaleVersionError);
      expect((await assignDeal(db(), b, deal.id, ua.id, 2)).deal.responsibleId).toBe(ua.id);
    });

    it('assignDeal with propagateResponsible (b2b-supply): the contact and the company follow, in the same transaction', async () => {
      const x = b2b().db;
      const { actor: a, user: ua } = await makeUser(x, ['manager']);
      const { user: ub } = await makeUser(x, ['manager']);
      const { user: gone } = await makeUser(x, ['manager'], { isActive: false });
      const { actor: boss } = await makeUser(x, ['supervisor']);
      const company = await createCompany(x, a, { name: 'ТОВ Канцсвіт' });
      const contact = await createContact(x, a, { firstName: 'Олег', companyId: company.id });
      const deal = await createDeal(x, a, { title: 'Папір А4', contactId: contact.id, companyId: company.id });
      await expect(assignDeal(x, boss, deal.id, gone.id, 1)).rejects.toBeInstanceOf(ValidationError);
      const r = await assignDeal(x, boss, deal.id, ub.id, 1);
      expect(r.deal.responsibleId).toBe(ub.id);
      expect(r.contact?.responsibleId).toBe(ub.id);
      expect(r.company?.responsibleId).toBe(ub.id);
      const [c] = await x.select().from(contacts).where(eq(contacts.id, contact.id));
      const [co] = await x.select().from(companies).where(eq(companies.id, company.id));
      expect(c!.responsibleId).toBe(ub.id);
      expect(co!.responsibleId).toBe(ub.id);
      expect(await changes(x, 'contact', contact.id)).toEqual([{ responsible: { from: ua.id, to: ub.id }, viaDeal: deal.id }]);
      expect(await changes(x, 'company', company.id)).toEqual([{ responsible: { from: ua.id, to: ub.id }, viaDeal: deal.id }]);
      // A deal without contact or company propagates to nothing.
      const bare = await createDeal(x, a, { title: 'без клиента' });
      const rb = await assignDeal(x, boss, bare.id, ub.id, 1);
      expect(rb.contact).toBeNull();
      expect(rb.company).toBeNull();
    });

    it('setDealObservers: by the responsible or a supervisor, deduplicated, active users only, version checked', async () => {
      const { actor: a } = await makeUser(db(), ['manager']);
      const { actor: b, user: ub } = await makeUser(db(), ['manager']);
      const { user: uc } = await makeUser(db(), ['manager']);
      const { user: gone } = await makeUser(db(), ['manager'], { isActive: false });
      const { actor: boss } = await makeUser(db(), ['supervisor']);
      const deal = await createDeal(db(), a, { title: 'К-700' });
      await expect(getDeal(db(), b, deal.id)).rejects.toBeInstanceOf(AccessDeniedError);
      const set = await setDealObservers(db(), a, deal.id, [ub.id, uc.id, ub.id], 1);
      expect(set.observerIds).toEqual([ub.id, uc.id]);
      expect(set.version).toBe(2);
      expect((await getDeal(db(), b, deal.id)).id).toBe(deal.id);
      // Observing is not owning: b may look, not choose who else looks.
      await expect(setDealObservers(db(), b, deal.id, [], 2)).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(setDealObservers(db(), a, deal.id, [gone.id], 2)).rejects.toBeInstanceOf(ValidationError);
      await expect(setDealObservers(db(), a, deal.id, [uc.id], 1)).rejects.toBeInstanceOf(StaleVersionError);
      const cleared = await setDealObservers(db(), boss, deal.id, [uc.id], 2);
      expect(cleared.observerIds).toEqual([uc.id]);
      await expect(getDeal(db(), b, deal.id)).rejects.toBeInstanceOf(AccessDeniedError);
      expect(await changes(db(), 'deal', deal.id)).toEqual([
        { observers: { from: [], to: [ub.id, uc.id] } },
        { observers: { from: [ub.id, uc.id], to: [uc.id] } },
      ]);
      const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'deal.observers'), eq(auditLog.entityId, deal.id)));
      expect(audits).toHaveLength(2);
      const [row] = await db().select().from(deals).where(eq(deals.id, deal.id));
      expect(row!.version).toBe(3);
      const entries = await db().select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, deal.id)));
      expect(entries).toHaveLength(3);
    });
  });
}
