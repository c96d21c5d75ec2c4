import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { contacts, deals } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { createContact, updateContact } from '../../../src/crm/contacts.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { createLead } from '../../../src/crm/leads.ts';
import { searchRecords } from '../../../src/crm/search.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { type PresetDb, uniqueWord } from './preset-db.ts';

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

/** `dealer`: a database with the dealer preset. */
export function defineSearchSuite(kind: DbKind, dealer: PresetDb) {
  describe(`searchRecords on ${kind}`, () => {
    const db = () => dealer().db;

    async function world() {
      const surname = uniqueWord('Сидоров');
      const { actor: a, user: ua } = await makeUser(db(), ['manager']);
      const { actor: b, user: ub } = await makeUser(db(), ['manager']);
      const { actor: boss } = await makeUser(db(), ['supervisor']);
      const contactA = await createContact(db(), a, { lastName: surname, firstName: 'Иван', middleName: 'Петрович', phone: '+7 916 555-12-34' });
      const contactB = await createContact(db(), b, { lastName: surname, firstName: 'Пётр' });
      const company = await createCompany(db(), a, { name: `ООО ${surname}-Агро`, phone: '8 (495) 111-22-33' });
      const { lead } = await createLead(db(), a, { title: `Заявка: ${surname}, трактор`, source: 'site' });
      const { lead: leadB } = await createLead(db(), b, { title: `Заявка: ${surname}, комбайн`, source: 'site' });
      const deal = await createDeal(db(), a, { title: `${surname} МТЗ-82`, contactId: contactA.id });
      const dealB = await createDeal(db(), b, { title: `${surname} К-700` });
      return { surname, a, ua, b, ub, boss, contactA, contactB, company, lead, leadB, deal, dealB };
    }

    it('finds by name, case-insensitively, in every kind of record, only what the manager may open', async () => {
      const w = await world();
      const r = await searchRecords(db(), w.a, w.surname.toUpperCase());
      expect(ids(r.contacts)).toEqual([w.contactA.id]);
      expect(ids(r.companies)).toEqual([w.company.id]);
      expect(ids(r.leads)).toEqual([w.lead.id]);
      expect(ids(r.deals)).toEqual([w.deal.id]);
      const boss = await searchRecords(db(), w.boss, w.surname.toLowerCase());
      expect(ids(boss.contacts).sort()).toEqual([w.contactA.id, w.contactB.id].sort());
      expect(ids(boss.leads).sort()).toEqual([w.lead.id, w.leadB.id].sort());
      expect(ids(boss.deals).sort()).toEqual([w.deal.id, w.dealB.id].sort());
      // "Иван Сидоров" and "Сидоров Иван Петрович": the parts in either order.
      expect(ids((await searchRecords(db(), w.a, `иван ${w.surname}`)).contacts)).toEqual([w.contactA.id]);
      expect(ids((await searchRecords(db(), w.a, `${w.surname} Иван Пет`)).contacts)).toEqual([w.contactA.id]);
      expect(await searchRecords(db(), w.a, '   ')).toEqual({ leads: [], deals: [], contacts: [], companies: [] });
    });

    it('finds by phone in any notation, +7 and 8 alike, also a phone stored unnormalized', async () => {
      const w = await world();
      for (const q of ['89165551234', '+7 (916) 555-12-34', '9165551234', '79165551234', '555-12-34'])
        expect(ids((await searchRecords(db(), w.a, q)).contacts), q).toContain(w.contactA.id);
      expect(ids((await searchRecords(db(), w.a, '+7 495 111 22 33')).companies)).toContain(w.company.id);
      expect(ids((await searchRecords(db(), w.b, '89165551234')).contacts)).not.toContain(w.contactA.id);
      // Imported as typed, not as E.164.
      await db().update(contacts).set({ phone: '8 (916) 777-00-11' }).where(eq(contacts.id, w.contactB.id));
      expect(ids((await searchRecords(db(), w.b, '+79167770011')).contacts)).toEqual([w.contactB.id]);
      expect(ids((await searchRecords(db(), w.b, '+79167770012')).contacts)).toEqual([]);
    });

    it('finds a record by its number, with or without #, first in its list; another manager\'s stays hidden', async () => {
      const w = await world();
      const byDeal = await searchRecords(db(), w.a, `#${w.deal.id}`);
      expect(byDeal.deals[0]?.id).toBe(w.deal.id);
      expect((await searchRecords(db(), w.a, String(w.lead.id))).leads[0]?.id).toBe(w.lead.id);
      expect((await searchRecords(db(), w.a, `# ${w.contactA.id}`)).contacts[0]?.id).toBe(w.contactA.id);
      expect((await searchRecords(db(), w.a, `${w.company.id}`)).companies[0]?.id).toBe(w.company.id);
      const sup = await searchRecords(db(), w.boss, `#${w.dealB.id}`);
      expect(sup.deals[0]?.id).toBe(w.dealB.id);
      expect(ids((await searchRecords(db(), w.a, `#${w.dealB.id}`)).deals)).not.toContain(w.dealB.id);
      expect(ids((await searchRecords(db(), w.a, `#${w.leadB.id}`)).leads)).not.toContain(w.leadB.id);
      expect(ids((await searchRecords(db(), w.a, `#${w.contactB.id}`)).contacts)).not.toContain(w.contactB.id);
    });

    it('observers find deals and contacts they observe (not leads, which have none); the system actor sees all', async () => {
      const w = await world();
      expect(ids((await searchRecords(db(), w.b, w.surname)).deals)).toEqual([w.dealB.id]);
      await db().update(deals).set({ observerIds: [w.ub.id] }).where(eq(deals.id, w.deal.id));
      await updateContact(db(), w.a, w.contactA.id, { observerIds: [w.ub.id] });
      const r = await searchRecords(db(), w.b, w.surname);
      expect(ids(r.deals).sort()).toEqual([w.deal.id, w.dealB.id].sort());
      expect(ids(r.contacts).sort()).toEqual([w.contactA.id, w.contactB.id].sort());
      expect(ids(r.leads)).toEqual([w.leadB.id]);
      expect(ids((await searchRecords(db(), systemActor, w.surname)).contacts)).toHaveLength(2);
    });

    it('limits each list, 10 by default', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const word = uniqueWord('Лимит');
      for (let i = 0; i < 12; i++) await createContact(db(), actor, { firstName: `${word} ${i}` });
      expect((await searchRecords(db(), actor, word)).contacts).toHaveLength(10);
      const two = await searchRecords(db(), actor, word, { limit: 2 });
      expect(two.contacts.map((c) => c.firstName)).toEqual([`${word} 11`, `${word} 10`]);
    });
  });
}
