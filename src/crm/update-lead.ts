// The bot fills a lead one answer at a time; each answer is checked by its field's type.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Lead, leads } from '../../db/schema/index.ts';
import { type Actor, canManageRecord } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from './errors.ts';
import { leadInputSchema, requireReferences } from './leads.ts';
import { definedOnly } from './record-input.ts';
import { changedIds } from './references.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const leadPatchSchema = leadInputSchema.pick({ title: true, comment: true, contactId: true, companyId: true, custom: true }).partial();
export type LeadPatch = z.input<typeof leadPatchSchema>;

export async function updateLead(db: Db, actor: Actor, leadId: number, patch: LeadPatch): Promise<Lead> {
  const data = parseInput(leadPatchSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'lead'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!before) throw new NotFoundError('lead', leadId);
    if (!canManageRecord(actor, before)) throw new AccessDeniedError('lead', leadId);
    if (before.convertedDealId) throw new ConflictError(`lead ${leadId} is already converted into deal ${before.convertedDealId}; change the deal`);
    // A dangling id, or another's contact or company, is named rather than linked.
    await requireReferences(tx, actor, changedIds(data, before, ['contactId', 'companyId']));
    const set = definedOnly({ ...data, custom: customPatch ? mergeCustom(before.custom, customPatch) : undefined });
    const [after] = await tx
      .update(leads)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(leads.id, leadId))
      .returning();
    const fields = [...Object.keys(set).filter((k) => k !== 'custom'), ...Object.keys(customPatch ?? {}).map((k) => `custom.${k}`)];
    await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: leadId, kind: 'change', data: { fields } });
    await writeAudit(tx, actor, { action: 'lead.update', entityType: 'lead', entityId: leadId, before, after });
    return after!;
  });
}

/** Custom values only, e.g. one intake answer: `{ city: 'Казань' }`; null clears a value. */
export function setLeadFields(db: Db, actor: Actor, leadId: number, custom: Record<string, unknown>): Promise<Lead> {
  return updateLead(db, actor, leadId, { custom });
}
