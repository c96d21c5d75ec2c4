import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Company, companies } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { AccessDeniedError, NotFoundError } from './errors.ts';
import { innProblem, innProblemMessages, requireUniqueInn } from './inn.ts';
import { customSchema, definedOnly, emailSchema, idSchema, observerIdsSchema, optionalText, phoneSchema, requiredText } from './record-input.ts';
import { changedIds, requireStaff } from './references.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const companyInputSchema = z.object({
  name: requiredText(500),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  messenger: optionalText(200),
  industry: optionalText(200),
  /** 10 digits (an organisation) or 12 (a person, a sole trader), control digits checked; spaces are dropped. */
  inn: z
    .string()
    .max(40)
    .transform((v) => v.replace(/[\s\u00a0]/g, ''))
    .superRefine((v, ctx) => {
      const problem = innProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: innProblemMessages[problem] });
    })
    .nullable()
    .optional(),
  responsibleId: idSchema.nullable().optional(),
  observerIds: observerIdsSchema.optional(),
  comment: optionalText(10_000),
  custom: customSchema.optional(),
});
export type CompanyInput = z.input<typeof companyInputSchema>;
export const companyPatchSchema = companyInputSchema.partial();

const requirePeople = (db: Db, data: { responsibleId?: number | null; observerIds?: number[] }) =>
  requireStaff(db, [
    { field: 'responsibleId', ids: [data.responsibleId] },
    { field: 'observerIds', ids: data.observerIds ?? [] },
  ]);

/** One card per INN: a second company with an INN already held is refused, naming the first. */
export async function createCompany(db: Db, actor: Actor, input: CompanyInput): Promise<Company> {
  const data = parseInput(companyInputSchema, input);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'company'), data.custom) : {};
  await requirePeople(db, data);
  return db.transaction(async (tx) => {
    if (data.inn) await requireUniqueInn(tx, data.inn);
    const [row] = await tx
      .insert(companies)
      .values({
        ...definedOnly({ ...data, custom: undefined }),
        name: data.name,
        responsibleId: data.responsibleId ?? actor.userId,
        custom: mergeCustom({}, custom),
      })
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'company', entityId: row!.id, kind: 'system', data: { event: 'created' } });
    await writeAudit(tx, actor, { action: 'company.create', entityType: 'company', entityId: row!.id, after: row });
    return row!;
  });
}

export async function getCompany(db: Db, actor: Actor, id: number): Promise<Company> {
  const [row] = await db.select().from(companies).where(eq(companies.id, id));
  if (!row) throw new NotFoundError('company', id);
  if (!canAccessRecord(actor, row)) throw new AccessDeniedError('company', id);
  return row;
}

/** The responsible, supervisors and admins change a company; its observers read it. */
export async function updateCompany(db: Db, actor: Actor, id: number, patch: Partial<CompanyInput>): Promise<Company> {
  const data = parseInput(companyPatchSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'company'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(companies).where(eq(companies.id, id)).for('update');
    if (!before) throw new NotFoundError('company', id);
    if (!canAccessRecord(actor, before)) throw new AccessDeniedError('company', id);
    if (!canManageRecord(actor, before)) throw new AccessDeniedError('company', id, { reason: refusalReason(actor, before) });
    await requirePeople(tx, changedIds(data, before, ['responsibleId', 'observerIds']));
    if (data.inn && data.inn !== before.inn) await requireUniqueInn(tx, data.inn, id);
    const set = definedOnly({ ...data, custom: customPatch ? mergeCustom(before.custom, customPatch) : undefined });
    const [after] = await tx
      .update(companies)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(companies.id, id))
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'company', entityId: id, kind: 'change', data: { fields: Object.keys(set) } });
    await writeAudit(tx, actor, { action: 'company.update', entityType: 'company', entityId: id, before, after });
    return after!;
  });
}
