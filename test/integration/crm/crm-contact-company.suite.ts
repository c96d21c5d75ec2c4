import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { auditLog, deals, leads } from '../../../db/schema/index.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { convertContactToCompany } from '../../../src/crm/contact-to-company.ts';
import { createContact, getContact } from '../../../src/crm/contacts.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from '../../../src/crm/errors.ts';
import { createLead, setLeadStatus } from '../../../src/crm/leads.ts';
import { moveDealToStage } from '../../../src/crm/move-deal.ts';
import { listTimeline } from '../../../src/crm/timeline.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import type { PresetDb } from './preset-db.ts';

/** `b2b`: b2b-supply, the case study that turns contacts into companies. */
export function defineContactToCompanySuite(kind: DbKind, b2b: PresetDb) {
  describe(`contact → company on ${kind}`, () => {
    const db = () => b2b().db;

    it('makes the company from the contact card, links the contact and its open deals and leads that had no company', async () => {
      const { actor: a, user: ua } = await makeUser(db(), ['manager']);
      const { user: ub } = await makeUser(db(), ['manager']);
      const contact = await createContact(db(), a, {
        lastName: 'Коваленко',
        firstName: 'Олег',
        phone: '+380 44 123 4567',
        email: 'oleg@example.com',
        comment: 'Закупает раз в месяц',
        observerIds: [ub.id],
        custom: { last_call_date: '20.11.2026', last_call_type: 'Входящий', sales_plan: 1000 },
      });
      const open = await createDeal(db(), a, { title: 'Папір', contactId: contact.id });
      const other = await createCompany(db(), a, { name: 'ТОВ Інша' });
      const withCompany = await createDeal(db(), a, { title: 'Ручки', contactId: contact.id, companyId: other.id });
      const lost = await createDeal(db(), a, { title: 'Картриджі', contactId: contact.id });
      await moveDealToStage(db(), a, lost.id, { toStage: 'lost', expectedVersion: 1, values: { loss_reason: 'дорого' } });
      const { lead: openLead } = await createLead(db(), a, { title: 'Обращение', source: 'phone', contactId: contact.id });
      const { lead: rejectedLead } = await createLead(db(), a, { title: 'Спам', source: 'phone', contactId: contact.id });
      await setLeadStatus(db(), a, rejectedLead.id, 'rejected', 'не клиент');

      const r = await convertContactToCompany(db(), a, contact.id);
      expect(r.company).toMatchObject({
        name: 'Коваленко Олег',
        phone: '+380441234567',
        email: 'oleg@example.com',
        comment: 'Закупает раз в месяц',
        responsibleId: ua.id,
        observerIds: [ub.id],
      });
      // Fields both cards define come along; the contact's plan figures stay on the contact.
      expect(r.company.custom).toEqual({ last_call_date: '2026-11-20', last_call_type: 'Входящий' });
      expect(r.contact.companyId).toBe(r.company.id);
      expect((await getContact(db(), a, contact.id)).companyId).toBe(r.company.id);
      expect(r.linkedDealIds).toEqual([open.id]);
      expect(r.linkedLeadIds).toEqual([openLead.id]);
      const dealRows = new Map((await db().select().from(deals).where(eq(deals.contactId, contact.id))).map((d) => [d.id, d]));
      expect(dealRows.get(open.id)).toMatchObject({ companyId: r.company.id, version: 2 });
      expect(dealRows.get(withCompany.id)?.companyId).toBe(other.id);
      expect(dealRows.get(lost.id)?.companyId).toBeNull();
      const leadRows = new Map((await db().select().from(leads).where(eq(leads.contactId, contact.id))).map((l) => [l.id, l]));
      expect(leadRows.get(openLead.id)?.companyId).toBe(r.company.id);
      expect(leadRows.get(rejectedLead.id)?.companyId).toBeNull();
      expect((await listTimeline(db(), 'contact', contact.id)).map((e) => e.data)).toContainEqual({ company: { from: null, to: r.company.id } });
      expect((await listTimeline(db(), 'deal', open.id)).map((e) => e.data)).toContainEqual({ company: { from: null, to: r.company.id } });
      const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'contact.to_company'));
      expect(audits.map((x) => x.entityId)).toContain(contact.id);

      const again = await convertContactToCompany(db(), a, contact.id).catch((e) => e);
      expect(again).toBeInstanceOf(ConflictError);
      expect((again as Error).message).toContain(String(r.company.id));
    });

    it('takes a given name; without names, the phone; a contact already in a company is a conflict; access as for the contact', async () => {
      const { actor: a } = await makeUser(db(), ['manager']);
      const { actor: b } = await makeUser(db(), ['manager']);
      const named = await createContact(db(), a, { firstName: 'Ірина' });
      expect((await convertContactToCompany(db(), a, named.id, { name: 'ТОВ Канцсвіт' })).company.name).toBe('ТОВ Канцсвіт');
      const phoneOnly = await createContact(db(), a, { phone: '+380 67 000 1122' });
      expect((await convertContactToCompany(db(), a, phoneOnly.id)).company.name).toBe('+380670001122');
      const company = await createCompany(db(), a, { name: 'ТОВ Вже є' });
      const member = await createContact(db(), a, { firstName: 'Марко', companyId: company.id });
      await expect(convertContactToCompany(db(), a, member.id)).rejects.toBeInstanceOf(ConflictError);
      const foreign = await createContact(db(), a, { firstName: 'Чужий' });
      await expect(convertContactToCompany(db(), b, foreign.id)).rejects.toBeInstanceOf(AccessDeniedError);
      expect((await getContact(db(), a, foreign.id)).companyId).toBeNull();
      await expect(convertContactToCompany(db(), a, 987_654_321)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
