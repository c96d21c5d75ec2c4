import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { auditLog, deals, stages } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { getDealCard, getLeadCard } from '../../../src/crm/cards.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { createContact } from '../../../src/crm/contacts.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { AccessDeniedError, ConflictError, NotFoundError, ValidationError } from '../../../src/crm/errors.ts';
import { convertLead, createLead } from '../../../src/crm/leads.ts';
import { listTimeline } from '../../../src/crm/timeline.ts';
import { setLeadFields, updateLead } from '../../../src/crm/update-lead.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import type { PresetDb } from './preset-db.ts';

const FARM_STAGES = ['new', 'in_work', 'proposal_sent', 'deferred', 'invoice_sent', 'shipment', 'closing_docs', 'won', 'lost'];

export function defineLeadCardSuite(kind: DbKind, dealer: PresetDb) {
  describe(`lead updates and cards on ${kind}`, () => {
    const db = () => dealer().db;

    it('updateLead: title, comment, links and custom values checked by type; setLeadFields one answer at a time', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const contact = await createContact(db(), actor, { firstName: 'Пётр' });
      const company = await createCompany(db(), actor, { name: 'ООО Нива' });
      const { lead } = await createLead(db(), actor, { title: 'Заявка', source: 'telegram' });
      const updated = await updateLead(db(), actor, lead.id, {
        title: 'Трактор к весне',
        comment: 'перезвонить после 15:00',
        contactId: contact.id,
        companyId: company.id,
        custom: { land_area: '1 200' },
      });
      expect(updated).toMatchObject({ title: 'Трактор к весне', comment: 'перезвонить после 15:00', contactId: contact.id, companyId: company.id, custom: { land_area: 1200 } });
      const answered = await setLeadFields(db(), actor, lead.id, { equipment: 'МТЗ-82' });
      expect(answered.custom).toEqual({ land_area: 1200, equipment: 'МТЗ-82' });
      expect((await setLeadFields(db(), actor, lead.id, { land_area: null })).custom).toEqual({ equipment: 'МТЗ-82' });
      const [changeEntry] = (await listTimeline(db(), 'lead', lead.id, { newestFirst: true, limit: 1 })).map((e) => e.data);
      expect(changeEntry).toEqual({ fields: ['custom.land_area'] });
      expect(await db().select().from(auditLog).where(eq(auditLog.action, 'lead.update'))).not.toHaveLength(0);

      const wrongType = await setLeadFields(db(), actor, lead.id, { land_area: 'много' }).catch((e) => e);
      expect(wrongType).toBeInstanceOf(ValidationError);
      expect((wrongType as ValidationError).issues).toEqual([{ field: 'custom.land_area', message: 'must be a number' }]);
      const unknown = await setLeadFields(db(), actor, lead.id, { color: 'red' }).catch((e) => e);
      expect((unknown as ValidationError).issues.map((i) => i.field)).toEqual(['custom.color']);
      const dangling = await updateLead(db(), actor, lead.id, { contactId: 987_654_321 }).catch((e) => e);
      expect(dangling).toBeInstanceOf(ValidationError);
      expect((dangling as ValidationError).issues.map((i) => i.field)).toEqual(['contactId']);
      await expect(updateLead(db(), actor, lead.id, { title: '  ' })).rejects.toBeInstanceOf(ValidationError);

      const { actor: other } = await makeUser(db(), ['manager']);
      await expect(setLeadFields(db(), other, lead.id, { equipment: 'К-700' })).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(updateLead(db(), actor, 987_654_321, { title: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await convertLead(db(), actor, lead.id);
      await expect(setLeadFields(db(), actor, lead.id, { equipment: 'К-700' })).rejects.toBeInstanceOf(ConflictError);
    });

    it('getLeadCard: contact, company, responsible and status by name, the last five timeline entries newest last', async () => {
      const { actor, user } = await makeUser(db(), ['manager'], { name: 'Ирина Ковалёва' });
      const contact = await createContact(db(), actor, { lastName: 'Сидоров', firstName: 'Пётр', phone: '8 903 555 12 34' });
      const company = await createCompany(db(), actor, { name: 'ООО Колос' });
      const { lead } = await createLead(db(), actor, { title: 'Сеялка', source: 'site', contactId: contact.id, companyId: company.id });
      for (let i = 1; i <= 6; i++) await updateLead(db(), actor, lead.id, { comment: `звонок ${i}` });
      const card = await getLeadCard(db(), actor, lead.id);
      expect(card.lead.comment).toBe('звонок 6');
      expect(card.contact).toEqual({ id: contact.id, name: 'Сидоров Пётр', phone: '+79035551234' });
      expect(card.company).toEqual({ id: company.id, name: 'ООО Колос' });
      expect(card.responsible).toEqual({ id: user.id, name: 'Ирина Ковалёва' });
      expect(card.status).toEqual({ key: 'new', name: 'Новый', kind: 'open' });
      const all = await listTimeline(db(), 'lead', lead.id);
      expect(all).toHaveLength(7);
      expect(card.timeline.map((e) => e.id)).toEqual(all.slice(-5).map((e) => e.id));
      const { actor: other } = await makeUser(db(), ['manager']);
      await expect(getLeadCard(db(), other, lead.id)).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(getLeadCard(db(), actor, 987_654_321)).rejects.toBeInstanceOf(NotFoundError);
      const { lead: bare } = await createLead(db(), actor, { title: 'Без контакта', source: 'site' });
      expect(await getLeadCard(db(), actor, bare.id)).toMatchObject({ contact: null, company: null });
    });

    it('getDealCard: stage and pipeline with its ordered stages, the next open stage, names; none after the last open stage', async () => {
      const { actor, user } = await makeUser(db(), ['manager'], { name: 'Олег Носов' });
      const { user: watcher } = await makeUser(db(), ['manager'], { name: 'Вера Лис' });
      const contact = await createContact(db(), actor, { firstName: 'Анна', phone: '+79160000001' });
      const company = await createCompany(db(), actor, { name: 'АО Поле' });
      const deal = await createDeal(db(), actor, { title: 'Комбайн', contactId: contact.id, companyId: company.id, observerIds: [watcher.id] });
      const card = await getDealCard(db(), actor, deal.id);
      expect(card.stage).toMatchObject({ key: 'new', name: 'Новая', kind: 'open' });
      expect(card.pipeline).toMatchObject({ key: 'farm', name: 'Сельскохозяйственная техника' });
      expect(card.pipeline.stages.map((s) => s.key)).toEqual(FARM_STAGES);
      expect(card.nextStageKey).toBe('in_work');
      expect(card.contact).toEqual({ id: contact.id, name: 'Анна', phone: '+79160000001' });
      expect(card.company).toEqual({ id: company.id, name: 'АО Поле' });
      expect(card.responsible).toEqual({ id: user.id, name: 'Олег Носов' });
      expect(card.observers).toEqual([{ id: watcher.id, name: 'Вера Лис' }]);
      expect(card.timeline.map((e) => e.kind)).toEqual(['system']);

      const at = async (key: string) => {
        const [s] = (await db().select().from(stages).where(eq(stages.key, key))).filter((x) => x.pipelineId === deal.pipelineId);
        await db().update(deals).set({ stageId: s!.id }).where(eq(deals.id, deal.id));
        return (await getDealCard(db(), actor, deal.id)).nextStageKey;
      };
      expect(await at('deferred')).toBe('invoice_sent');
      // closing_docs is the last open stage: what follows is won or lost, a decision, not a step.
      expect(await at('closing_docs')).toBeNull();
      expect(await at('lost')).toBeNull();
      expect(await at('won')).toBeNull();

      // The observer sees the card; another manager does not.
      expect((await getDealCard(db(), userActor(watcher), deal.id)).deal.id).toBe(deal.id);
      const { actor: other } = await makeUser(db(), ['manager']);
      await expect(getDealCard(db(), other, deal.id)).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(getDealCard(db(), actor, 987_654_321)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
