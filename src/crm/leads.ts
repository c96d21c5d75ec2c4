import { and, eq, gt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Company, type Contact, type Deal, deals, type Lead, leads, timelineEntries } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { createCompany, companyInputSchema } from './companies.ts';
import { getCompanyConfig } from './company-config.ts';
import { contactInputSchema, createContact } from './contacts.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { createDeal } from './deals.ts';
import { AccessDeniedError, ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { getPipeline } from './pipelines.ts';
import { amountSchema, customSchema, definedOnly, idSchema, optionalText, requiredText, text, utmSchema } from './record-input.ts';
import { requireReadable, requireStaff } from './references.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const leadInputSchema = z.object({
  title: requiredText(500),
  source: requiredText(100),
  externalKey: requiredText(200).nullable().optional(),
  contactId: idSchema.nullable().optional(),
  companyId: idSchema.nullable().optional(),
  responsibleId: idSchema.nullable().optional(),
  utm: utmSchema.optional(),
  comment: optionalText(10_000),
  custom: customSchema.optional(),
});
export type LeadInput = z.input<typeof leadInputSchema>;

export interface CreateLeadResult {
  lead: Lead;
  /** False when the same source + external key was already stored. */
  created: boolean;
}

/** Creates a lead in the first status of the company's configuration; deduplicated by source + external key. */
export async function createLead(db: Db, actor: Actor, input: LeadInput): Promise<CreateLeadResult> {
  const data = parseInput(leadInputSchema, input);
  const config = await getCompanyConfig(db);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'lead'), data.custom) : {};
  const status = config.leadStatuses[0]!.key;
  await requireReferences(db, actor, data);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(leads)
      .values({
        ...definedOnly({ ...data, custom: undefined }),
        title: data.title,
        source: data.source,
        status,
        responsibleId: data.responsibleId ?? actor.userId,
        custom: mergeCustom({}, custom),
      })
      .onConflictDoNothing({ target: [leads.source, leads.externalKey] })
      .returning();
    if (!row) {
      const [existing] = await tx
        .select()
        .from(leads)
        .where(and(eq(leads.source, data.source), eq(leads.externalKey, data.externalKey!)));
      return { lead: existing!, created: false };
    }
    await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: row.id, kind: 'system', data: { event: 'created', source: row.source } });
    await writeAudit(tx, actor, { action: 'lead.create', entityType: 'lead', entityId: row.id, after: row });
    return { lead: row, created: true };
  });
}

/** The ids a lead carries: a contact and a company the actor may read, a responsible who is active staff. */
export async function requireReferences(db: Db, actor: Actor, data: { contactId?: number | null; companyId?: number | null; responsibleId?: number | null }) {
  await requireReadable(db, actor, [
    { field: 'contactId', entity: 'contact', id: data.contactId },
    { field: 'companyId', entity: 'company', id: data.companyId },
  ]);
  await requireStaff(db, [{ field: 'responsibleId', ids: [data.responsibleId] }]);
}

/** A lead nobody has taken yet is the managers' common pool: any manager may look at it (and take it). */
export async function getLead(db: Db, actor: Actor, id: number): Promise<Lead> {
  const [row] = await db.select().from(leads).where(eq(leads.id, id));
  if (!row) throw new NotFoundError('lead', id);
  const inPool = row.responsibleId === null && row.convertedDealId === null && hasRole(actor, 'manager');
  if (!inPool && !canAccessRecord(actor, { responsibleId: row.responsibleId, observerIds: [] })) throw new AccessDeniedError('lead', id);
  return row;
}

const statusInputSchema = z.object({ status: requiredText(100), reason: text(1000).optional() });

/** The lead's responsible, supervisors and admins set its status; a manager looking at an untaken lead takes it first. */
export async function setLeadStatus(db: Db, actor: Actor, id: number, statusKey: string, reasonText?: string): Promise<Lead> {
  const { status, reason } = parseInput(statusInputSchema, { status: statusKey, reason: reasonText });
  const config = await getCompanyConfig(db);
  const def = config.leadStatuses.find((s) => s.key === status);
  if (!def) throw new ValidationError([{ field: 'status', message: `unknown status; one of: ${config.leadStatuses.map((s) => s.key).join(', ')}` }]);
  if (def.kind === 'converted') throw new ValidationError([{ field: 'status', message: 'a lead becomes converted by converting it' }]);
  if (def.requiresReason && !reason?.trim()) throw new ValidationError([{ field: 'reason', message: 'is required for this status' }]);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(leads).where(eq(leads.id, id)).for('update');
    if (!before) throw new NotFoundError('lead', id);
    if (!canManageRecord(actor, before)) throw new AccessDeniedError('lead', id);
    if (before.convertedDealId) throw new ConflictError(`lead ${id} is already converted into deal ${before.convertedDealId}`);
    const [after] = await tx
      .update(leads)
      .set({ status, statusReason: reason?.trim() || null, updatedAt: new Date() })
      .where(eq(leads.id, id))
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: id, kind: 'change', data: { status: { from: before.status, to: status }, reason: reason ?? null } });
    await writeAudit(tx, actor, { action: 'lead.status', entityType: 'lead', entityId: id, before: { status: before.status }, after: { status, reason } });
    return after!;
  });
}

export async function listLeads(db: Db, actor: Actor, opts: { limit?: number; cursor?: string | null; status?: string } = {}): Promise<Page<Lead>> {
  const limit = clampLimit(opts.limit);
  const after = decodeCursor(opts.cursor);
  const where: (SQL | undefined)[] = [after === null ? undefined : gt(leads.id, after)];
  if (!hasRole(actor, 'admin', 'supervisor')) where.push(actor.userId === null ? sql`false` : eq(leads.responsibleId, actor.userId));
  if (opts.status) where.push(eq(leads.status, parseInput(z.object({ status: text(100) }), { status: opts.status }).status));
  const rows = await db.select().from(leads).where(and(...where)).orderBy(leads.id).limit(limit + 1);
  return toPage(rows, limit);
}

export const convertLeadInputSchema = z.object({
  /** A new contact, when the lead has none yet. */
  contact: contactInputSchema.optional(),
  /** A company, when a legal entity pays. */
  company: companyInputSchema.optional(),
  title: requiredText(500).optional(),
  amount: amountSchema.nullable().optional(),
});
export type ConvertLeadInput = z.input<typeof convertLeadInputSchema>;

/** A refusal of a nested part of the input names its field under the part ("company.inn"). */
async function within<T>(part: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.issues.map((i) => ({ ...i, field: `${part}.${i.field}` })), { cause: err });
    throw err;
  }
}

export interface ConvertResult {
  lead: Lead;
  deal: Deal;
  contact: Contact | null;
  company: Company | null;
}

/**
 * Lead → deal + contact (+ company): one transaction, so a failure leaves the lead as it was.
 * The deal starts at the configured conversion stage, carries the lead's fields that the deal
 * also has, and gets the lead's timeline copied over.
 */
export async function convertLead(db: Db, actor: Actor, leadId: number, input: ConvertLeadInput = {}): Promise<ConvertResult> {
  const data = parseInput(convertLeadInputSchema, input);
  const config = await getCompanyConfig(db);
  const convertedStatus = config.leadStatuses.find((s) => s.kind === 'converted')!.key;
  const dealFieldKeys = new Set((await loadFieldDefs(db, 'deal')).map((d) => d.key));
  return db.transaction(async (tx) => {
    const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId)).for('update');
    if (!lead) throw new NotFoundError('lead', leadId);
    if (!canManageRecord(actor, lead)) throw new AccessDeniedError('lead', leadId);
    if (lead.convertedDealId) throw new ConflictError(`lead ${leadId} is already converted into deal ${lead.convertedDealId}`);
    const responsibleId = lead.responsibleId ?? actor.userId;
    const company = data.company ? await within('company', createCompany(tx, actor, { ...data.company, responsibleId: data.company.responsibleId ?? responsibleId })) : null;
    let contact: Contact | null = null;
    if (!lead.contactId && data.contact) {
      const contactInput = { ...data.contact, companyId: company?.id ?? data.contact.companyId ?? null, responsibleId: data.contact.responsibleId ?? responsibleId };
      contact = await within('contact', createContact(tx, actor, contactInput));
    }
    const contactId = lead.contactId ?? contact?.id ?? null;
    const carried = Object.fromEntries(Object.entries(lead.custom).filter(([k]) => dealFieldKeys.has(k)));
    const pipeline = config.conversion.pipeline;
    const pl = await getPipeline(tx, { key: pipeline });
    const dealInput = {
      title: data.title ?? lead.title,
      pipelineId: pl.id,
      stage: config.conversion.stage,
      amount: data.amount ?? null,
      responsibleId,
      contactId,
      companyId: company?.id ?? lead.companyId ?? null,
      leadId: lead.id,
      source: lead.source,
      utm: lead.utm,
      comment: lead.comment,
      custom: carried,
    };
    // The lead's own contact and company go with it into the deal, whoever is responsible for them.
    const deal = await createDeal(tx, actor, dealInput, { carried: true });
    // The lead's history stays readable from the deal card.
    await tx.execute(sql`
      insert into ${timelineEntries} (entity_type, entity_id, kind, author_id, body, data, created_at)
      select 'deal', ${deal.id}, kind, author_id, body, data || jsonb_build_object('copied_from_lead', ${lead.id}::bigint), created_at
      from ${timelineEntries} where entity_type = 'lead' and entity_id = ${lead.id} order by id`);
    const [converted] = await tx
      .update(leads)
      .set({ status: convertedStatus, convertedDealId: deal.id, convertedAt: new Date(), contactId, companyId: company?.id ?? lead.companyId, updatedAt: new Date() })
      .where(eq(leads.id, leadId))
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: leadId, kind: 'system', data: { event: 'converted', dealId: deal.id } });
    await writeAudit(tx, actor, { action: 'lead.convert', entityType: 'lead', entityId: leadId, before: { status: lead.status }, after: { status: convertedStatus, dealId: deal.id } });
    const [freshDeal] = await tx.select().from(deals).where(eq(deals.id, deal.id));
    return { lead: converted!, deal: freshDeal!, contact, company };
  });
}
