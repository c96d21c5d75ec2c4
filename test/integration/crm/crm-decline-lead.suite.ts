import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { contacts, leads, tasks } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createContact } from '../../../src/crm/contacts.ts';
import { declineLead } from '../../../src/crm/decline-lead.ts';
import { AccessDeniedError, ConflictError, ValidationError } from '../../../src/crm/errors.ts';
import { convertLead, createLead } from '../../../src/crm/leads.ts';
import { listTimeline } from '../../../src/crm/timeline.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import type { PresetDb } from './preset-db.ts';

/** `accessories`: the case study whose declining clients are kept. */
export function defineDeclineLeadSuite(kind: DbKind, accessories: PresetDb) {
  describe(`declineLead on ${kind}`, () => {
    const db = () => accessories().db;
    const lead = async (actor: Parameters<typeof createLead>[1], extra: Partial<Parameters<typeof createLead>[2]> = {}) =>
      (
        await createLead(db(), actor, {
          title: 'Анна, кошелёк',
          source: 'telegram',
          custom: { city: 'Казань', contact_method: 'WhatsApp', payment_form: 'Наличные', product: 'Кошелёк' },
          ...extra,
        })
      ).lead;

    it('closes the lead as declined, keeps the client as a new contact with what was learnt, a call-back task and a tag', async () => {
      const { actor, user } = await makeUser(db(), ['manager']);
      const l = await lead(actor);
      const callBackAt = new Date('2027-03-01T09:00:00Z');
      const r = await declineLead(db(), actor, l.id, { reason: 'Пока дорого', callBackAt, mailingTag: 'весенняя-скидка' });
      expect(r.lead).toMatchObject({ status: 'declined', statusReason: 'Пока дорого', contactId: r.contact.id });
      expect(r.contact.firstName).toBe('Анна, кошелёк');
      expect(r.contact.responsibleId).toBe(user.id);
      // Only the fields the contact card has: city and how to reach her, not the payment form.
      expect(r.contact.custom).toEqual({ city: 'Казань', contact_method: 'WhatsApp' });
      expect(r.contact.tags).toEqual(['весенняя-скидка']);
      expect(r.task).toMatchObject({ status: 'open', assigneeId: user.id, entityType: 'contact', entityId: r.contact.id, dueAt: callBackAt });
      const [stored] = await db().select().from(contacts).where(eq(contacts.id, r.contact.id));
      expect(stored).toEqual(r.contact);
      const [storedLead] = await db().select().from(leads).where(eq(leads.id, l.id));
      expect(storedLead).toEqual(r.lead);
      expect((await listTimeline(db(), 'lead', l.id)).map((e) => e.data.event ?? e.data.status)).toEqual([
        'created',
        { from: 'not_processed', to: 'declined' },
        'declined',
      ]);
      const contactEvents = (await listTimeline(db(), 'contact', r.contact.id)).map((e) => [e.kind, e.data.event ?? null]);
      expect(contactEvents).toEqual([
        ['system', 'created'],
        ['change', null],
        ['system', 'lead_declined'],
        ['task', 'created'],
      ]);
    });

    it('uses the lead\'s contact; a tag it already has is not added twice; no call-back, no task', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const contact = await createContact(db(), actor, { firstName: 'Ольга', tags: ['Рассылка'], custom: { city: 'Пермь' } });
      const l = await lead(actor, { contactId: contact.id, custom: { contact_method: 'Telegram' } });
      const r = await declineLead(db(), actor, l.id, { reason: 'Подумает', mailingTag: 'рассылка' });
      expect(r.contact.id).toBe(contact.id);
      expect(r.contact.tags).toEqual(['Рассылка']);
      expect(r.contact.custom).toEqual({ city: 'Пермь', contact_method: 'Telegram' });
      expect(r.task).toBeNull();
      expect(await db().select().from(tasks).where(eq(tasks.entityId, contact.id))).toEqual([]);
    });

    it('an unassigned lead declined by a supervisor: the call-back task is his', async () => {
      const { actor: boss, user: bossUser } = await makeUser(db(), ['supervisor']);
      const l = await lead(systemActor);
      expect(l.responsibleId).toBeNull();
      const r = await declineLead(db(), boss, l.id, { reason: 'Не сейчас', callBackAt: '2027-01-10T10:00:00Z' });
      expect(r.task?.assigneeId).toBe(bossUser.id);
      expect(r.contact.tags).toEqual([]);
    });

    it('refuses without a reason, for another manager, and for a converted lead; nothing is written', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const { actor: other } = await makeUser(db(), ['manager']);
      const l = await lead(actor);
      for (const reason of [undefined, '', '   ']) {
        const err = await declineLead(db(), actor, l.id, { reason: reason as string, mailingTag: 'x' }).catch((e) => e);
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).issues.map((i) => i.field)).toEqual(['reason']);
      }
      await expect(declineLead(db(), other, l.id, { reason: 'дорого', callBackAt: new Date() })).rejects.toBeInstanceOf(AccessDeniedError);
      const [after] = await db().select().from(leads).where(eq(leads.id, l.id));
      expect(after).toMatchObject({ status: 'not_processed', contactId: null });
      expect((await listTimeline(db(), 'lead', l.id)).map((e) => e.kind)).toEqual(['system']);
      await convertLead(db(), actor, l.id, { contact: { firstName: 'Анна' } });
      await expect(declineLead(db(), actor, l.id, { reason: 'передумала' })).rejects.toBeInstanceOf(ConflictError);
    });
  });
}
