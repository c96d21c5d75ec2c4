// A client who declines is not lost (case study 002): the lead closes with a reason, but the
// person stays as a contact carrying what was learnt, with a reminder to offer again later
// and/or a mailing-list tag.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Contact, contacts, type Lead, leads, type Task } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { getCompanyConfig } from './company-config.ts';
import { contactDisplayName, createContact } from './contacts.ts';
import { loadFieldDefs, mergeCustom, normalizeFieldValue } from './custom-fields.ts';
import { ValidationError } from './errors.ts';
import { setLeadStatus } from './leads.ts';
import { createTask } from './tasks.ts';
import { addTimelineEntry } from './timeline.ts';
import { dateTimeSchema, requiredText, storableString } from './record-input.ts';
import { parseInput } from './validate.ts';

export const declineLeadInputSchema = z.object({
  reason: storableString().trim().min(1, 'is required').max(1000),
  /** When to offer again: an open task on the contact, due then. */
  callBackAt: dateTimeSchema.optional(),
  mailingTag: requiredText(64).optional(),
  /** The task's title, in the manager's language; default Russian. */
  callBackTitle: requiredText(500).optional(),
});
export type DeclineLeadInput = z.input<typeof declineLeadInputSchema>;

export interface DeclineLeadResult {
  lead: Lead;
  contact: Contact;
  task: Task | null;
}

/**
 * The task is committed with the rest; its reminder is armed by the caller
 * (scheduleTaskReminder) or, failing that, by the reminder worker's sweep.
 */
export async function declineLead(db: Db, actor: Actor, leadId: number, input: DeclineLeadInput): Promise<DeclineLeadResult> {
  const data = parseInput(declineLeadInputSchema, input);
  const config = await getCompanyConfig(db);
  const rejected = config.leadStatuses.find((s) => s.kind === 'rejected');
  if (!rejected) throw new ValidationError([{ field: 'status', message: 'the company has no lead status of kind "rejected"' }]);
  const contactDefs = await loadFieldDefs(db, 'contact');
  return db.transaction(async (tx) => {
    // Status rules (access, converted leads, reason) are setLeadStatus's; it runs in this transaction.
    const lead = await setLeadStatus(tx, actor, leadId, rejected.key, data.reason);
    const responsibleId = lead.responsibleId ?? actor.userId;

    let contact: Contact;
    let contactCreated = false;
    if (lead.contactId) {
      const [row] = await tx.select().from(contacts).where(eq(contacts.id, lead.contactId)).for('update');
      contact = row!;
    } else {
      contact = await createContact(tx, actor, { firstName: lead.title.slice(0, 200), companyId: lead.companyId, responsibleId }, { carried: true });
      await tx.update(leads).set({ contactId: contact.id, updatedAt: new Date() }).where(eq(leads.id, leadId));
      contactCreated = true;
    }

    // What the lead learnt (city, preferred way of contact...) stays with the person.
    const customPatch: Record<string, unknown> = {};
    for (const def of contactDefs) {
      const value = lead.custom[def.key];
      if (value === undefined || value === null) continue;
      const normalized = normalizeFieldValue(def, value);
      if ('value' in normalized) customPatch[def.key] = normalized.value;
    }
    const tag = data.mailingTag;
    const addTag = tag !== undefined && !contact.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
    const changed = [...(Object.keys(customPatch).length ? ['custom'] : []), ...(addTag ? ['tags'] : [])];
    if (changed.length) {
      const [updated] = await tx
        .update(contacts)
        .set({ custom: mergeCustom(contact.custom, customPatch), tags: addTag ? [...contact.tags, tag] : contact.tags, updatedAt: new Date() })
        .where(eq(contacts.id, contact.id))
        .returning();
      await addTimelineEntry(tx, actor, { entityType: 'contact', entityId: contact.id, kind: 'change', data: { fields: changed, fromLead: leadId } });
      contact = updated!;
    }
    await addTimelineEntry(tx, actor, {
      entityType: 'contact',
      entityId: contact.id,
      kind: 'system',
      body: data.reason,
      data: { event: 'lead_declined', leadId },
    });

    // The call-back is on the lead's own contact, whoever is responsible for him.
    const callBack = data.callBackAt && {
      title: data.callBackTitle ?? `Перезвонить: ${contactDisplayName(contact)}`,
      description: data.reason,
      dueAt: data.callBackAt,
      assigneeId: responsibleId,
      entityType: 'contact' as const,
      entityId: contact.id,
    };
    const task = callBack ? await createTask(tx, actor, callBack, { carried: true }) : null;

    await addTimelineEntry(tx, actor, {
      entityType: 'lead',
      entityId: leadId,
      kind: 'system',
      data: { event: 'declined', contactId: contact.id, contactCreated, taskId: task?.id ?? null, mailingTag: tag ?? null },
    });
    await writeAudit(tx, actor, {
      action: 'lead.decline',
      entityType: 'lead',
      entityId: leadId,
      after: { status: rejected.key, reason: data.reason, contactId: contact.id, taskId: task?.id ?? null, mailingTag: tag ?? null },
    });
    const [final] = await tx.select().from(leads).where(eq(leads.id, leadId));
    return { lead: final!, contact, task };
  });
}
