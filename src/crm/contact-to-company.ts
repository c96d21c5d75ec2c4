// A contact turns out to be a business (case study 001): the company card is made from the
// contact card, the contact becomes its person, and the contact's open work moves under it.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Company, type Contact, contacts, deals, leads, stages } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { createCompany } from './companies.ts';
import { findCompanyConfig } from './company-config.ts';
import { loadFieldDefs, normalizeFieldValue } from './custom-fields.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from './errors.ts';
import { normalizePhone } from './phone.ts';
import { requiredText } from './record-input.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

const inputSchema = z.object({ name: requiredText(500).optional() });

export interface ContactToCompanyResult {
  company: Company;
  contact: Contact;
  /** Open deals and leads of the contact that had no company and now have this one. */
  linkedDealIds: number[];
  linkedLeadIds: number[];
}

/** "<last name> <first name>", else the phone, else the e-mail: what the case study's CRM generated. */
export function companyNameFromContact(c: Pick<Contact, 'id' | 'firstName' | 'lastName' | 'phone' | 'email'>): string {
  return [c.lastName, c.firstName].filter((s) => s?.trim()).join(' ') || c.phone || c.email || `#${c.id}`;
}

export async function convertContactToCompany(db: Db, actor: Actor, contactId: number, input: { name?: string } = {}): Promise<ContactToCompanyResult> {
  const data = parseInput(inputSchema, input);
  const [contactDefs, companyDefs, found] = await Promise.all([loadFieldDefs(db, 'contact'), loadFieldDefs(db, 'company'), findCompanyConfig(db)]);
  const openLeadStatuses = (found?.config.leadStatuses ?? []).filter((s) => s.kind === 'open').map((s) => s.key);
  return db.transaction(async (tx) => {
    const [contact] = await tx.select().from(contacts).where(eq(contacts.id, contactId)).for('update');
    if (!contact) throw new NotFoundError('contact', contactId);
    if (!canAccessRecord(actor, contact)) throw new AccessDeniedError('contact', contactId);
    if (!canManageRecord(actor, contact)) throw new AccessDeniedError('contact', contactId, { reason: refusalReason(actor, contact) });
    if (contact.companyId) throw new ConflictError(`contact ${contactId} already belongs to company ${contact.companyId}`);

    // Values of fields both cards define (last call date and type in b2b-supply) show on the company.
    const companyDefByKey = new Map(companyDefs.map((d) => [d.key, d]));
    const custom: Record<string, unknown> = {};
    for (const def of contactDefs) {
      const target = companyDefByKey.get(def.key);
      const value = contact.custom[def.key];
      if (!target || value === undefined || value === null) continue;
      const normalized = normalizeFieldValue(target, value);
      if ('value' in normalized) custom[def.key] = normalized.value;
    }
    const company = await createCompany(tx, actor, {
      name: data.name ?? companyNameFromContact(contact),
      // Imported contacts may hold a phone the company card would refuse; leave it out then.
      phone: contact.phone && normalizePhone(contact.phone) ? contact.phone : null,
      email: contact.email,
      responsibleId: contact.responsibleId,
      observerIds: contact.observerIds,
      comment: contact.comment,
      custom,
    });
    const now = new Date();
    const [linked] = await tx.update(contacts).set({ companyId: company.id, updatedAt: now }).where(eq(contacts.id, contactId)).returning();

    const openStages = tx.select({ id: stages.id }).from(stages).where(eq(stages.kind, 'open'));
    const movedDeals = await tx
      .update(deals)
      .set({ companyId: company.id, version: sql`${deals.version} + 1`, updatedAt: now })
      .where(and(eq(deals.contactId, contactId), isNull(deals.companyId), inArray(deals.stageId, openStages)))
      .returning({ id: deals.id });
    const movedLeads = openLeadStatuses.length
      ? await tx
          .update(leads)
          .set({ companyId: company.id, updatedAt: now })
          .where(and(eq(leads.contactId, contactId), isNull(leads.companyId), isNull(leads.convertedDealId), inArray(leads.status, openLeadStatuses)))
          .returning({ id: leads.id })
      : [];

    const change = { company: { from: null, to: company.id } };
    await addTimelineEntry(tx, actor, { entityType: 'contact', entityId: contactId, kind: 'change', data: change });
    for (const d of movedDeals) await addTimelineEntry(tx, actor, { entityType: 'deal', entityId: d.id, kind: 'change', data: change });
    for (const l of movedLeads) await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: l.id, kind: 'change', data: change });
    await addTimelineEntry(tx, actor, { entityType: 'company', entityId: company.id, kind: 'system', data: { event: 'from_contact', contactId } });
    const linkedDealIds = movedDeals.map((d) => d.id);
    const linkedLeadIds = movedLeads.map((l) => l.id);
    await writeAudit(tx, actor, {
      action: 'contact.to_company',
      entityType: 'contact',
      entityId: contactId,
      before: { companyId: null },
      after: { companyId: company.id, linkedDealIds, linkedLeadIds },
    });
    return { company, contact: linked!, linkedDealIds, linkedLeadIds };
  });
}
