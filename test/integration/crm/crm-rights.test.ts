// Rights on every write of the CRM services, which the bot and the API share: an observer
// reads, comments and reminds himself but never takes a record over; every id a write carries
// is checked with the right to read it; text Postgres cannot store is a 422 naming the field;
// one company per INN.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { companies, contacts, deals, leads, tasks, timelineEntries } from '../../../db/schema/index.ts';
import type { Actor } from '../../../src/crm/actor.ts';
import { assignDeal } from '../../../src/crm/assign.ts';
import { createCompany, updateCompany } from '../../../src/crm/companies.ts';
import { convertContactToCompany } from '../../../src/crm/contact-to-company.ts';
import { createContact, getContact, listContacts, updateContact } from '../../../src/crm/contacts.ts';
import { setDealObservers } from '../../../src/crm/deal-observers.ts';
import { createDeal, getDeal, updateDeal } from '../../../src/crm/deals.ts';
import { declineLead } from '../../../src/crm/decline-lead.ts';
import { AccessDeniedError, DuplicateInnError, ValidationError } from '../../../src/crm/errors.ts';
import { innProblem } from '../../../src/crm/inn.ts';
import { convertLead, createLead, setLeadStatus } from '../../../src/crm/leads.ts';
import { assertMayChange } from '../../../src/crm/may-change.ts';
import { moveDealToStage } from '../../../src/crm/move-deal.ts';
import { createTask } from '../../../src/crm/tasks.ts';
import { updateLead } from '../../../src/crm/update-lead.ts';
import { addCardComment, addCardFile, remindAboutCard } from '../../../src/sales/card-actions.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { uniqueWord, usePresetDb } from './preset-db.ts';

const issuesOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the write was refused').toBeInstanceOf(ValidationError);
  return (err as ValidationError).issues;
};

describe('rights on every CRM write (postgres)', () => {
  const t = usePresetDb('postgres', 'dealer');
  const db = () => t().db;

  /** A manager's deal with its contact and company, and a colleague observing all three. */
  async function observed() {
    const owner = await makeUser(db(), ['manager']);
    const watcher = await makeUser(db(), ['manager']);
    const company = await createCompany(db(), owner.actor, { name: uniqueWord('ООО '), observerIds: [watcher.user.id] });
    const contact = await createContact(db(), owner.actor, { firstName: 'Пётр', companyId: company.id, observerIds: [watcher.user.id] });
    const deal = await createDeal(db(), owner.actor, { title: 'Трактор', contactId: contact.id, companyId: company.id, amount: 100, observerIds: [watcher.user.id] });
    return { owner, watcher, company, contact, deal };
  }
  const row = async <T>(q: Promise<T[]>) => (await q)[0]!;

  it('an observer cannot make himself responsible, drop the observers, edit, move, win or lose the deal', async () => {
    const { owner, watcher, deal } = await observed();
    const w = watcher.actor;
    const refusals = [
      () => updateDeal(db(), w, deal.id, { expectedVersion: 1, responsibleId: watcher.user.id }),
      () => updateDeal(db(), w, deal.id, { expectedVersion: 1, observerIds: [] }),
      () => updateDeal(db(), w, deal.id, { amount: 1 }),
      () => assignDeal(db(), w, deal.id, watcher.user.id, 1),
      () => setDealObservers(db(), w, deal.id, [], 1),
      () => moveDealToStage(db(), w, deal.id, { toStage: 'in_work', expectedVersion: 1 }),
      () => moveDealToStage(db(), w, deal.id, { toStage: 'lost', expectedVersion: 1, values: { loss_reason: 'дорого' } }),
      () => assertMayChange(db(), w, 'deal', deal.id),
    ];
    for (const write of refusals) {
      const err = await write().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AccessDeniedError);
      expect((err as AccessDeniedError).reason).toBe('observer');
    }
    const after = await row(db().select().from(deals).where(eq(deals.id, deal.id)));
    expect(after).toMatchObject({ responsibleId: owner.user.id, observerIds: [watcher.user.id], version: 1, amount: '100.00', stageId: deal.stageId });
    // The owner keeps his deal; the observer still reads it.
    expect((await getDeal(db(), owner.actor, deal.id)).id).toBe(deal.id);
    expect((await getDeal(db(), w, deal.id)).id).toBe(deal.id);
  });

  it("an observer cannot take over the deal's contact or company either", async () => {
    const { owner, watcher, contact, company } = await observed();
    const w = watcher.actor;
    for (const write of [
      () => updateContact(db(), w, contact.id, { responsibleId: watcher.user.id }),
      () => updateContact(db(), w, contact.id, { observerIds: [] }),
      () => updateCompany(db(), w, company.id, { responsibleId: watcher.user.id }),
      () => updateCompany(db(), w, company.id, { name: 'Моя компания' }),
    ]) {
      await expect(write()).rejects.toBeInstanceOf(AccessDeniedError);
    }
    const solo = await createContact(db(), owner.actor, { firstName: 'Одиночка', observerIds: [watcher.user.id] });
    await expect(convertContactToCompany(db(), w, solo.id)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(await row(db().select().from(contacts).where(eq(contacts.id, contact.id)))).toMatchObject({ responsibleId: owner.user.id, observerIds: [watcher.user.id] });
    expect(await row(db().select().from(companies).where(eq(companies.id, company.id)))).toMatchObject({ responsibleId: owner.user.id, name: company.name });
    expect((await row(db().select().from(contacts).where(eq(contacts.id, solo.id)))).companyId).toBeNull();
    expect((await getContact(db(), w, contact.id)).id).toBe(contact.id);
  });

  it('an observer comments, adds files to the history and puts tasks on the deal for himself, not for others', async () => {
    const { owner, watcher, deal } = await observed();
    const w = watcher.actor;
    await addCardComment(db(), w, 'deal', deal.id, 'Клиент звонил мне, просит перезвонить');
    await addCardFile(db(), w, 'deal', deal.id, { fileId: 'f-1', name: 'КП.pdf' });
    const own = await remindAboutCard(db(), null, w, 'deal', deal.id, { title: 'Узнать про лизинг', dueAt: new Date(Date.now() + 3_600_000) });
    expect(own.assigneeId).toBe(watcher.user.id);
    const issues = await issuesOf(createTask(db(), w, { title: 'Позвони клиенту', assigneeId: owner.user.id, entityType: 'deal', entityId: deal.id }));
    expect(issues.map((i) => i.field)).toEqual(['assigneeId']);
    const kinds = (await db().select({ kind: timelineEntries.kind }).from(timelineEntries).where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, deal.id)))).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'comment' || k === 'file')).toEqual(['comment', 'file']);
    const dealTasks = await db().select().from(tasks).where(and(eq(tasks.entityType, 'deal'), eq(tasks.entityId, deal.id)));
    expect(dealTasks.map((x) => x.assigneeId)).toEqual([watcher.user.id]);
    // The responsible gives tasks on his deal to whom he likes.
    expect((await createTask(db(), owner.actor, { title: 'Помоги с КП', assigneeId: watcher.user.id, entityType: 'deal', entityId: deal.id })).assigneeId).toBe(watcher.user.id);
  });

  it("a manager cannot link another's records into his own, nor write onto another's deal; a missing id is answered the same", async () => {
    const mine = await makeUser(db(), ['manager']);
    const theirs = await makeUser(db(), ['manager']);
    const their = {
      deal: await createDeal(db(), theirs.actor, { title: 'Чужая сделка' }),
      contact: await createContact(db(), theirs.actor, { firstName: 'Чужой' }),
      company: await createCompany(db(), theirs.actor, { name: uniqueWord('Чужая ') }),
      lead: (await createLead(db(), theirs.actor, { title: 'Чужая заявка', source: 'site' })).lead,
    };
    const my = {
      deal: await createDeal(db(), mine.actor, { title: 'Моя сделка' }),
      contact: await createContact(db(), mine.actor, { firstName: 'Мой' }),
      lead: (await createLead(db(), mine.actor, { title: 'Моя заявка', source: 'site' })).lead,
    };
    const m = mine.actor;
    const cases: [string, () => Promise<unknown>, string, string][] = [
      ['task on their deal', () => createTask(db(), m, { title: 'моя заметка', entityType: 'deal', entityId: their.deal.id }), 'entityId', 'no such deal'],
      ['their contact into a new deal', () => createDeal(db(), m, { title: 'x', contactId: their.contact.id }), 'contactId', 'no such contact'],
      ['their company into a new deal', () => createDeal(db(), m, { title: 'x', companyId: their.company.id }), 'companyId', 'no such company'],
      ['their lead into a new deal', () => createDeal(db(), m, { title: 'x', leadId: their.lead.id }), 'leadId', 'no such lead'],
      ['their contact into my deal', () => updateDeal(db(), m, my.deal.id, { contactId: their.contact.id }), 'contactId', 'no such contact'],
      ['their company onto my lead', () => updateLead(db(), m, my.lead.id, { companyId: their.company.id }), 'companyId', 'no such company'],
      ['my contact into their company', () => updateContact(db(), m, my.contact.id, { companyId: their.company.id }), 'companyId', 'no such company'],
      ['a new contact in their company', () => createContact(db(), m, { firstName: 'x', companyId: their.company.id }), 'companyId', 'no such company'],
      ['their contact on a new lead', () => createLead(db(), m, { title: 'x', source: 'site', contactId: their.contact.id }), 'contactId', 'no such contact'],
    ];
    const counts = async () => ({
      deals: (await db().select().from(deals)).length,
      contacts: (await db().select().from(contacts)).length,
      leads: (await db().select().from(leads)).length,
      tasks: (await db().select().from(tasks)).length,
      onTheirDeal: (await db().select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, their.deal.id)))).length,
    });
    const before = await counts();
    for (const [what, write, field, message] of cases) expect(await issuesOf(write()), what).toEqual([{ field, message }]);
    expect(await counts()).toEqual(before);
    expect(await row(db().select().from(deals).where(eq(deals.id, my.deal.id)))).toMatchObject({ contactId: null, version: 1 });
    expect((await row(db().select().from(contacts).where(eq(contacts.id, my.contact.id)))).companyId).toBeNull();
    expect((await row(db().select().from(leads).where(eq(leads.id, my.lead.id)))).companyId).toBeNull();

    // Ids that do not exist: the same 422, nothing written (a task on a deal that does not exist was accepted).
    for (const [write, field] of [
      [() => createTask(db(), m, { title: 'x', entityType: 'deal', entityId: 987_654_321 }), 'entityId'],
      [() => createDeal(db(), m, { title: 'x', contactId: 987_654_321 }), 'contactId'],
      [() => createDeal(db(), m, { title: 'x', pipelineId: 987_654_321 }), 'pipelineId'],
      [() => createDeal(db(), m, { title: 'x', responsibleId: 987_654_321 }), 'responsibleId'],
      [() => createContact(db(), m, { firstName: 'x', observerIds: [987_654_321] }), 'observerIds'],
      [() => createTask(db(), m, { title: 'x', assigneeId: 987_654_321 }), 'assigneeId'],
    ] as const) {
      expect((await issuesOf(write())).map((i) => i.field)).toEqual([field]);
    }
    expect(await counts()).toEqual(before);
    // A supervisor links anything.
    const boss = await makeUser(db(), ['supervisor']);
    expect((await createDeal(db(), boss.actor, { title: 'y', contactId: their.contact.id, companyId: their.company.id })).contactId).toBe(their.contact.id);
  });

  it("a lead's own contact goes with it when converted or declined, though nobody is responsible for him", async () => {
    const manager = await makeUser(db(), ['manager']);
    const customer = await createContact(db(), { userId: null, roles: ['admin'], label: 'system' }, { firstName: 'Клиент', phone: '+79160001122' });
    expect(customer.responsibleId).toBeNull();
    const lead = (await createLead(db(), manager.actor, { title: 'Заявка', source: 'site', contactId: undefined })).lead;
    await db().update(leads).set({ contactId: customer.id }).where(eq(leads.id, lead.id));
    const r = await convertLead(db(), manager.actor, lead.id);
    expect(r.deal.contactId).toBe(customer.id);
    const other = (await createLead(db(), manager.actor, { title: 'Заявка 2', source: 'site' })).lead;
    await db().update(leads).set({ contactId: customer.id }).where(eq(leads.id, other.id));
    const declined = await declineLead(db(), manager.actor, other.id, { reason: 'дорого', callBackAt: new Date(Date.now() + 86_400_000) });
    expect(declined.task).toMatchObject({ entityType: 'contact', entityId: customer.id, assigneeId: manager.user.id });
  });

  it('text Postgres cannot store (NUL, lone surrogates) is a 422 naming the field on the bot path too; nothing written', async () => {
    const { actor } = await makeUser(db(), ['manager']);
    const before = (await db().select().from(contacts)).length;
    expect(await issuesOf(createContact(db(), actor, { firstName: 'Ив\u0000ан' }))).toEqual([{ field: 'firstName', message: 'must not contain NUL characters or unpaired surrogates' }]);
    expect((await issuesOf(createContact(db(), actor, { lastName: 'a\ud800b', comment: '\udc00' }))).map((i) => i.field).sort()).toEqual(['comment', 'lastName']);
    expect((await issuesOf(createDeal(db(), actor, { title: 'x', custom: { note: ['ok', 'bad\u0000'] } }))).map((i) => i.field)).toEqual(['custom.note.1']);
    expect((await issuesOf(createDeal(db(), actor, { title: 'x', utm: { utm_source: '\ud83d' } }))).map((i) => i.field)).toEqual(['utm.utm_source']);
    // A pair of surrogates is one character (an emoji) and fine.
    expect((await createContact(db(), actor, { firstName: 'Ирина 🌻' })).firstName).toBe('Ирина 🌻');
    expect((await db().select().from(contacts)).length).toBe(before + 1);
    const lead = (await createLead(db(), actor, { title: 'x', source: 'site' })).lead;
    expect((await issuesOf(setLeadStatus(db(), actor, lead.id, 'junk', 'спам\u0000'))).map((i) => i.field)).toEqual(['reason']);
  });

  it('a due date is an ISO 8601 date-time, said so by name; outside years 1..9999 it is refused, not a database error', async () => {
    const { actor } = await makeUser(db(), ['manager']);
    expect(await issuesOf(createTask(db(), actor, { title: 'x', dueAt: 'завтра' }))).toEqual([
      { field: 'dueAt', message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-23T09:00:00+03:00' },
    ]);
    expect((await issuesOf(createTask(db(), actor, { title: 'x', dueAt: new Date('+275760-09-13T00:00:00Z') }))).map((i) => i.field)).toEqual(['dueAt']);
    expect((await issuesOf(createTask(db(), actor, { title: 'x', dueAt: '2026-11-23T09:00:00' }))).map((i) => i.field)).toEqual(['dueAt']);
    const ok = await createTask(db(), actor, { title: 'x', dueAt: '2026-11-23T09:00:00+03:00' });
    expect(ok.dueAt?.toISOString()).toBe('2026-11-23T06:00:00.000Z');
  });

  it('INN: control digits checked (10 and 12 digits); a second company with the same INN is refused naming the first', async () => {
    expect(['7707083893', '500100732259', '7736207543'].map(innProblem)).toEqual([null, null, null]);
    expect(['7707083894', '500100732258', '500100732249', '77070838', 'abcdefghij'].map(innProblem)).toEqual(['checksum', 'checksum', 'checksum', 'format', 'format']);
    const a = await makeUser(db(), ['manager']);
    const b = await makeUser(db(), ['manager']);
    expect((await issuesOf(createCompany(db(), a.actor, { name: 'x', inn: '7707083894' }))).map((i) => i.field)).toEqual(['inn']);
    const first = await createCompany(db(), a.actor, { name: 'ПАО Сбербанк', inn: '7707 083 893' });
    expect(first.inn).toBe('7707083893');
    const err = await createCompany(db(), b.actor, { name: 'Сбер', inn: '7707083893' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateInnError);
    expect((err as DuplicateInnError).existing).toEqual({ entity: 'company', id: first.id, name: 'ПАО Сбербанк' });
    const mine = await createCompany(db(), b.actor, { name: 'Другая' });
    await expect(updateCompany(db(), b.actor, mine.id, { inn: '7707083893' })).rejects.toBeInstanceOf(DuplicateInnError);
    // Its own INN again is no conflict.
    expect((await updateCompany(db(), a.actor, first.id, { inn: '7707083893', name: 'ПАО Сбербанк России' })).name).toBe('ПАО Сбербанк России');
    // Two at once: one card.
    const settled = await Promise.allSettled([1, 2, 3].map((i) => createCompany(db(), a.actor, { name: `Параллельная ${i}`, inn: '500100732259' })));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(settled.filter((s) => s.status === 'rejected').every((s) => (s as PromiseRejectedResult).reason instanceof DuplicateInnError)).toBe(true);
    expect(await db().select().from(companies).where(eq(companies.inn, '500100732259'))).toHaveLength(1);
  });

  it('the contact list finds a phone typed with 8, +7 or 7 alike', async () => {
    const { actor } = await makeUser(db(), ['manager']);
    const c = await createContact(db(), actor, { firstName: uniqueWord('Тел'), phone: '+7 916 432-10-98' });
    for (const q of ['89164321098', '8 (916) 432-10-98', '+79164321098', '79164321098', '9164321098']) {
      expect((await listContacts(db(), actor, { q })).items.map((x) => x.id), q).toEqual([c.id]);
    }
    const other: Actor = (await makeUser(db(), ['manager'])).actor;
    expect((await listContacts(db(), other, { q: '89164321098' })).items).toEqual([]);
  });
});
